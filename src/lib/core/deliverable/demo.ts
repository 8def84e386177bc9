import { DEFAULT_COST, DEFAULT_PIPELINE_STEPS, DEFAULT_TIMELINE } from './defaults';
import { DeliverableSchema, type Deliverable } from '../model/deliverable';

/**
 * The demo's sprint-0 story (the churn dataset in `public/demo`), filled in
 * the way a consultant would after the kick-off: three source systems, one a
 * legacy billing export nobody owns, real-time serving asked for, an ML
 * engineer still to hire. It exercises every section of the report; the app
 * can offer it with "Try the demo" and tests use it as the filled-in case.
 */
export function demoDeliverable(): Deliverable {
  return DeliverableSchema.parse({
    constraints: [
      { kind: 'deadline', text: 'Retention campaign for Q2 needs scores by 1 March.' },
      {
        kind: 'regulatory',
        text: 'GDPR: e-mail, phone and card numbers must not reach the model or its logs.',
      },
      { kind: 'budget', text: 'Proof of concept approved; production budget decided after sprint 0.' },
    ],
    integration: {
      sources: [
        { name: 'crm_eu', owner: 'EU CRM team', access: 'api', refresh: 'hourly', historyMonths: 36 },
        {
          name: 'crm_us',
          owner: 'US CRM team',
          access: 'scheduled-batch',
          refresh: 'daily',
          historyMonths: 24,
        },
        {
          name: 'legacy_billing',
          owner: '',
          access: 'manual-export',
          refresh: 'monthly',
          historyMonths: 18,
          legacy: true,
          notes: 'CSV export from the old billing system; amounts in cents.',
        },
      ],
      serving: { mode: 'real-time', latency: 'under 300 ms', consumer: 'Call-centre retention screen' },
      trainingWindowMonths: 24,
      pipeline: DEFAULT_PIPELINE_STEPS.map((name, i) => ({
        name,
        status: i === 0 ? 'exists' : 'to-build',
        notes: i === 0 ? 'Nightly CRM extracts land in the data lake.' : '',
      })),
    },
    team: {
      members: [
        { role: 'data-engineering', who: 'Client data platform team (2 people)' },
        {
          role: 'ml-engineering',
          gap: true,
          plan: 'Contract ML engineer from January; consultancy covers until then.',
        },
        { role: 'domain-expertise', who: 'Head of retention' },
      ],
      domainReviewCadence: 'fortnightly',
    },
    workPlan: { edits: [], manual: [], dataEngineers: 2 },
    timeline: DEFAULT_TIMELINE,
    cost: DEFAULT_COST,
    signOff: [{ reviewer: 'A. Consultant', role: 'Lead data scientist', date: '2026-11-20' }],
    nextStep: '',
  });
}
