export {
  personalColumns,
  redactAudit,
  redactLine,
  redactionSummary,
  redactForExport,
  redactForStorage,
  type PersonalColumn,
  type PersonalReason,
  type RedactionResult,
  type RedactionSummary,
} from './redact';
export { maskText, maskPatterns, neutraliseCell } from './mask';
export { markPersonal, markNotPersonal, keepPersonalValues } from './edits';
export {
  PERSONAL_SHAPES,
  personalByName,
  personalByValues,
  personalShape,
  type PersonalShape,
} from './names';
export { printable, printableText, withoutControls } from './controls';
