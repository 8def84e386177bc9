import type { Area } from '../model/audit';

/** User-facing names of the finding areas, shared by the UI and the reports. */
export const AREA_LABELS: Record<Area, string> = {
  volume: 'Volume',
  labels: 'Labels',
  time: 'Timestamps',
  coverage: 'Coverage and recency',
  consistency: 'Consistency across sources',
  leakage: 'Leakage',
  quality: 'Data quality',
  privacy: 'Privacy',
  integration: 'Systems and integration',
  team: 'Team',
  drift: 'Drift',
  metrics: 'Success metrics',
  feasibility: 'Feasibility',
  relations: 'Related tables',
};
