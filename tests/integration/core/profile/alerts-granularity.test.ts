import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useEngine, loadFile, VEGA } from '../../../support/engine';
import { profileDataset } from '../../../../src/lib/session/profile';

const conn = useEngine();

beforeAll(async () => {
  // Daily dates with three 1970-01-01 placeholders.
  await conn.exec(
    `CREATE TABLE daily_dates AS SELECT DATE '2015-01-01' + CAST(range AS INTEGER) AS "day" FROM range(400) UNION ALL SELECT DATE '1970-01-01' FROM range(3)`,
  );
});

describe('placeholder-date alerts against the column granularity', () => {
  it('does not call 1970-01-01 a placeholder in cars.json, whose Year holds 1 January of each model year', async () => {
    const cars = await loadFile(conn, join(VEGA, 'cars.json'));
    const profile = await profileDataset(conn, cars.tableName, 'cars');
    const year = profile.columns.find((c) => c.name === 'Year')!;
    // The profile still counts the day; only the alert knows that a column of years explains it.
    expect(year.temporal!.defaultDates.map((d) => d.value)).toContain('1970-01-01');
    expect(profile.alerts.filter((a) => a.column === 'Year' && a.kind === 'default-dates')).toEqual([]);
  });

  it('still calls 1970-01-01 a placeholder in a daily column', async () => {
    const profile = await profileDataset(conn, 'daily_dates', 'daily');
    const alert = profile.alerts.find((a) => a.column === 'day' && a.kind === 'default-dates');
    expect(alert?.message).toMatch(/1970-01-01 \(3×\)/);
  });
});
