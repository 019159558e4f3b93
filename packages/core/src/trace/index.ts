// `@oauth-discovery/core/trace`: trace formatting options, untrusted text made safe to print, and
// each event a pipeline emits while it runs (`formatTrace` itself is on the main entry).
export type {
  DiscoveryFinishedEvent,
  DiscoveryStartedEvent,
  RequestFinishedEvent,
  RequestStartedEvent,
  StepFinishedEvent,
  StepStartedEvent,
} from '../pipeline/events.js';
export type { SafeTextOptions } from '../text/safe-text.js';
export { hasUnsafeText, safeText } from '../text/safe-text.js';
export type { FormatTraceOptions } from './format.js';
