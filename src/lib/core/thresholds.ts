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

/**
 * Values the profile's summary statement may hold at once in its exact
 * aggregates (rows × columns with quantiles or an exact distinct count); a
 * table that needs more is summarised in several statements, each over fewer
 * columns. Source: DuckDB-WASM is a wasm32 build, a 4 GiB heap for everything;
 * the table itself took 1.9 GiB at 30M × 20 (loaded in parts, issue 25), and
 * `quantile_cont` keeps every value of its column (8 bytes, in a vector that
 * grows by doubling: up to 16 bytes each), so 1 GiB of buffers is 2^26 values:
 * two numeric columns per statement at 30M rows, six at 10M (one statement, as
 * before, for the 10M × 20 record table). Measured in DuckDB-WASM at 30M × 20
 * (six numeric columns): one statement failed out of memory at 4.2 GiB
 * resident; three of two columns ran in 35 s CPU, peaking at 2.8 GiB.
 */
export const SUMMARY_MAX_HELD_VALUES = 2 ** 26;
