import type { TopLevelSpec } from 'vega-lite';
import type { EvidenceLabels } from '../format';
import type { Area, Finding } from '../model/audit';
import type { FixKind, OwnerRole } from '../model/deliverable';
import type { FindingKind } from './check-ids';

/** Builds the chart that helps read one finding, or null when its details table says it all. */
export type FindingChartBuilder = (finding: Finding) => TopLevelSpec | null;

/**
 * How a kind of finding reads and is fixed. These facts sit on the check's
 * (or the finding kind's) definition, next to its rule, so a new check
 * touches no map in another file.
 */
export interface FindingPresentation {
  /** What the finding means for the project, in one sentence (the cards and reports). */
  meaning: string;
  /**
   * How its work item is fixed, and by whom (the data-engineering plan).
   * Defects born in a source system are fixed upstream by its owner, or they
   * come back with every extract; defects a pipeline handles deterministically
   * are fixed in the pipeline; too little or too old data needs collecting.
   */
  fix: FixKind;
  owner: OwnerRole;
  /** The chart that helps read its findings; none when the details table says it all. */
  chart?: FindingChartBuilder;
  /** The label and kind of every evidence key its findings carry (a test holds every key to it). */
  evidence: EvidenceLabels;
}

/** A finding kind that is not a readiness check: the metric plan's, the deliverable's, drift history's. */
export interface FindingKindDefinition extends FindingPresentation {
  id: FindingKind;
  area: Area;
}

/** The "what it means" sentence of kinds that have none of their own yet. */
export const GENERIC_MEANING = 'See the recommendation for what to do about it.';
