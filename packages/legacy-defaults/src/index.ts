export { legacyDefaultMetadata, legacyDefaults } from './strategy.js';
