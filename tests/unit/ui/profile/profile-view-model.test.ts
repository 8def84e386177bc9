import { describe, expect, it } from 'vitest';
import {
  DatasetProfileSchema,
  type Alert,
  type ColumnProfile,
  type DatasetProfile,
} from '../../../../src/lib/core/model/audit';
import {
  DEFAULT_LIST_OPTIONS,
  alertMeasure,
  columnCardId,
  columnCards,
  defaultTimelineColumn,
  familiesPresent,
  filterCards,
  orderedAlerts,
  quantileRows,
  sortCards,
  timelineColumns,
  toTsv,
  topValueRows,
  valueText,
  visibleCards,
} from '../../../../src/lib/ui/profile/profile-view-model';
import {
  externalResourcePaths,
  labelledCountsSpec,
  tooltipLines,
} from '../../../../src/lib/core/charts/ui-extra';

function column(name: string, patch: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    name,
    type: 'VARCHAR',
    family: 'categorical',
    count: 100,
    missing: 0,
    missingLike: { total: 0, values: [] },
    distinct: { value: 10, approximate: false },
    topK: [],
    otherCount: 0,
    pii: [],
    ...patch,
  };
}

function alert(kind: string, col?: string, value = 0.5, threshold = 0.2): Alert {
  return {
    kind,
    ...(col === undefined ? {} : { column: col }),
    message: `${kind} ${col ?? ''}`,
    value,
    threshold,
  };
}

function profile(columns: ColumnProfile[], alerts: Alert[] = []): DatasetProfile {
  return DatasetProfileSchema.parse({
    datasetId: 'ds-1',
    rows: 100,
    columnCount: columns.length,
    columns,
    duplicateRows: 0,
    duplicateExample: null,
    constantColumns: [],
    allMissingColumns: [],
    missingCooccurrence: [],
    correlations: [],
    cramersV: [],
    sample: { sampled: false, rows: 100 },
    alerts,
    computedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
  });
}

const demo = profile(
  [
    column('customer_id', { family: 'text', distinct: { value: 99, approximate: false } }),
    column('Region', { missing: 30, count: 70, distinct: { value: 5, approximate: false } }),
    column('monthly_fee', {
      family: 'numeric',
      type: 'DOUBLE',
      missing: 5,
      count: 95,
      distinct: { value: 80, approximate: true },
    }),
    column('signup_date', {
      family: 'temporal',
      type: 'DATE',
      temporal: {
        min: '2020-01-01',
        max: '2020-02-01',
        byMonth: [{ month: '2020-01', count: 100 }],
        byDayOfWeek: [1, 2, 3, 4, 5, 6, 7],
        byHour: [],
        midnight: 100,
        defaultDates: [],
      },
    }),
    column('region_code', { missing: 30, count: 70, distinct: { value: 3, approximate: false } }),
  ],
  [
    alert('high-missing', 'Region', 0.3, 0.2),
    alert('duplicate-rows', undefined, 0.01, 0),
    alert('high-missing', 'region_code', 0.3, 0.2),
    alert('pii', 'region_code', 0.9, 0.05),
    alert('skewed', 'monthly_fee', 3.5, 2),
  ],
);
const cards = columnCards(demo);
const names = (list: { column: ColumnProfile }[]): string[] => list.map((c) => c.column.name);

describe('columnCards', () => {
  it('keeps file order and attaches each column its own alerts and missing share', () => {
    expect(names(cards)).toEqual(['customer_id', 'Region', 'monthly_fee', 'signup_date', 'region_code']);
    expect(cards[1]!.missingShare).toBeCloseTo(0.3);
    expect(cards[4]!.alerts.map((a) => a.kind)).toEqual(['high-missing', 'pii']);
    expect(cards[0]!.alerts).toEqual([]);
  });
});

describe('filterCards', () => {
  it('searches column names case-insensitively, ignoring surrounding spaces', () => {
    expect(names(filterCards(cards, { ...DEFAULT_LIST_OPTIONS, search: '  REGION ' }))).toEqual([
      'Region',
      'region_code',
    ]);
  });

  it('keeps only columns with alerts when the toggle is on', () => {
    expect(names(filterCards(cards, { ...DEFAULT_LIST_OPTIONS, alertsOnly: true }))).toEqual([
      'Region',
      'monthly_fee',
      'region_code',
    ]);
  });

  it('filters by family and combines with the other filters', () => {
    expect(names(filterCards(cards, { ...DEFAULT_LIST_OPTIONS, family: 'numeric' }))).toEqual([
      'monthly_fee',
    ]);
    expect(names(filterCards(cards, { search: 'region', alertsOnly: true, family: 'text' }))).toEqual([]);
  });
});

describe('sortCards', () => {
  it('sorts by name with a natural, case-insensitive order', () => {
    expect(names(sortCards(cards, 'name', 'asc'))).toEqual([
      'customer_id',
      'monthly_fee',
      'Region',
      'region_code',
      'signup_date',
    ]);
  });

  it('sorts by missing share descending, ties in file order', () => {
    expect(names(sortCards(cards, 'missing', 'desc'))).toEqual([
      'Region',
      'region_code',
      'monthly_fee',
      'customer_id',
      'signup_date',
    ]);
  });

  it('sorts by distinct count and by number of alerts', () => {
    expect(names(sortCards(cards, 'distinct', 'asc')).slice(0, 2)).toEqual(['region_code', 'Region']);
    expect(names(sortCards(cards, 'alerts', 'desc')).slice(0, 3)).toEqual([
      'region_code',
      'Region',
      'monthly_fee',
    ]);
  });

  it('reverses file order for position descending and does not mutate its input', () => {
    const before = names(cards);
    expect(names(sortCards(cards, 'position', 'desc'))[0]).toBe('region_code');
    expect(names(cards)).toEqual(before);
  });

  it('filters then sorts in visibleCards', () => {
    const shown = visibleCards(cards, {
      search: 'e',
      alertsOnly: true,
      family: 'all',
      sort: 'name',
      direction: 'desc',
    });
    expect(names(shown)).toEqual(['region_code', 'Region', 'monthly_fee']);
  });
});

