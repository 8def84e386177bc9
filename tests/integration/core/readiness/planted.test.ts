import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEngine, loadBytes, loadFile, ROOT } from '../../../support/engine';
import { runReadiness } from '../../../../src/lib/session/readiness';
import { profileDataset } from '../../../../src/lib/session/profile';
import { verdictFor } from '../../../../src/lib/core/readiness/verdict';
import type { Finding } from '../../../../src/lib/core/model/audit';
import { formatDate } from '../../../../src/lib/core/format';
import {
  generateChurnDataset,
  NO_DEFECTS,
  type DefectFlags,
  type PlantedDefects,
} from '../../../../scripts/lib/synthetic';
import { plantedAuditInput } from '../../../fixtures/planted-defects';

/** The finding(s) that must appear for each planted defect of the churn generator. */
const FINDINGS_FOR_DEFECT: Record<keyof DefectFlags, string[]> = {
  conflictingLabels: ['labels-conflicting:{ds}:churned'],
  leakingColumn: ['leakage-single-feature:{ds}:cancellation_reason'],
  futureDates: ['time-future:{ds}:snapshot_date'],
  sentinelDates: ['time-sentinel:{ds}:signup_date'],
  gapMonth: ['coverage-gaps:{ds}:empty'],
  stale: ['coverage-recency:{ds}:snapshot_date'],
  sourceLabelShift: ['labels-by-source:{ds}:source:legacy_billing'],
  sourceSpellings: ['consistency-vocabulary:{ds}:region', 'consistency-vocabulary:{ds}:plan'],
  labelVariants: ['labels-variants:{ds}:churned'],
  missingLikeTokens: ['quality-missing-like:{ds}:payment_method'],
  numericSentinels: ['quality-sentinels:{ds}:monthly_fee'],
  unitScale: ['consistency-scale:{ds}:monthly_fee'],
  pii: ['privacy-pii:{ds}:email', 'privacy-pii:{ds}:phone', 'privacy-pii:{ds}:card_number'],
  // Copies of one customer's row: a data-quality defect. A split by customer_id keeps them together,
  // so leakage-split-duplicates counts them (below) without raising them a second time.
  duplicateRows: ['quality-duplicates:{ds}:rows'],
  outcomeBeforeEvent: ['time-outcome-before-event:{ds}:churn_date'],
  midnightTimestamps: ['time-of-day:{ds}:snapshot_date:midnight'],
};

const conn = useEngine();

async function audit(
  csvOrPath: { csv: string } | { path: string },
  planted: PlantedDefects,
  datasetId: string,
): Promise<Finding[]> {
  const loaded =
    'csv' in csvOrPath
      ? await loadBytes(conn, `${datasetId}.csv`, csvOrPath.csv)
      : await loadFile(conn, csvOrPath.path);
  const profile = await profileDataset(conn, loaded.tableName, datasetId);
  return runReadiness(conn, {
    tableName: loaded.tableName,
    datasetId,
    columns: loaded.columns,
    ...plantedAuditInput(planted),
    profile,
  });
}

