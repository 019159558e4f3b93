export type {
  AttemptRole,
  AttemptRow,
  GroupRow,
  LayoutOptions,
  NoteRow,
  Row,
  Tick,
  WaterfallLayout,
} from './layout.js';
export { layoutTrace } from './layout.js';
export { renderDiscoverySvg, renderTraceSvg, type TraceSvgOptions } from './render.js';
export { cleanText, escapeXml } from './text.js';
