import type { AuditDocument, RedactionMode } from '../core/model/audit';
import type { MonitoringContract } from '../core/model/drift';
import { redactForExport } from '../core/redact';
import type { ExportedFile } from './audit-file';

/**
 * The monitoring contract as a file, redacted like the audit it comes from:
 * it goes through the same pass, inside its audit, so the audit's personal
 * columns (detected, named or marked, in any dataset) decide what is masked.
 * Categories of personal columns become SQL parameters and the contract's
 * notes say how to bind them; `none` keeps the values by the user's choice.
 */
export function exportContractFile(
  audit: AuditDocument,
  contract: MonitoringContract,
  redaction: RedactionMode = 'personal',
): ExportedFile {
  const redacted = redactForExport({ ...audit, drift: { ...audit.drift, contract } }, redaction).drift
    ?.contract;
  return {
    fileName: 'monitoring-contract.json',
    mimeType: 'application/json',
    text: `${JSON.stringify(redacted ?? contract, null, 2)}\n`,
  };
}