describe('planted defects of the synthetic churn extract (all defects on)', () => {
  const { csv, planted } = generateChurnDataset();
  let findings: Finding[];
  const get = (id: string): Finding => {
    const f = findings.find((x) => x.id === `${id.replace('{ds}', 'churn')}`);
    expect(f, `missing finding ${id}`).toBeDefined();
    return f!;
  };

  beforeAll(async () => {
    findings = await audit({ csv }, planted, 'churn');
  });

  it('runs every check without an engine error', () => {
    expect(findings.filter((f) => f.id.endsWith(':error')).map((f) => f.evidence.error)).toEqual([]);
  });

  it.each(Object.entries(FINDINGS_FOR_DEFECT))('finds the planted defect %s', (_defect, ids) => {
    for (const id of ids) expect(['blocker', 'major', 'minor']).toContain(get(id).severity);
  });

  it('flags conflicting labels when identical rows disagree: exactly the planted groups and rows', () => {
    const f = get('labels-conflicting:{ds}:churned');
    expect(f.evidence.groups).toBe(planted.conflictingLabels.groups);
    expect(f.evidence.rows).toBe(planted.conflictingLabels.rows);
    expect(f.details?.[0]?.labels).toBe('no | yes');
    expect(f.severity).toBe('major');
  });

  it('blocks on the cancellation reason, which is filled in only for churners', () => {
    const f = get('leakage-single-feature:{ds}:cancellation_reason');
    expect(f.severity).toBe('blocker');
    expect(f.evidence.filledShareOthers).toBe(0);
    expect(planted.leakingColumn.nonChurnersFilled).toBe(0);
  });

  it('counts the future snapshot dates and names the latest one', () => {
    const f = get('time-future:{ds}:snapshot_date');
    expect(f.evidence.future).toBe(planted.futureDates.rows);
    expect(f.evidence.latest).toBe(planted.futureDates.latest?.replace('T', ' '));
  });

  it('counts each planted sentinel signup date', () => {
    const f = get('time-sentinel:{ds}:signup_date');
    expect(f.evidence.sentinelRows).toBe(planted.sentinelDates.rows);
    for (const [day, n] of Object.entries(planted.sentinelDates.counts))
      expect(f.details).toContainEqual({ day, rows: n, knownSentinel: true });
  });

  it('names the empty month as a gap', () => {
    expect(get('coverage-gaps:{ds}:empty').evidence.months).toBe(formatDate(planted.gapMonth, 'month'));
  });

  it('measures how stale the newest record is against the as-of date', () => {
    const f = get('coverage-recency:{ds}:snapshot_date');
    expect(f.evidence.ageDays).toBe(planted.snapshotRange.daysBeforeAsOf);
    expect(f.severity).toBe('major');
  });

  it('flags only the source whose label rate differs, with a significant chi-square test', () => {
    const f = get('labels-by-source:{ds}:source:legacy_billing');
    expect(f.evidence.rate).toBeCloseTo(planted.sourceLabelShift.sourceRate, 4);
    expect(Number(f.evidence.pValue)).toBeLessThan(1e-100);
    expect(
      findings.filter((x) => x.id.startsWith('labels-by-source:churn:source:')).map((x) => x.id),
    ).toEqual(['labels-by-source:churn:source:legacy_billing']);
  });

  it('attributes the case variants of region and plan to the source that spells them differently', () => {
    for (const column of planted.sourceSpellings.columns.filter((c) => c !== 'churned')) {
      const f = get(`consistency-vocabulary:{ds}:${column}`);
      expect(f.severity).toBe('major');
      expect(f.evidence.sources).toBe(planted.sourceSpellings.source);
    }
  });

  it('lists every label spelling, with the planted variants counted exactly', () => {
    const f = get('labels-variants:{ds}:churned');
    const bySpelling = new Map<string, number>();
    for (const d of f.details ?? [])
      bySpelling.set(String(d.spelling), (bySpelling.get(String(d.spelling)) ?? 0) + Number(d.rows));
    for (const [spelling, n] of Object.entries(planted.labelValueCounts))
      expect(bySpelling.get(spelling)).toBe(n);
    for (const [spelling, n] of Object.entries(planted.labelVariants.counts))
      expect(bySpelling.get(spelling)).toBe(n);
  });

  it('lifts the missing-like payment tokens from the profile', () => {
    expect(get('quality-missing-like:{ds}:payment_method').evidence.rows).toBe(
      planted.missingLikeTokens.rows,
    );
  });

  it('finds the fee recorded in cents by one source (×100)', () => {
    const f = get('consistency-scale:{ds}:monthly_fee');
    expect(f.evidence.source).toBe(planted.unitScale.source);
    expect(f.evidence.nearestPowerOfTen).toBe(planted.unitScale.factor);
    expect(f.severity).toBe('major');
  });

  it('counts the duplicate groups, each within one customer, which a split by customer keeps together', () => {
    const f = get('leakage-split-duplicates:{ds}:rows');
    expect(f.evidence.groups).toBe(planted.duplicateRows.groups);
    expect(f.evidence.rows).toBe(planted.duplicateRows.groups * 2);
    expect(f.evidence.groupedBy).toBe(planted.roles.id);
    expect(f.title).toContain(`each within one “${planted.roles.id}”`);
    expect(get('quality-duplicates:{ds}:rows').evidence.duplicateRows).toBe(planted.duplicateRows.extraRows);
  });

  it('counts outcomes dated before their snapshot', () => {
    expect(get('time-outcome-before-event:{ds}:churn_date').evidence.before).toBe(
      planted.outcomeBeforeEvent.rows,
    );
  });

  it('traces the midnight timestamps to the one source that stores dates only', () => {
    const f = get('time-of-day:{ds}:snapshot_date:midnight');
    expect(f.evidence.midnight).toBe(planted.midnightTimestamps.rows);
    expect(f.evidence.dateOnlySources).toBe(planted.midnightTimestamps.source);
  });

  it('flags the personal data columns', () => {
    for (const column of ['email', 'phone', 'card_number'])
      expect(get(`privacy-pii:{ds}:${column}`).severity).toBe('major');
  });

  it('gives every finding a stable id, a copyable SQL statement and a recommendation', () => {
    for (const f of findings) {
      expect(f.id.startsWith(`${f.check}:churn:`)).toBe(true);
      expect(f.sql).toMatch(/^(WITH|SELECT)/);
      expect(f.recommendation.length).toBeGreaterThan(20);
    }
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
  });

  it('is not ready, and waiving the blocker makes it ready with conditions', () => {
    expect(verdictFor(findings, []).status).toBe('not-ready');
    const waivers = findings
      .filter((f) => f.severity === 'blocker')
      .map((f) => ({ findingId: f.id, reason: 'dropped from features', at: '2026-11-25T00:00:00Z' }));
    expect(verdictFor(findings, waivers).status).toBe('conditional');
  });
});

