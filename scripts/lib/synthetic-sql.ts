/**
 * The churn extract of `synthetic.ts`, generated in SQL on DuckDB in linear time,
 * so 1M and 10M planted rows take seconds instead of hours.
 *
 * Every random draw is `hash(row, salt)`, so the same DuckDB version gives the same
 * values on every run. The planted defects do not depend on the hash at all: each
 * one owns a fixed range of "slots", and a slot is the row number pushed through a
 * bijection (multiplication by a prime modulo the row count). Every defect count is
 * therefore exact by construction, and the rows carrying defects are scattered
 * through the table. Rows that carry a defect get the label or source the defect
 * needs (a future snapshot is never a churner, an outcome before its event always
 * is), so no defect depends on a draw either.
 *
 * The descriptive numbers (churn rate per source, newest snapshot, …) depend on the
 * draws; `describeChurnTable` counts them from the generated table with one query,
 * as `synthetic.ts` counts them from its rows.
 */
import type { Connector, Row } from '../../src/lib/engine/connector';
import { ident, num, str } from '../../src/lib/core/sql/quote';
import {
  CANCELLATION_REASONS,
  COMPANY_DOMAINS,
  CONTRACTS,
  FIRST_NAMES,
  LAST_NAMES,
  PAYMENTS,
  PLANS,
  REGIONS,
  SOURCE_WEIGHTS,
} from './synthetic';
import {
  ALL_DEFECTS,
  BASE_ROWS,
  CORE_COLUMNS,
  SHIFTED_SOURCE,
  SIZES,
  SOURCES,
  SPELLING_SOURCE,
  describePlanted,
  type ChurnColumn,
  type DefectFlags,
  type PlantedDefects,
  type Source,
} from '../../tests/fixtures/planted-defects';

export interface ChurnSqlOptions {
  /** Salt of every hash draw; a different seed gives different values, the same defect counts. */
  seed?: number;
  /** Total rows, including planted duplicates and conflict copies. */
  rows: number;
  /** The extract's "today", ISO date. */
  asOf?: string;
  /** Missing flags default to true, as in `generateChurnDataset`. */
  defects?: Partial<DefectFlags>;
}

/** Exact sizes of the planted defects, known before any row exists. */
export interface ChurnSqlPlan {
  sql: string;
  rows: number;
  baseRows: number;
  asOf: string;
  seed: number;
  defects: DefectFlags;
  columns: ChurnColumn[];
  gapMonth: string | null;
  /** Slots per defect code, in slot order. */
  slots: [string, number][];
  conflictGroups: number;
  duplicateGroups: number;
  sentinelCounts: Record<string, number>;
  labelVariantCounts: Record<string, number>;
  missingCounts: Record<string, number>;
  sentinelFeeCounts: Record<string, number>;
  futureRows: number;
  outcomeBeforeEventRows: number;
  cardNumberRows: number;
}

const DAY_MS = 86_400_000;
/** A prime above any row count used here, so `i * P mod n` is a bijection of 0…n-1. */
const SLOT_PRIME = 2_654_435_761;
const ID_PRIME = 2_147_483_647;

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const utc = (iso: string): Date => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`asOf must be YYYY-MM-DD, got ${iso}`);
  return new Date(`${iso}T00:00:00Z`);
};
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * DAY_MS);
const addMonths = (d: Date, n: number): Date =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()));
const date = (d: Date): string => `DATE ${str(isoDate(d))}`;

/**
 * The 64-bit hash behind one draw. `hash(a, b)` only combines per-argument hashes,
 * which leaves the draws of one row strongly correlated, so row, salt and seed are
 * packed into one BIGINT first (row < 2^32, salt < 256, seed < 2^22).
 */
function rawHash(seed: number, salt: number): string {
  return `hash(i * 256 + ${salt + seed * 2 ** 40})`;
}

/** A uniform draw in [0, 1) from the row number and a salt: the top 53 bits of the hash. */
function uniform(seed: number, salt: number): string {
  return `((${rawHash(seed, salt)} >> 11)::DOUBLE / 9007199254740992.0)`;
}

