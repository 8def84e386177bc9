import { DRIFT_THRESHOLDS } from './drift';
import { THRESHOLDS } from './profile';
import { READINESS_THRESHOLDS } from './readiness';

/**
 * Defaults of the exported checks (issue 23): how far a new extract may move
 * from the audited one before a rule fails. Each names its source in
 * `INTEROP_THRESHOLD_SOURCES`; "team default" marks a value we chose.
 */
export const INTEROP_THRESHOLDS = {
  minRowsShare: 0.5,
  nullRateMargin: DRIFT_THRESHOLDS.missingRateChange,
  acceptedValuesMaxDistinct: THRESHOLDS.categoricalMaxDistinct,
  freshnessMaxAgeDays: READINESS_THRESHOLDS.recencyMinorDays,
};

export type InteropThresholds = typeof INTEROP_THRESHOLDS;

export const INTEROP_THRESHOLD_SOURCES: Record<keyof InteropThresholds, string> = {
  minRowsShare:
    'A new extract with fewer rows than this share of the audited one is probably cut short (a failed load, a partial export): the row-count rule fails below it (team default).',
  nullRateMargin:
    'A column’s null share may rise by this much over the audited share before its null-rate rule fails: the drift check’s missing-rate change (`DRIFT_THRESHOLDS.missingRateChange`), so both say the same.',
  acceptedValuesMaxDistinct:
    'An accepted-values rule lists at most this many values: the profile’s categorical limit (`THRESHOLDS.categoricalMaxDistinct`, ydata-profiling’s 50); more values make a list nobody reviews.',
  freshnessMaxAgeDays:
    'The newest event time may be at most this many days before the run date: the coverage-recency check’s minor level (`READINESS_THRESHOLDS.recencyMinorDays`, one quarter).',
};
