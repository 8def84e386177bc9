import { z } from 'zod';

/**
 * The sprint-0 deliverable's non-data sections: constraints, the system and
 * integration map, the team map, the data-engineering plan's edits, the
 * timeline and cost inputs, and the sign-off. Stored as the optional
 * `deliverable` field of the audit document. Every text and list has a
 * `.max()` so an imported file cannot make a report unbounded.
 *
 * This module imports nothing from `./audit`, which imports it.
 */

const short = z.string().max(200);
const long = z.string().max(2000);
const isoDateOrEmpty = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]);
const weeks = z.number().min(0).max(520);

export const CONSTRAINT_KINDS = [
  'budget',
  'deadline',
  'regulatory',
  'technical',
  'organisational',
  'other',
] as const;
export const ConstraintSchema = z.object({
  kind: z.enum(CONSTRAINT_KINDS),
  text: long,
});

export const ACCESS_MODES = ['unknown', 'manual-export', 'scheduled-batch', 'api', 'stream'] as const;
export const REFRESH_CADENCES = [
  'unknown',
  'real-time',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'ad-hoc',
] as const;
export const AccessModeSchema = z.enum(ACCESS_MODES);
export const RefreshCadenceSchema = z.enum(REFRESH_CADENCES);

export const SourceSystemSchema = z.object({
  /** The value of the source role it was pre-filled from, or a name typed by hand. Stable: findings name it. */
  name: short.min(1),
  owner: short.default(''),
  access: AccessModeSchema.default('unknown'),
  refresh: RefreshCadenceSchema.default('unknown'),
  /** Months of history the system keeps and can export; null when unknown. */
  historyMonths: z.number().int().min(0).max(1200).nullable().default(null),
  legacy: z.boolean().default(false),
  notes: long.default(''),
});

export const SERVING_MODES = ['undecided', 'batch', 'real-time', 'embedded'] as const;
export const ServingSchema = z.object({
  mode: z.enum(SERVING_MODES).default('undecided'),
  /** Latency the serving needs, as the client states it ("under 200 ms", "by 6 am"). */
  latency: short.default(''),
  /** Who or what consumes the predictions. */
  consumer: short.default(''),
});

export const PIPELINE_STATUSES = ['unknown', 'exists', 'to-build'] as const;
export const PipelineStepSchema = z.object({
  name: short.min(1),
  status: z.enum(PIPELINE_STATUSES).default('unknown'),
  notes: long.default(''),
});

export const IntegrationSchema = z.object({
  sources: z.array(SourceSystemSchema).max(50).default([]),
  serving: ServingSchema.default({ mode: 'undecided', latency: '', consumer: '' }),
  /** Months of history the training window needs (e.g. 24 for two seasonal cycles); null when not decided. */
  trainingWindowMonths: z.number().int().min(0).max(1200).nullable().default(null),
  pipeline: z.array(PipelineStepSchema).max(30).default([]),
});

export const TEAM_ROLES = ['data-engineering', 'ml-engineering', 'domain-expertise'] as const;
export const TeamRoleSchema = z.enum(TEAM_ROLES);
export const TeamMemberSchema = z.object({
  role: TeamRoleSchema,
  /** Who covers it; empty means nobody yet. */
  who: short.default(''),
  /** Marked as a gap: nobody covers it yet. */
  gap: z.boolean().default(false),
  /** How the gap will be filled (hire, client secondment, partner…). */
  plan: long.default(''),
});
export const REVIEW_CADENCES = ['none', 'weekly', 'fortnightly', 'monthly'] as const;
export const TeamSchema = z.object({
  members: z.array(TeamMemberSchema).max(30).default([]),
  domainReviewCadence: z.enum(REVIEW_CADENCES).default('none'),
});

export const FIX_KINDS = ['upstream', 'pipeline', 'collect-more-data', 'staffing'] as const;
export const OWNER_ROLES = [
  'data-engineering',
  'ml-engineering',
  'domain-expertise',
  'source-owner',
  'project-lead',
] as const;
export const EFFORT_BANDS = ['S', 'M', 'L', 'XL'] as const;
export const FixKindSchema = z.enum(FIX_KINDS);
export const OwnerRoleSchema = z.enum(OWNER_ROLES);
export const EffortBandSchema = z.enum(EFFORT_BANDS);

/** The consultant's edits to the work item generated for one finding. */
export const WorkItemEditSchema = z.object({
  findingId: z.string().max(500),
  fix: FixKindSchema.optional(),
  ownerRole: OwnerRoleSchema.optional(),
  effort: EffortBandSchema.optional(),
  notes: long.optional(),
});