/** Pick from weighted items with one uniform draw, as a CASE over the cumulative weights. */
function weighted(u: string, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let cumulative = 0;
  const arms = items.slice(0, -1).map(([value, w]) => {
    cumulative += w / total;
    return `WHEN ${u} < ${num(cumulative)} THEN ${str(value)}`;
  });
  return `CASE ${arms.join(' ')} ELSE ${str(items[items.length - 1]![0])} END`;
}

/** Poisson(mean) by inverting its CDF, which TS computes once. */
function poisson(u: string, mean: number): string {
  const arms: string[] = [];
  let p = Math.exp(-mean);
  let cdf = p;
  for (let k = 0; k < 12; k++) {
    arms.push(`WHEN ${u} < ${num(cdf)} THEN ${k}`);
    p = (p * mean) / (k + 1);
    cdf += p;
  }
  return `CASE ${arms.join(' ')} ELSE 12 END`;
}

/** A standard normal draw (Box–Muller) from two salts. */
function normal(u: (salt: number) => string, saltA: number, saltB: number): string {
  return `(sqrt(-2 * ln(1 - ${u(saltA)})) * cos(2 * pi() * ${u(saltB)}))`;
}

const pick = (list: readonly string[], u: string): string =>
  `[${list.map(str).join(', ')}][1 + CAST(floor(${u} * ${list.length}) AS INTEGER)]`;
const digits = (u: string, n: number): string =>
  `lpad(CAST(CAST(floor(${u} * ${10 ** n}) AS INTEGER) AS VARCHAR), ${n}, '0')`;

/**
 * A 16-digit Visa-style number with a valid Luhn check digit, as SQL. The 14 free
 * digits are the decimal digits of one 64-bit hash (`h`), which has 19 of them.
 */
function luhnCard(h: string): string {
  const payload = [
    '4',
    ...Array.from({ length: 14 }, (_, k) => `CAST((${h} // ${10n ** BigInt(k)}) % 10 AS INTEGER)`),
  ];
  // The check digit follows, so the rightmost payload digit is doubled, then every second one.
  const terms = payload.map((d, j) =>
    (payload.length - 1 - j) % 2 === 0 ? `(CASE WHEN ${d} * 2 > 9 THEN ${d} * 2 - 9 ELSE ${d} * 2 END)` : d,
  );
  const check = `((10 - ((${terms.join(' + ')}) % 10)) % 10)`;
  return `concat(${[...payload, check].map((d) => `CAST(${d} AS VARCHAR)`).join(', ')})`;
}

/**
 * The SQL of the whole planted table and the exact size of every defect.
 * Columns and their order follow `generateChurnDataset`; types are what DuckDB's
 * CSV reader infers from that generator's file.
 */
