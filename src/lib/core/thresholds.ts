/**
 * Every threshold and shared list used by the profile alerts and the readiness
 * checks, in one module. The UI, the reports and the README read them from
 * here, and each default names its source: `PROFILE_THRESHOLD_SOURCES`,
 * `THRESHOLD_SOURCES` (readiness) and the drift and plan records.
 *
 * "Team default" marks a value chosen by us from common practice rather than
 * taken from a publication; change it here and every check follows.
 */

export * from './thresholds/profile';
export * from './thresholds/readiness';
export * from './thresholds/plan';
export * from './thresholds/drift';
export * from './thresholds/feasibility';
export * from './thresholds/relations';
export * from './thresholds/interop';