/** A work item added by hand. */
export const ManualWorkItemSchema = z.object({
  id: short.min(1),
  title: short.min(1),
  fix: FixKindSchema,
  ownerRole: OwnerRoleSchema,
  effort: EffortBandSchema,
  notes: long.default(''),
});

export const WorkPlanSchema = z.object({
  edits: z.array(WorkItemEditSchema).max(500).default([]),
  manual: z.array(ManualWorkItemSchema).max(100).default([]),
  /** Data engineers working on the plan in parallel; the plan's weeks are its person-days ÷ (5 × this). */
  dataEngineers: z.number().min(0.5).max(50).default(1),
});

export const PhaseSchema = z
  .object({
    id: short.min(1),
    name: short.min(1),
    minWeeks: weeks,
    maxWeeks: weeks,
    /** Where the default comes from, or "team assumption". */
    source: short.default('team assumption'),
  })
  .refine((p) => p.minWeeks <= p.maxWeeks, { message: 'minWeeks must not exceed maxWeeks' });

export const TimelineSchema = z.object({
  phases: z.array(PhaseSchema).max(12),
  /** Extra share of the timeline per blocker that is waived instead of fixed. */
  waivedBlockerUplift: z.number().min(0).max(1),
  /** The uplift never exceeds this share, however many blockers are waived. */
  waivedBlockerUpliftCap: z.number().min(0).max(3),
});

export const SCOPES = ['poc', 'mid-scale', 'enterprise'] as const;
export const ScopeSchema = z.enum(SCOPES);
export const ScopeCostSchema = z.object({
  scope: ScopeSchema,
  teamSize: z.number().min(0).max(500),
  /** Which phases this scope runs through (ids); a proof of concept stops after the baseline. */
  phases: z.array(short).max(12),
  /** Duration factor on those phases (more systems, more sign-offs at enterprise scale). */
  durationFactor: z.number().min(0.1).max(10),
});
export const CostSchema = z.object({
  currency: z.string().max(8),
  /** Blended daily rate per person. */
  dailyRate: z.number().min(0).max(100_000),
  scopes: z.array(ScopeCostSchema).max(3),
});

export const SignOffSchema = z.object({
  reviewer: short.min(1),
  role: short.default(''),
  date: isoDateOrEmpty.default(''),
  notes: long.default(''),
});

export const DeliverableSchema = z.object({
  constraints: z.array(ConstraintSchema).max(30).default([]),
  integration: IntegrationSchema.optional(),
  team: TeamSchema.optional(),
  workPlan: WorkPlanSchema.optional(),
  timeline: TimelineSchema.optional(),
  cost: CostSchema.optional(),
  signOff: z.array(SignOffSchema).max(10).default([]),
  /** A recommended next step typed by the consultant; the report derives one when empty. */
  nextStep: long.default(''),
});

export type Constraint = z.infer<typeof ConstraintSchema>;
export type AccessMode = z.infer<typeof AccessModeSchema>;
export type RefreshCadence = z.infer<typeof RefreshCadenceSchema>;
export type SourceSystem = z.infer<typeof SourceSystemSchema>;
export type Serving = z.infer<typeof ServingSchema>;
export type PipelineStep = z.infer<typeof PipelineStepSchema>;
export type Integration = z.infer<typeof IntegrationSchema>;
export type TeamRole = z.infer<typeof TeamRoleSchema>;
export type TeamMember = z.infer<typeof TeamMemberSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type FixKind = z.infer<typeof FixKindSchema>;
export type OwnerRole = z.infer<typeof OwnerRoleSchema>;
export type EffortBand = z.infer<typeof EffortBandSchema>;
export type WorkItemEdit = z.infer<typeof WorkItemEditSchema>;
export type ManualWorkItem = z.infer<typeof ManualWorkItemSchema>;
export type WorkPlan = z.infer<typeof WorkPlanSchema>;
export type Phase = z.infer<typeof PhaseSchema>;
export type Timeline = z.infer<typeof TimelineSchema>;
export type Scope = z.infer<typeof ScopeSchema>;
export type ScopeCost = z.infer<typeof ScopeCostSchema>;
export type Cost = z.infer<typeof CostSchema>;
export type SignOff = z.infer<typeof SignOffSchema>;
export type Deliverable = z.infer<typeof DeliverableSchema>;