export function churnDatasetSql(options: ChurnSqlOptions): ChurnSqlPlan {
  const seed = Math.trunc(options.seed ?? 42);
  if (seed < 0 || seed >= 2 ** 22) throw new RangeError(`seed must be in 0…${2 ** 22 - 1}, got ${seed}`);
  const total = Math.trunc(options.rows);
  const asOfText = options.asOf ?? '2026-11-01';
  const asOf = utc(asOfText);
  const defects: DefectFlags = { ...ALL_DEFECTS, ...options.defects };
  const scale = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round((n * total) / BASE_ROWS)));
  const sized = (on: boolean, counts: Record<string, number>): Record<string, number> =>
    on ? Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, scale(n)])) : {};

  const conflictGroups = defects.conflictingLabels ? scale(SIZES.conflictGroups) : 0;
  const duplicateGroups = defects.duplicateRows ? scale(SIZES.duplicateGroups) : 0;
  const baseRows = total - conflictGroups - duplicateGroups;
  if (baseRows < 100 || total >= SLOT_PRIME)
    throw new RangeError(`rows must be between ~120 and ${SLOT_PRIME}, got ${total}`);

  const sentinelCounts = sized(defects.sentinelDates, SIZES.sentinel);
  const labelVariantCounts = sized(defects.labelVariants, SIZES.labelVariants);
  const missingCounts = sized(defects.missingLikeTokens, SIZES.missingTokens);
  const sentinelFeeCounts = sized(defects.numericSentinels, SIZES.numericSentinels);
  const futureRows = defects.futureDates ? scale(SIZES.futureRows) : 0;
  const outcomeBeforeEventRows = defects.outcomeBeforeEvent ? scale(SIZES.outcomeBeforeEvent) : 0;
  const cardNumberRows = defects.pii ? scale(SIZES.cardNumbers) : 0;

  // Slot ranges: one code per defect value; a row carries at most one defect.
  const slots: [string, number][] = [
    ['future', futureRows],
    ...Object.entries(sentinelCounts).map(([v, n]): [string, number] => [`sentinel:${v}`, n]),
    ['obe', outcomeBeforeEventRows],
    ...Object.entries(labelVariantCounts).map(([v, n]): [string, number] => [`label:${v}`, n]),
    ...Object.entries(missingCounts).map(([v, n]): [string, number] => [`missing:${v}`, n]),
    ...Object.entries(sentinelFeeCounts).map(([v, n]): [string, number] => [`fee:${v}`, n]),
    ['card', cardNumberRows],
    ['conflict', conflictGroups],
    ['dup', duplicateGroups],
  ].filter((s): s is [string, number] => (s[1] as number) > 0);
  let end = 0;
  const slotCase = `CASE ${slots.map(([code, n]) => `WHEN slot < ${(end += n)} THEN ${str(code)}`).join(' ')} END`;
  if (end > baseRows) throw new RangeError(`not enough rows to plant ${end} defects`);

  // Snapshot window as in synthetic.ts: ~24 months, ending 3 days before asOf, or 8 months earlier when stale.
  const windowEnd = defects.stale ? addMonths(asOf, -8) : addDays(asOf, -3);
  const windowStart = new Date(Date.UTC(windowEnd.getUTCFullYear(), windowEnd.getUTCMonth() - 24, 1));
  const spanDays = Math.floor((windowEnd.getTime() - windowStart.getTime()) / DAY_MS);
  const gapStart = addMonths(windowStart, 13);
  const gapDays = defects.gapMonth
    ? Math.round((addMonths(gapStart, 1).getTime() - gapStart.getTime()) / DAY_MS)
    : 0;
  const gapOffset = Math.round((gapStart.getTime() - windowStart.getTime()) / DAY_MS);

  // Each draw is computed once per row into a column `u<salt>`: a CASE over cumulative
  // weights would otherwise hash again in every arm.
  const salts = new Set<number>();
  const u = (salt: number): string => {
    salts.add(salt);
    return `u${salt}`;
  };
  const isLabelVariant = `starts_with(defect, 'label:')`;
  const shifted = str(SHIFTED_SOURCE);
  const spelling = str(SPELLING_SOURCE);
  // Density grows linearly from 0.6 to 1.0 over the window (a growing customer base): invert that CDF.
  const growth = `((-0.6 + sqrt(0.36 + 0.64 * ${u(3)})) / 0.4)`;
  const usableDays = spanDays - gapDays;
  const dayOffset = `CAST(floor(${growth} * ${usableDays}) AS INTEGER)`;
  const secondOfDay = `((7 + CAST(floor(${u(4)} * 15) AS INTEGER)) * 3600 + CAST(floor(${u(5)} * 60) AS INTEGER) * 60 + CAST(floor(${u(6)} * 60) AS INTEGER))`;
  const listFee = `CASE plan ${PLANS.map(([[name, fee]]) => `WHEN ${str(name)} THEN ${fee}`).join(' ')} END`;
  const dateOnly = defects.midnightTimestamps ? `source = ${shifted}` : 'FALSE';
  const forcedChurn = [
    ['future', false],
    ['obe', true],
    ['conflict', false],
    ...Object.keys(labelVariantCounts).map((v) => [`label:${v}`, v.trim().toLowerCase().startsWith('y')]),
  ] as [string, boolean][];
  const churnLabel = (churned: string, sourceColumn = 'source'): string =>
    defects.sourceSpellings
      ? `CASE WHEN ${sourceColumn} = ${spelling} THEN (CASE WHEN ${churned} THEN 'Y' ELSE 'N' END) ELSE (CASE WHEN ${churned} THEN 'Yes' ELSE 'No' END) END`
      : `CASE WHEN ${churned} THEN 'Yes' ELSE 'No' END`;

  const columns: ChurnColumn[] = [...CORE_COLUMNS];
  if (defects.pii) columns.splice(2, 0, 'email', 'phone');
  if (defects.pii) columns.push('card_number');
  if (defects.leakingColumn) columns.push('cancellation_reason');

  const rendered: Record<ChurnColumn, string> = {
    customer_id: `'C' || CAST(10000000 + (i * ${ID_PRIME}) % ${baseRows} AS VARCHAR)`,
    source_system: 'source',
    email: `lower(${pick(FIRST_NAMES, u(20))} || '.' || ${pick(LAST_NAMES, u(21))} || '@' || ${pick(COMPANY_DOMAINS, u(22))})`,
    phone: `CASE source
      WHEN 'crm_us' THEN '+1 ' || ${pick(['202', '312', '415', '617'], u(23))} || '-555-01' || ${digits(u(24), 2)}
      WHEN 'legacy_billing' THEN '02079460' || ${digits(u(24), 3)}
      ELSE (CASE WHEN ${u(25)} < 0.5 THEN '+44 20 7946 0' || ${digits(u(24), 3)} ELSE '+33 1 99 00 ' || ${digits(u(24), 2)} || ' ' || ${digits(u(26), 2)} END) END`,
    signup_date: `CASE ${Object.keys(sentinelCounts)
      .map((v) => `WHEN defect = ${str(`sentinel:${v}`)} THEN DATE ${str(v)}`)
      .join(' ')} ELSE CAST(snapshot_day - to_months(tenure) AS DATE) END`,
    snapshot_date: `CAST(snapshot_day AS TIMESTAMP) + to_seconds(CASE WHEN ${dateOnly} THEN 0 ELSE second_of_day END)`,
    region: defects.sourceSpellings
      ? `CASE WHEN source = ${spelling} THEN lower(region) ELSE region END`
      : 'region',
    plan: defects.sourceSpellings ? `CASE WHEN source = ${spelling} THEN upper(plan) ELSE plan END` : 'plan',
    contract_type: 'contract',
    payment_method: `CASE ${Object.keys(missingCounts)
      .map((v) => `WHEN defect = ${str(`missing:${v}`)} THEN ${str(v)}`)
      .join(' ')} ELSE payment END`,
    monthly_fee: `CASE ${Object.keys(sentinelFeeCounts)
      .map((v) => `WHEN defect = ${str(`fee:${v}`)} THEN ${num(Number(v))}`)
      .join(' ')} ${defects.unitScale ? `WHEN source = ${shifted} THEN round(fee * 100)` : ''} ELSE fee END`,
    tenure_months: 'tenure',
    support_tickets: 'tickets',
    last_login_days: 'last_login',
    churned: `CASE ${Object.keys(labelVariantCounts)
      .map((v) => `WHEN defect = ${str(`label:${v}`)} THEN ${str(v)}`)
      .join(' ')} ELSE ${churnLabel('churned')} END`,
    churn_date: `CASE WHEN NOT churned THEN NULL
      WHEN defect = 'obe' THEN snapshot_day - (1 + CAST(floor(${u(30)} * 60) AS INTEGER))
      ELSE least(snapshot_day + (1 + CAST(floor(${u(30)} * 90) AS INTEGER)), ${date(addDays(windowEnd, 2))}) END`,
    card_number: `CASE WHEN defect = 'card' THEN (CASE WHEN ${u(31)} < 0.5 THEN card ELSE concat_ws(' ', card[1:4], card[5:8], card[9:12], card[13:16]) END) END`,
    cancellation_reason: `CASE WHEN churned THEN ${weighted(u(32), CANCELLATION_REASONS)} END`,
  };
  // Empty mappings above leave `CASE  ELSE x END`, which DuckDB rejects: drop them to `x`.
  const tidy = (sql: string): string => sql.replace(/^CASE\s+ELSE ([\s\S]*) END$/, '$1');

  const body = `drawn AS (
  SELECT *, (i * ${SLOT_PRIME}) % ${baseRows} AS slot,
    ${weighted(u(1), SOURCE_WEIGHTS)} AS drawn_source,
    ${weighted(u(7), REGIONS)} AS region,
    ${weighted(
      u(8),
      PLANS.map(([[name], w]) => [name, w] as const),
    )} AS plan,
    ${weighted(u(9), CONTRACTS)} AS contract,
    ${weighted(u(10), PAYMENTS)} AS payment,
    CAST(least(120, greatest(1, round(exp(2.8 + 0.9 * ${normal(u, 11, 12)})))) AS BIGINT) AS tenure,
    CAST(${poisson(u(13), 1.4)} AS BIGINT) AS tickets,
    CAST(floor(-ln(1 - ${u(14)}) * 12) AS BIGINT) AS last_login,
    ${normal(u, 15, 16)} AS fee_noise,
    ${dayOffset} AS day_offset,
    ${secondOfDay} AS second_of_day
  FROM draws
), flagged AS (
  SELECT *, ${slots.length > 0 ? slotCase : 'CAST(NULL AS VARCHAR)'} AS defect FROM drawn
), sourced AS (
  SELECT *,
    -- Label variants avoid the source that spells labels Y/N, fee sentinels the source in cents.
    CASE WHEN ${isLabelVariant} AND drawn_source = ${spelling} THEN 'crm_eu'
         WHEN starts_with(defect, 'fee:') AND drawn_source = ${shifted} THEN 'crm_eu'
         ELSE drawn_source END AS source,
    round(${listFee} * exp(0.12 * fee_noise) * 100) / 100 AS fee
  FROM flagged
), modelled AS (
  SELECT *,
    CASE WHEN defect = 'future' THEN ${date(asOf)} + (1 + CAST(floor(${u(17)} * 120) AS INTEGER))
         ELSE ${date(windowStart)} + (day_offset + CASE WHEN day_offset >= ${gapOffset} THEN ${gapDays} ELSE 0 END) END AS snapshot_day,
    ${u(18)} < 1 / (1 + exp(-(-2.05
      + CASE contract WHEN 'Month-to-month' THEN 1.2 WHEN 'Two year' THEN -0.9 ELSE 0 END
      + 0.35 * tickets + 0.03 * last_login - 0.35 * ln(tenure)
      + CASE WHEN plan = 'Basic' THEN 0.3 ELSE 0 END
      ${defects.sourceLabelShift ? `+ CASE WHEN source = ${shifted} THEN 1.6 ELSE 0 END` : ''}))) AS drawn_churn
  FROM sourced
), labelled AS (
  SELECT *,
    CASE ${forcedChurn.map(([code, value]) => `WHEN defect = ${str(code)} THEN ${value ? 'TRUE' : 'FALSE'}`).join(' ')} ELSE drawn_churn END AS churned,
    CASE WHEN defect = 'card' THEN ${luhnCard(rawHash(seed, 200))} END AS card
  FROM modelled
), copied AS (
  -- Conflicting and duplicated rows appear twice, in one pass: a second scan would redo every draw.
  SELECT *, unnest(CASE WHEN defect IN ('conflict', 'dup') THEN [0, 1] ELSE [0] END) AS copy FROM labelled
)
SELECT ${columns
    .map((c) =>
      c === 'churned'
        ? `CASE WHEN copy = 1 AND defect = 'conflict' THEN ${churnLabel('TRUE')} ELSE ${tidy(rendered[c])} END AS churned`
        : `${tidy(rendered[c])} AS ${ident(c)}`,
    )
    .join(',\n  ')}
FROM copied`;
  const sql = `WITH draws AS (
  SELECT i, ${[...salts]
    .sort((a, b) => a - b)
    .map((salt) => `${uniform(seed, salt)} AS u${salt}`)
    .join(', ')}
  FROM range(${baseRows}) AS t(i)
), ${body}`;

  return {
    sql,
    rows: total,
    baseRows,
    asOf: asOfText,
    seed,
    defects,
    columns,
    gapMonth: defects.gapMonth ? isoDate(gapStart).slice(0, 7) : null,
    slots,
    conflictGroups,
    duplicateGroups,
    sentinelCounts,
    labelVariantCounts,
    missingCounts,
    sentinelFeeCounts,
    futureRows,
    outcomeBeforeEventRows,
    cardNumberRows,
  };
}

