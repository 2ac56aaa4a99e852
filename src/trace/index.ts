// Public API of the trace engine (pure: no vscode, no fs; files are reached through a FileAccess).
//
// Typical host use (custom editor):
//   const c = new TraceCollection();
//   const f = await openFile(c, access, path, { signal, onProgress });   // rows are queryable while it runs
//   const view = c.query({ levels: ['Error', 'Warning'], text: 'timeout' }, 'time');  // also from onProgress
//   c.damage();  c.settledDamage();                                        // damaged byte ranges, per file
//   view.window(start, count);  c.facets(view);  await c.details(access, view.files[i], view.rows[i]);
//   await followFile(c, access, f.index, { keepOpen: true });              // when the file grows
//   buildActivities(c);                                                    // activity list + transfer graph

export {
  TraceLevel, LEVEL_NAMES, levelFromName, TraceCancelledError,
  type TraceLevelValue, type DamageReason, type DamageRange, type TextEncodingName, type TraceRow, type FileAccess, type CancelSignal,
} from './types';
export { TraceDecoder, decodeBuffer, sniffEncoding, toUtf8, type DecoderOptions, type ResumeState } from './decoder';
export { TraceStore, TracePools } from './store';
export { StringPool } from './pool';
export {
  TraceCollection, TraceView, openFile, readWholeFile, followFile, compileFilter, filterRows, processKey, threadKey, splitKey,
  type TraceFile, type TraceFilter, type TraceOrder, type TimeOrder, type TraceFacets, type FacetCount, type OpenOptions, type FollowResult,
} from './collection';
export {
  parseEventDetails, parseEventDetailsText,
  type TraceEventDetails, type SystemDetails, type TraceRecordDetails, type ExceptionDetails, type MessageLogDetails,
} from './details';
export { searchFullText, fullTextKey, escapedForms, type FullTextHits, type FullTextQuery, type FullTextOptions } from './fullText';
export { buildActivities, type ActivityGraph, type ActivitySummary, type TransferEdge } from './activities';
export { exportRecord, formatRecord, csvHeader, csvField, EXPORT_FIELDS, type ExportFormat, type ExportRecord, type ExportField } from './export';
export {
  parseXml, serializeXml, checkWellFormed, firstChild, findDescendant, childElements, textContent, attr,
  type XmlElement, type XmlNode, type XmlAttr, type XmlError, type XmlParseResult,
} from './xml';
export { parseTime, formatTime, formatInstant } from './time';
export { decodeEntities, oneLine, MESSAGE_MAX } from './text';
