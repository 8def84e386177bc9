/**
 * Seeded synthetic customer-churn extract with deliberately planted data problems.
 *
 * Pure TypeScript with no Node or DOM APIs, so the same generator runs in scripts,
 * unit tests and the browser. Every planted defect is counted exactly in `planted`
 * so tests can assert that each check finds what was put there — no more, no less.
 * What is planted, and how it is described, is shared with the SQL generator:
 * tests/fixtures/planted-defects.ts.
 */
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
  type CoreColumn,
  type DefectFlags,
  type OptionalColumn,
  type PlantedDefects,
  type Source,
} from '../../tests/fixtures/planted-defects';

// The description's names stay importable from here, as before it was shared.
export * from '../../tests/fixtures/planted-defects';

// ---------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------

/** mulberry32: tiny, fast, and good enough for test data; identical output on every JS engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal scaled to N(mean, sd), via Box–Muller (keeps the second draw). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + sd * z;
    }
    const u = 1 - this.next(); // (0, 1], so log() is finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson by inversion; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice() from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted() from an empty list');
    return last[0];
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface ChurnOptions {
  seed?: number;
  /** Total rows in the output, including planted duplicates and conflict copies. */
  rows?: number;
  /** The "today" of the extract, ISO date. Staleness and future dates are relative to it. */
  asOf?: string;
  /** Missing flags default to true (the demo); pass `NO_DEFECTS` for a clean control. */
  defects?: Partial<DefectFlags>;
}

/** One CSV row exactly as written (every cell is the literal text, defects included). */
export type ChurnRow = Record<CoreColumn, string> & Partial<Record<OptionalColumn, string>>;

export interface ChurnDataset {
  csv: string;
  rows: ChurnRow[];
  planted: PlantedDefects;
}