/** One aggregate query over the generated table: the numbers that depend on the draws. */
export function churnSummarySql(table: string, asOf: string): string {
  const t = ident(table);
  const asOfTs = `TIMESTAMP ${str(`${asOf} 00:00:00`)}`;
  const churn = `lower(trim(churned)) IN ('yes', 'y')`;
  return `SELECT
  count(*) AS rows,
  ${SOURCES.map((s) => `count(*) FILTER (WHERE source_system = ${str(s)}) AS ${ident(`rows_${s}`)}, count(*) FILTER (WHERE source_system = ${str(s)} AND ${churn}) AS ${ident(`churners_${s}`)}`).join(',\n  ')},
  count(*) FILTER (WHERE ${churn}) AS churners,
  count(*) FILTER (WHERE snapshot_date > ${asOfTs}) AS future_rows,
  strftime(max(snapshot_date) FILTER (WHERE snapshot_date > ${asOfTs}), '%Y-%m-%dT%H:%M:%S') AS latest_future,
  strftime(min(snapshot_date) FILTER (WHERE snapshot_date <= ${asOfTs}), '%Y-%m-%dT%H:%M:%S') AS min_snapshot,
  strftime(max(snapshot_date) FILTER (WHERE snapshot_date <= ${asOfTs}), '%Y-%m-%dT%H:%M:%S') AS max_snapshot,
  date_diff('day', CAST(max(snapshot_date) FILTER (WHERE snapshot_date <= ${asOfTs}) AS DATE), DATE ${str(asOf)}) AS days_before,
  count(*) FILTER (WHERE churn_date < CAST(snapshot_date AS DATE)) AS outcome_before,
  count(*) FILTER (WHERE CAST(snapshot_date AS TIME) = TIME '00:00:00') AS midnight
  FROM ${t}`;
}

