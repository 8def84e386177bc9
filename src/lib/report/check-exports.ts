import type { AuditDocument, RedactionMode } from '../core/model/audit';
import { zipSync, type Zippable } from 'fflate';
import { checkExportFiles, deriveCheckSpec, type InteropFile } from '../core/interop';

/** The check formats, in the order they are written and listed. */
export type CheckFormat = 'odcs' | 'dbt' | 'gx' | 'soda' | 'croissant' | 'card';

/** One format of the check exports as the deliverable names it: its files and what the client does with them. */
export interface CheckFormatInfo {
  format: CheckFormat;
  label: string;
  /** The file name pattern, `<name>` standing for the audit's spec name. */
  files: string;
  purpose: string;
}

/** What each check file is for, in the order of `checkExportFiles`. */
export const CHECK_FORMATS: readonly CheckFormatInfo[] = [
  {
    format: 'odcs',
    label: 'ODCS data contract',
    files: '<name>.odcs.yaml',
    purpose:
      'The schema, keys, personal-data classification and quality rules as an Open Data Contract Standard v3.1 contract (datacontract-cli, OpenMetadata, DataHub).',
  },
  {
    format: 'dbt',
    label: 'dbt tests',
    files: 'dbt/models/<name>.yml, dbt/tests/*.sql',
    purpose:
      'Generic data tests (unique, not_null, accepted_values, relationships) for the models file, and one singular test per SQL rule returning the failing rows.',
  },
  {
    format: 'gx',
    label: 'Great Expectations suite',
    files: '<name>.gx.json',
    purpose: 'A GX Core 1.x expectation suite per table, SQL rules as unexpected-rows expectations.',
  },
  {
    format: 'soda',
    label: 'Soda contract',
    files: '<name>.soda.yaml',
    purpose: 'A Soda v4 data contract per table: the same checks for a Soda pipeline.',
  },
  {
    format: 'croissant',
    label: 'Croissant metadata',
    files: '<name>.croissant.json',
    purpose:
      'Croissant 1.1 JSON-LD with the Responsible-AI vocabulary: the file’s sha256, fields and types, time coverage, missing data, personal data, biases and limitations.',
  },
  {
    format: 'card',
    label: 'Dataset card',
    files: '<name>.card.md',
    purpose: 'The same facts as the Croissant file, in Markdown for people to read.',
  },
];

/** The format a written check file belongs to, from its path. */
export function checkFormatOf(path: string): CheckFormat | undefined {
  if (path.startsWith('dbt/')) return 'dbt';
  if (path.endsWith('.odcs.yaml')) return 'odcs';
  if (path.endsWith('.gx.json')) return 'gx';
  if (path.endsWith('.soda.yaml')) return 'soda';
  if (path.endsWith('.croissant.json')) return 'croissant';
  if (path.endsWith('.card.md')) return 'card';
  return undefined;
}

/**
 * The checks the audit says should hold, as files a client's pipeline runs:
 * ODCS, dbt, Great Expectations, Soda, Croissant and the dataset card. The
 * spec is derived from the audit redacted in `redaction` (`personal` by
 * default), and a personal column's values never appear whatever the mode.
 * The CLI's `--export-contract` and the app's "Export checks" menu both
 * write what this returns.
 */
export function exportCheckFiles(audit: AuditDocument, redaction: RedactionMode = 'personal'): InteropFile[] {
  return checkExportFiles(deriveCheckSpec(audit, { redaction }));
}

/**
 * Several check files as one zip archive with their folder layout kept
 * (`dbt/models/…`, `dbt/tests/…`), so a browser download lands as the CLI's
 * `--export-contract` folder would, in one file instead of dozens of prompts.
 * Entries are dated `modified` (the audit's update time), so the same audit
 * gives the same bytes.
 */
export function checkExportZip(files: readonly InteropFile[], modified: string): Uint8Array {
  const mtime = new Date(modified);
  const entries: Zippable = {};
  const encoder = new TextEncoder();
  for (const file of files) entries[file.path] = [encoder.encode(file.text), { mtime }];
  return zipSync(entries, { level: 6 });
}

/** The archive's name: the spec name the files share, and which formats it holds. */
export function checkExportZipName(files: readonly InteropFile[], what: 'all' | CheckFormat): string {
  // Spec names are identifier-safe (no dot), so a file's name up to its first dot is the spec name.
  const first = files[0]?.path.replace(/^dbt\/models\//, '') ?? '';
  const stem =
    files.find((f) => !f.path.startsWith('dbt/'))?.path.split('.')[0] ?? (first.split('.')[0] || 'checks');
  return what === 'all' ? `${stem}.checks.zip` : `${stem}.${what}.zip`;
}