// ---------------------------------------------------------------------------
// Dates (all UTC; the extract has no time zones)
// ---------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function parseIsoDate(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`asOf must be an ISO date (YYYY-MM-DD), got "${iso}"`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const isoDate = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const isoDateTime = (d: Date): string =>
  `${isoDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const monthKey = (d: Date): string => isoDate(d).slice(0, 7);
const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);
const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const addMonths = (d: Date, months: number): Date =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));

// ---------------------------------------------------------------------------
// Domain vocabulary
// ---------------------------------------------------------------------------

export const SOURCE_WEIGHTS: [Source, number][] = [
  ['crm_eu', 0.45],
  ['crm_us', 0.4],
  ['legacy_billing', 0.15],
];
export const REGIONS: [string, number][] = [
  ['North', 0.25],
  ['South', 0.2],
  ['East', 0.2],
  ['West', 0.25],
  ['Central', 0.1],
];
/** Plan name → typical monthly fee (EUR/USD), with its share of customers. */
export const PLANS: [[string, number], number][] = [
  [['Basic', 29], 0.35],
  [['Standard', 59], 0.35],
  [['Pro', 119], 0.2],
  [['Enterprise', 349], 0.1],
];
export const CONTRACTS: [string, number][] = [
  ['Month-to-month', 0.45],
  ['One year', 0.35],
  ['Two year', 0.2],
];
export const PAYMENTS: [string, number][] = [
  ['Direct debit', 0.4],
  ['Credit card', 0.3],
  ['Invoice', 0.25],
  ['PayPal', 0.05],
];
// Some contain commas and quotes on purpose, so the CSV exercises RFC 4180 quoting.
export const CANCELLATION_REASONS: [string, number][] = [
  ['Price', 0.3],
  ['Switched to competitor', 0.25],
  ['Poor service, repeated outages', 0.15],
  ['Business closed', 0.1],
  ['Moved premises', 0.1],
  ['Billing dispute ("double charged")', 0.1],
];
export const FIRST_NAMES = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas',
  'Keiko', 'Liam', 'Maria', 'Noah', 'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Sven', 'Tara',
  'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe',
]; // prettier-ignore
export const LAST_NAMES = [
  'Andersen', 'Bauer', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ivanova',
  'Jensen', 'Kowalski', 'Lopez', 'Martin', 'Nowak', 'Okafor', 'Patel', 'Rossi', 'Schmidt',
  'Tanaka', 'Urbina', 'Varga', 'Weber', 'Young', 'Zielinski',
]; // prettier-ignore
// Reserved `.example` TLD (RFC 2606): realistic-looking but can never reach a real inbox.
export const COMPANY_DOMAINS = [
  'northwind', 'contoso', 'fabrikam', 'tailspin', 'adventureworks', 'litware', 'proseware',
  'wingtip', 'woodgrove', 'lucerne', 'alpineski', 'coho', 'fourthcoffee', 'margiestravel',
  'blueyonder', 'graphicdesign', 'humongous', 'trey', 'wideworld', 'relecloud',
].map((c) => `${c}.example`); // prettier-ignore

/** Half the 6-digit id space: beyond it, drawing unique ids slows down without bound. */
const MAX_BASE_ROWS = 450_000;

// ---------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------

/** A customer snapshot before rendering to text. */
interface Draft {
  id: number;
  source: Source;
  signup: Date;
  snapshot: Date;
  region: string;
  plan: string;
  contract: string;
  payment: string;
  fee: number;
  tenure: number;
  tickets: number;
  lastLogin: number;
  churned: boolean;
  churnDate: Date | null;
  reason: string;
  email: string;
  phone: string;
}

export function generateChurnDataset(options: ChurnOptions = {}): ChurnDataset {
  const seed = options.seed ?? 42;
  const totalRows = options.rows ?? BASE_ROWS;
  const asOfText = options.asOf ?? '2026-11-01';
  const asOf = parseIsoDate(asOfText);
  const defects: DefectFlags = { ...ALL_DEFECTS, ...options.defects };
  const rng = new Rng(seed);
  const scale = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round((n * totalRows) / BASE_ROWS)));

  const conflictGroups = defects.conflictingLabels ? scale(SIZES.conflictGroups) : 0;
  const duplicateGroups = defects.duplicateRows ? scale(SIZES.duplicateGroups) : 0;
  const baseCount = totalRows - conflictGroups - duplicateGroups;
  if (baseCount < 100) throw new Error(`rows must be at least ~120 to plant defects, got ${totalRows}`);
  // Ids are drawn without replacement from 900,000 values: near that the draw loops
  // almost forever (this was the "11 minutes at 1M rows"). Larger sets come from SQL.
  if (baseCount > MAX_BASE_ROWS)
    throw new Error(
      `generateChurnDataset draws unique 6-digit ids, so it stops at ${MAX_BASE_ROWS} rows; use churnDatasetSql (scripts/lib/synthetic-sql.ts) for ${totalRows}`,
    );

  // Snapshot window: ~24 months ending just before asOf, or ~8 months earlier when stale.
  // It starts on the 1st so the first month is complete and not mistaken for a volume dip.
  const windowEnd = defects.stale ? addMonths(asOf, -8) : addDays(asOf, -3);
  const windowStart = new Date(Date.UTC(windowEnd.getUTCFullYear(), windowEnd.getUTCMonth() - 24, 1));
  const gap = defects.gapMonth ? monthKey(addMonths(windowStart, 13)) : null;

  const drafts: Draft[] = [];
  const usedIds = new Set<number>();
  for (let i = 0; i < baseCount; i++)
    drafts.push(draftCustomer(rng, usedIds, windowStart, windowEnd, gap, defects));

  // Rows already carrying a defect are not reused for another, so every count stays exact.
  const touched = new Set<number>();
  const pick = (n: number, ok: (d: Draft, i: number) => boolean): number[] => {
    const pool = drafts.map((d, i) => (ok(d, i) && !touched.has(i) ? i : -1)).filter((i) => i >= 0);
    rng.shuffle(pool);
    if (pool.length < n) throw new Error(`not enough rows to plant ${n} defects; increase rows`);
    const chosen = pool.slice(0, n);
    for (const i of chosen) touched.add(i);
    return chosen;
  };
  const draftAt = (i: number): Draft => drafts[i] as Draft;

  // Typed defects first: they change values that rendering then formats.
  if (defects.futureDates) {
    for (const i of pick(scale(SIZES.futureRows), (d) => !d.churned)) {
      const d = draftAt(i);
      d.snapshot = new Date(addDays(asOf, rng.int(1, 120)).getTime() + timeOfDay(rng));
    }
  }
  const sentinelCounts: Record<string, number> = {};
  if (defects.sentinelDates) {
    for (const [value, n] of Object.entries(SIZES.sentinel)) {
      sentinelCounts[value] = scale(n);
      for (const i of pick(scale(n), () => true)) draftAt(i).signup = parseIsoDate(value);
    }
  }
  if (defects.outcomeBeforeEvent) {
    for (const i of pick(scale(SIZES.outcomeBeforeEvent), (d) => d.churned)) {
      const d = draftAt(i);
      d.churnDate = addDays(startOfDay(d.snapshot), -rng.int(1, 60));
    }
  }

  const columns: ChurnColumn[] = [...CORE_COLUMNS];
  if (defects.pii) columns.splice(2, 0, 'email', 'phone');
  if (defects.pii) columns.push('card_number');
  if (defects.leakingColumn) columns.push('cancellation_reason');

  const rows = drafts.map((d) => renderRow(d, defects));
  const rowAt = (i: number): ChurnRow => rows[i] as ChurnRow;

  // Cell-level defects on the rendered text.
  const labelVariantCounts: Record<string, number> = {};
  if (defects.labelVariants) {
    const spelled = (d: Draft): boolean => defects.sourceSpellings && d.source === SPELLING_SOURCE;
    for (const [value, n] of Object.entries(SIZES.labelVariants)) {
      const wantChurn = value.trim().toLowerCase().startsWith('y');
      labelVariantCounts[value] = scale(n);
      for (const i of pick(scale(n), (d) => d.churned === wantChurn && !spelled(d))) rowAt(i).churned = value;
    }
  }
  const missingCounts: Record<string, number> = {};
  if (defects.missingLikeTokens) {
    for (const [token, n] of Object.entries(SIZES.missingTokens)) {
      missingCounts[token] = scale(n);
      for (const i of pick(scale(n), () => true)) rowAt(i).payment_method = token;
    }
  }
  const sentinelFeeCounts: Record<string, number> = {};
  if (defects.numericSentinels) {
    // Not in the cents source, so the two monthly_fee problems stay separable.
    for (const [value, n] of Object.entries(SIZES.numericSentinels)) {
      sentinelFeeCounts[value] = scale(n);
      for (const i of pick(scale(n), (d) => !(defects.unitScale && d.source === SHIFTED_SOURCE)))
        rowAt(i).monthly_fee = value;
    }
  }
  if (defects.pii) {
    for (const i of pick(scale(SIZES.cardNumbers), () => true)) rowAt(i).card_number = luhnCardNumber(rng);
  }

  // Conflicts: a non-churner re-exported with the flag flipped but nothing else changed.
  const output: ChurnRow[] = [...rows];
  for (const i of pick(conflictGroups, (d) => !d.churned)) {
    const copy: ChurnRow = { ...rowAt(i), churned: labelText(true, draftAt(i).source, defects) };
    output.push(copy);
  }
  for (const i of pick(duplicateGroups, () => true)) output.push({ ...rowAt(i) });
  rng.shuffle(output);

  const csv = toCsv(output, columns);
  const planted = describe({
    seed,
    asOf,
    asOfText,
    defects,
    columns,
    output,
    gap,
    conflictGroups,
    duplicateGroups,
    sentinelCounts,
    labelVariantCounts,
    missingCounts,
    sentinelFeeCounts,
  });
  return { csv, rows: output, planted };
}

/** Business hours only, so a clean extract never has an accidental 00:00:00. */
function timeOfDay(rng: Rng): number {
  return (rng.int(7, 21) * 3600 + rng.int(0, 59) * 60 + rng.int(0, 59)) * 1000;
}

function draftCustomer(
  rng: Rng,
  usedIds: Set<number>,
  start: Date,
  end: Date,
  gap: string | null,
  defects: DefectFlags,
): Draft {
  let id: number;
  do id = rng.int(100_000, 999_999);
  while (usedIds.has(id));
  usedIds.add(id);

  const source = rng.weighted(SOURCE_WEIGHTS);
  // Snapshot day: uniform with mild growth towards the end (a growing customer base), skipping the gap month.
  const spanDays = Math.floor((end.getTime() - start.getTime()) / DAY_MS);
  let day: Date;
  for (;;) {
    const offset = rng.int(0, spanDays - 1);
    day = addDays(start, offset);
    if (gap !== null && monthKey(day) === gap) continue;
    if (rng.bool(0.6 + (0.4 * offset) / spanDays)) break;
  }
  const snapshot = new Date(day.getTime() + timeOfDay(rng));

  const [plan, listFee] = rng.weighted(PLANS);
  const contract = rng.weighted(CONTRACTS);
  const tenure = Math.min(120, Math.max(1, Math.round(Math.exp(rng.normal(2.8, 0.9)))));
  const tickets = rng.poisson(1.4);
  const lastLogin = Math.floor(-Math.log(1 - rng.float()) * 12);
  const fee = Math.round(listFee * Math.exp(rng.normal(0, 0.12)) * 100) / 100;

  // Churn risk: short, flexible, unhappy, disengaged customers leave. Intercept tuned for ~20%.
  let logit =
    -2.05 +
    (contract === 'Month-to-month' ? 1.2 : contract === 'Two year' ? -0.9 : 0) +
    0.35 * tickets +
    0.03 * lastLogin -
    0.35 * Math.log(tenure) +
    (plan === 'Basic' ? 0.3 : 0);
  if (defects.sourceLabelShift && source === SHIFTED_SOURCE) logit += 1.6;
  const churned = rng.bool(1 / (1 + Math.exp(-logit)));

  // A churner's outcome lands 1–90 days after the snapshot, never after the extract date.
  let churnDate: Date | null = null;
  if (churned) {
    const last = addDays(end, 2);
    const candidate = addDays(startOfDay(snapshot), rng.int(1, 90));
    churnDate = candidate > last ? last : candidate;
  }

  const first = rng.choice(FIRST_NAMES);
  const lastName = rng.choice(LAST_NAMES);
  return {
    id,
    source,
    signup: startOfDay(addMonths(snapshot, -tenure)),
    snapshot,
    region: rng.weighted(REGIONS),
    plan,
    contract,
    payment: rng.weighted(PAYMENTS),
    fee,
    tenure,
    tickets,
    lastLogin,
    churned,
    churnDate,
    reason: churned ? rng.weighted(CANCELLATION_REASONS) : '',
    email: `${first}.${lastName}@${rng.choice(COMPANY_DOMAINS)}`.toLowerCase(),
    phone: fictionalPhone(rng, source),
  };
}

/** Numbers from ranges reserved for fiction (US 555-01xx, UK 020 7946 0xxx, FR 01 99 00 xx xx). */
function fictionalPhone(rng: Rng, source: Source): string {
  const n = (digits: number): string => pad(rng.int(0, 10 ** digits - 1), digits);
  if (source === 'crm_us') return `+1 ${rng.choice(['202', '312', '415', '617'])}-555-01${n(2)}`;
  if (source === 'legacy_billing') return `0207946${n(4).replace(/^./, '0')}`;
  return rng.bool(0.5) ? `+44 20 7946 0${n(3)}` : `+33 1 99 00 ${n(2)} ${n(2)}`;
}

/** A 16-digit Visa-style number with a valid Luhn check digit, sometimes space-grouped. */
function luhnCardNumber(rng: Rng): string {
  const digits = [4, ...Array.from({ length: 14 }, () => rng.int(0, 9))];
  let sum = 0;
  // Doubling starts from the rightmost payload digit because the check digit will follow it.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits[i] ?? 0;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  digits.push((10 - (sum % 10)) % 10);
  const plain = digits.join('');
  return rng.bool(0.5) ? plain : (plain.match(/.{4}/g) ?? []).join(' ');
}

/** Luhn check, exported so tests can confirm planted card numbers are valid. */
export function isLuhnValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 12) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function labelText(churned: boolean, source: Source, defects: DefectFlags): string {
  if (defects.sourceSpellings && source === SPELLING_SOURCE) return churned ? 'Y' : 'N';
  return churned ? 'Yes' : 'No';
}

function renderRow(d: Draft, defects: DefectFlags): ChurnRow {
  const spelled = defects.sourceSpellings && d.source === SPELLING_SOURCE;
  const cents = defects.unitScale && d.source === SHIFTED_SOURCE;
  const dateOnly = defects.midnightTimestamps && d.source === SHIFTED_SOURCE;
  const row: ChurnRow = {
    customer_id: `C${d.id}`,
    source_system: d.source,
    signup_date: isoDate(d.signup),
    snapshot_date: isoDateTime(dateOnly ? startOfDay(d.snapshot) : d.snapshot),
    region: spelled ? d.region.toLowerCase() : d.region,
    plan: spelled ? d.plan.toUpperCase() : d.plan,
    contract_type: d.contract,
    payment_method: d.payment,
    monthly_fee: cents ? String(Math.round(d.fee * 100)) : d.fee.toFixed(2),
    tenure_months: String(d.tenure),
    support_tickets: String(d.tickets),
    last_login_days: String(d.lastLogin),
    churned: labelText(d.churned, d.source, defects),
    churn_date: d.churnDate ? isoDate(d.churnDate) : '',
  };
  if (defects.pii) {
    row.email = d.email;
    row.phone = d.phone;
    row.card_number = '';
  }
  if (defects.leakingColumn) row.cancellation_reason = d.reason;
  return row;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)
// ---------------------------------------------------------------------------

/**
 * Quote a field when RFC 4180 requires it (comma, quote, CR, LF) and also when it has
 * leading/trailing spaces, so a planted "Y " survives parsers that trim unquoted fields.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CRLF line endings as RFC 4180 specifies; the final record is terminated too. */
export function toCsv<C extends string>(
  rows: readonly Partial<Record<C, string>>[],
  columns: readonly C[],
): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------
// What was planted, counted from the final rows wherever possible
// ---------------------------------------------------------------------------

export const isChurnLabel = (value: string): boolean => ['yes', 'y'].includes(value.trim().toLowerCase());

interface DescribeInput {
  seed: number;
  asOf: Date;
  asOfText: string;
  defects: DefectFlags;
  columns: ChurnColumn[];
  output: ChurnRow[];
  gap: string | null;
  conflictGroups: number;
  duplicateGroups: number;
  sentinelCounts: Record<string, number>;
  labelVariantCounts: Record<string, number>;
  missingCounts: Record<string, number>;
  sentinelFeeCounts: Record<string, number>;
}

function describe(input: DescribeInput): PlantedDefects {
  const { output, asOf } = input;
  const bySource = Object.fromEntries(SOURCES.map((s) => [s, { rows: 0, churners: 0 }])) as Record<
    Source,
    { rows: number; churners: number }
  >;
  const labelValueCounts: Record<string, number> = {};
  const leak = { filled: 0, churners: 0 };
  const future = { rows: 0, latest: null as string | null };
  let churners = 0;
  let minSnap = '';
  let maxSnap = '';
  let outcomeBefore = 0;
  let midnight = 0;
  const asOfText = isoDateTime(asOf);
  for (const row of output) {
    const churn = isChurnLabel(row.churned);
    bySource[row.source_system as Source].rows++;
    if (churn) bySource[row.source_system as Source].churners++;
    if (churn) churners++;
    labelValueCounts[row.churned] = (labelValueCounts[row.churned] ?? 0) + 1;
    if (row.snapshot_date > asOfText) {
      future.rows++;
      if (future.latest === null || row.snapshot_date > future.latest) future.latest = row.snapshot_date;
    } else {
      if (minSnap === '' || row.snapshot_date < minSnap) minSnap = row.snapshot_date;
      if (row.snapshot_date > maxSnap) maxSnap = row.snapshot_date;
    }
    if (row.cancellation_reason) {
      leak.filled++;
      if (churn) leak.churners++;
    }
    if (row.churn_date !== '' && row.churn_date < row.snapshot_date.slice(0, 10)) outcomeBefore++;
    if (row.snapshot_date.endsWith('T00:00:00')) midnight++;
  }
  const newest = new Date(`${maxSnap}Z`);
  const daysBeforeAsOf = Math.floor((asOf.getTime() - startOfDay(newest).getTime()) / DAY_MS);
  return describePlanted({
    ...input,
    asOf: input.asOfText,
    gapMonth: input.gap,
    rows: output.length,
    churners,
    bySource,
    labelValueCounts,
    leak,
    future,
    snapshots: { min: minSnap, max: maxSnap, daysBeforeAsOf },
    cardNumberRows: output.filter((r) => r.card_number).length,
    outcomeBeforeEventRows: outcomeBefore,
    midnightRows: midnight,
  });
}