describe('profile helpers', () => {
  it('lists dataset-wide alerts first, then alerts by column position', () => {
    expect(orderedAlerts(demo).map((a) => `${a.kind}:${a.column ?? ''}`)).toEqual([
      'duplicate-rows:',
      'high-missing:Region',
      'skewed:monthly_fee',
      'high-missing:region_code',
      'pii:region_code',
    ]);
  });

  it('shows alert values in the unit of their rule', () => {
    expect(alertMeasure(alert('high-missing', 'a', 0.767, 0.2))).toEqual({
      value: '76.7 %',
      threshold: '20 %',
    });
    expect(alertMeasure(alert('skewed', 'a', 8.5699, 2))).toEqual({ value: '8.57', threshold: '±2' });
    expect(alertMeasure(alert('sentinel-values', 'a', 12, 3))).toEqual({
      value: '12 rows',
      threshold: '3 IQRs',
    });
  });

  it('labels and orders quantiles by level', () => {
    const rows = quantileRows({ '0.75': 3, '0.01': 1, '0.5': 2, '0.25': null });
    expect(rows.map((r) => r.label)).toEqual(['p1', 'p25 (Q1)', 'p50 (median)', 'p75 (Q3)']);
    expect(rows[1]!.value).toBeNull();
  });

  it('names null, empty and padded values instead of showing blanks', () => {
    expect(valueText(null)).toBe('(null)');
    expect(valueText('')).toBe('(empty string)');
    expect(valueText('Y ')).toBe('“Y ”');
    // A value of the data reads as written: a year stays 2023, never 2,023.
    expect(valueText(1234.5)).toBe('1234.5');
    expect(valueText(2023)).toBe('2023');
  });

  it('adds an "other values" row with its share of non-missing rows', () => {
    const rows = topValueRows(
      column('c', { count: 200, topK: [{ value: 'a', count: 150 }], otherCount: 50 }),
    );
    expect(rows).toEqual([
      ['a', '150', '75 %'],
      ['(other values)', '50', '25 %'],
    ]);
  });

  it('finds temporal columns with months and the families present', () => {
    expect(timelineColumns(demo).map((c) => c.name)).toEqual(['signup_date']);
    expect(familiesPresent(demo)).toEqual(['numeric', 'temporal', 'categorical', 'text']);
  });

  it('starts the timeline on the date column with the fewest placeholder dates', () => {
    const temporal = (name: string, placeholders: number, count: number): ColumnProfile =>
      column(name, {
        family: 'temporal',
        type: 'DATE',
        count,
        temporal: {
          min: '1900-01-01',
          max: '2020-01-01',
          byMonth: [{ month: '2020-01', count }],
          byDayOfWeek: [],
          byHour: [],
          midnight: 0,
          defaultDates: placeholders > 0 ? [{ value: '1900-01-01', count: placeholders }] : [],
        },
      });
    const p = profile([temporal('signup', 10, 100), temporal('snapshot', 0, 50), temporal('closed', 0, 80)]);
    expect(defaultTimelineColumn(p)?.name).toBe('closed');
    expect(defaultTimelineColumn(profile([column('x')]))).toBeUndefined();
  });

  it('writes TSV with tabs and line breaks inside cells flattened', () => {
    expect(toTsv(['a', 'b'], [['x\ty', 'line1\nline2']])).toBe('a\tb\nx y\tline1 line2');
  });

  it('builds card ids from the column position, never from the column name', () => {
    expect(columnCardId('ab"c <1>', 3)).toBe('profile-abc1-column-3');
  });
});

describe('chart safety helpers', () => {
  it('flags data URLs and image marks anywhere in a spec, but not inline values', () => {
    expect(externalResourcePaths({ data: { values: [{ url: 'http://x' }] }, mark: 'bar' })).toEqual([]);
    expect(
      externalResourcePaths({ layer: [{ data: { url: 'data.csv' } }, { mark: { type: 'image' } }] }),
    ).toEqual(['layer[0].data.url', 'layer[1].mark']);
  });

  it('keeps the profile specs free of outside resources', () => {
    const spec = labelledCountsSpec([{ label: 'Mon', count: 2 }], { title: 'Days' });
    expect(spec).not.toBeNull();
    expect(externalResourcePaths(spec)).toEqual([]);
    expect(labelledCountsSpec([{ label: 'Mon', count: 0 }], { title: 'Days' })).toBeNull();
  });

  it('turns tooltip values into plain text lines', () => {
    expect(tooltipLines({ image: '<img src=x>', Rows: 3 })).toEqual(['image: <img src=x>', 'Rows: 3']);
    expect(tooltipLines(null)).toEqual([]);
    expect(tooltipLines('plain')).toEqual(['plain']);
  });
});