const n = (row: Row | undefined, key: string): number => Number(row?.[key] ?? 0);

/**
 * Generate the planted table inside `conn` and describe it in the shape of
 * `PlantedDefects`, so tests written against `generateChurnDataset` apply unchanged.
 */
export async function generateChurnTable(
  conn: Connector,
  table: string,
  options: ChurnSqlOptions,
): Promise<PlantedDefects> {
  const plan = churnDatasetSql(options);
  await conn.exec(`CREATE TABLE ${ident(table)} AS ${plan.sql}`);
  return describeChurnTable(conn, table, plan);
}

/** Count what was planted, from the generated table and the plan's exact sizes. */
export async function describeChurnTable(
  conn: Connector,
  table: string,
  plan: ChurnSqlPlan,
): Promise<PlantedDefects> {
  const [s] = await conn.query(churnSummarySql(table, plan.asOf));
  const labels = await conn.query(
    `SELECT churned AS value, count(*) AS n FROM ${ident(table)} GROUP BY churned ORDER BY churned`,
  );
  const hasLeak = plan.defects.leakingColumn;
  const [leak] = hasLeak
    ? await conn.query(
        `SELECT count(cancellation_reason) AS filled, count(cancellation_reason) FILTER (WHERE lower(trim(churned)) IN ('yes', 'y')) AS churners FROM ${ident(table)}`,
      )
    : [];
  const bySource = Object.fromEntries(
    SOURCES.map((src) => [src, { rows: n(s, `rows_${src}`), churners: n(s, `churners_${src}`) }]),
  ) as Record<Source, { rows: number; churners: number }>;
  return describePlanted({
    ...plan,
    rows: n(s, 'rows'),
    churners: n(s, 'churners'),
    bySource,
    labelValueCounts: Object.fromEntries(labels.map((r) => [String(r.value), Number(r.n)])),
    leak: { filled: n(leak, 'filled'), churners: n(leak, 'churners') },
    future: { rows: n(s, 'future_rows'), latest: s?.latest_future == null ? null : String(s.latest_future) },
    snapshots: {
      min: String(s?.min_snapshot ?? ''),
      max: String(s?.max_snapshot ?? ''),
      daysBeforeAsOf: n(s, 'days_before'),
    },
    outcomeBeforeEventRows: n(s, 'outcome_before'),
    midnightRows: n(s, 'midnight'),
  });
}