describe('clean control (all defects off)', () => {
  it('yields no blocker or major finding, so the verdict is ready', async () => {
    const { csv, planted } = generateChurnDataset({ defects: NO_DEFECTS });
    const findings = await audit({ csv }, planted, 'clean');
    const serious = findings.filter((f) => f.severity === 'blocker' || f.severity === 'major');
    expect(serious.map((f) => `${f.id}: ${f.title}`)).toEqual([]);
    expect(findings.filter((f) => f.id.endsWith(':error'))).toEqual([]);
    // The defect findings are absent, or informational only (recency is always reported).
    const flagged = findings.filter((f) => f.severity !== 'info').map((f) => f.id);
    for (const ids of Object.values(FINDINGS_FOR_DEFECT))
      for (const id of ids) expect(flagged).not.toContain(id.replace('{ds}', 'clean'));
    expect(verdictFor(findings, []).status).toBe('ready');
  });
});

describe('the demo dataset in public/demo', () => {
  it('shows every documented problem of customer-churn.planted.json as a finding', async () => {
    const planted = JSON.parse(
      readFileSync(join(ROOT, 'public/demo/customer-churn.planted.json'), 'utf8'),
    ) as PlantedDefects;
    const findings = await audit({ path: join(ROOT, 'public/demo/customer-churn.csv') }, planted, 'demo');
    const ids = new Set(findings.map((f) => f.id));
    const documented = (Object.keys(FINDINGS_FOR_DEFECT) as (keyof DefectFlags)[]).filter(
      (d) => planted.defects[d],
    );
    expect(documented.length).toBe(Object.keys(FINDINGS_FOR_DEFECT).length);
    for (const defect of documented)
      for (const id of FINDINGS_FOR_DEFECT[defect])
        expect(ids, `${defect}: ${id}`).toContain(id.replace('{ds}', 'demo'));
  });
});
