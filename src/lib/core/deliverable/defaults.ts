import type {
  AccessMode,
  Constraint,
  Cost,
  EffortBand,
  FixKind,
  OwnerRole,
  RefreshCadence,
  Scope,
  TeamRole,
  Timeline,
} from '../model/deliverable';

/**
 * Defaults of the sprint-0 deliverable: timeline phases, effort bands, the
 * waived-blocker uplift and cost inputs. They are planning defaults, not
 * readiness thresholds, so they live here rather than in `core/thresholds`.
 * Every one is editable in the document and states its source, or says
 * "team assumption" when it is the team's own rule of thumb.
 */

/** Where the phase defaults come from. */
export const PHASE_SOURCE = 'team assumption (Sprint Zero engagement practice)';

/** Timeline defaults: four phases, in weeks. */
export const DEFAULT_TIMELINE: Timeline = {
  phases: [
    { id: 'audit', name: 'Data and system audit', minWeeks: 2, maxWeeks: 4, source: PHASE_SOURCE },
    {
      id: 'baseline',
      name: 'Baseline model and production plumbing',
      minWeeks: 3,
      maxWeeks: 4,
      source: PHASE_SOURCE,
    },
    { id: 'improve', name: 'Iterative improvement', minWeeks: 6, maxWeeks: 12, source: PHASE_SOURCE },
    { id: 'launch', name: 'Launch and monitoring', minWeeks: 2, maxWeeks: 4, source: PHASE_SOURCE },
  ],
  /**
   * Team assumption: each blocker waived instead of fixed adds 15 % to the
   * phases after the audit, because the team works around a known defect
   * (re-labelling, extra validation, a second model iteration) instead of
   * removing it.
   */
  waivedBlockerUplift: 0.15,
  /** Team assumption: the uplift is capped at +45 % (three waived blockers); beyond that, re-plan. */
  waivedBlockerUpliftCap: 0.45,
};

/** The phases the data-engineering plan's effort feeds: the work runs during the audit and the baseline. */
export const WORK_PLAN_PHASES: readonly string[] = ['audit', 'baseline'];

/** Person-days of each effort band (team assumption: S ≈ a day or two, M ≈ a week, L ≈ two weeks, XL ≈ a month). */
export const EFFORT_DAYS: Record<EffortBand, { min: number; max: number }> = {
  S: { min: 0.5, max: 2 },
  M: { min: 2, max: 5 },
  L: { min: 5, max: 10 },
  XL: { min: 10, max: 20 },
};

/** Working days per week, to turn person-days into weeks. */
export const WORKING_DAYS_PER_WEEK = 5;

/** Cost inputs (team assumption: a blended mid-market consulting rate; edit to the engagement's rate card). */
export const DEFAULT_COST: Cost = {
  currency: 'EUR',
  dailyRate: 900,
  scopes: [
    // A proof of concept runs the audit and the baseline with a pair (one data, one ML engineer).
    { scope: 'poc', teamSize: 2, phases: ['audit', 'baseline'], durationFactor: 1 },
    // Mid-scale production: every phase, a data engineer, two ML engineers, a part-time lead.
    {
      scope: 'mid-scale',
      teamSize: 4,
      phases: ['audit', 'baseline', 'improve', 'launch'],
      durationFactor: 1,
    },
    // Enterprise: more systems and sign-offs stretch every phase by half.
    {
      scope: 'enterprise',
      teamSize: 8,
      phases: ['audit', 'baseline', 'improve', 'launch'],
      durationFactor: 1.5,
    },
  ],
};

/** Pipeline steps listed on a new integration map; the consultant marks each as existing or to build. */
export const DEFAULT_PIPELINE_STEPS: readonly string[] = [
  'Extraction from source systems',
  'Validation and cleaning',
  'Feature computation',
  'Training and evaluation',
  'Serving predictions',
  'Monitoring and retraining',
];

export const SCOPE_LABELS: Record<Scope, string> = {
  poc: 'Proof of concept',
  'mid-scale': 'Mid-scale production',
  enterprise: 'Enterprise',
};

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  'data-engineering': 'Data engineering',
  'ml-engineering': 'ML engineering',
  'domain-expertise': 'Domain expertise',
};

export const OWNER_ROLE_LABELS: Record<OwnerRole, string> = {
  'data-engineering': 'Data engineering',
  'ml-engineering': 'ML engineering',
  'domain-expertise': 'Domain expert',
  'source-owner': 'Source-system owner',
  'project-lead': 'Project lead',
};

export const FIX_LABELS: Record<FixKind, string> = {
  upstream: 'Fix upstream, in the source system',
  pipeline: 'Handle in the pipeline',
  'collect-more-data': 'Collect more data',
  staffing: 'Staff the role',
};

export const ACCESS_LABELS: Record<AccessMode, string> = {
  unknown: 'Unknown',
  'manual-export': 'Manual export',
  'scheduled-batch': 'Scheduled batch',
  api: 'API',
  stream: 'Stream',
};

export const REFRESH_LABELS: Record<RefreshCadence, string> = {
  unknown: 'Unknown',
  'real-time': 'Real time',
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  'ad-hoc': 'Ad hoc',
};

export const CONSTRAINT_LABELS: Record<Constraint['kind'], string> = {
  budget: 'Budget',
  deadline: 'Deadline',
  regulatory: 'Regulatory',
  technical: 'Technical',
  organisational: 'Organisational',
  other: 'Other',
};
