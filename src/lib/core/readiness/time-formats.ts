import { isTextType } from '../sql/types';
import type { Finding } from '../model/audit';
import { type TimeRef } from '../sql/readiness-common';
import { dateFormatsQuery, timeFactsQuery } from '../sql/readiness-time';
import { count, finder, fmtInt, q, round, toText } from './findings';
import type { CheckDefinition, ReadinessSetup } from './types';
import { TIME_DEPS, roleOf } from './time-columns';

export const timeRole: CheckDefinition = {
  id: 'time-role',
  area: 'time',
  meaning: 'A column chosen as a time cannot be read as dates, so every time-based check and split is blind.',
  fix: 'upstream',
  owner: 'source-owner',
  description: 'A column given the event- or outcome-time role that cannot be read as time.',
  evidence: {
    role: { label: 'Role', kind: 'text' },
    reason: { label: 'Why', kind: 'text' },
  },
  dependsOn: ['eventTime', 'outcomeTime'],
  applies: (s) => s.unreadableTime.length > 0,
  // The facts were read by the setup; the finding quotes the statement that read them.
  queries: () => ({}),
  findings(s) {
    const make = finder(s, this.id, this.area);
    return s.unreadableTime.map((u) =>
      make({
        severity: 'major',
        key: u.column,
        title: `${q(u.column)} cannot be read as time, so it was not used as the ${u.role}`,
        columns: [u.column],
        evidence: { role: u.role, reason: u.message },
        sql: timeFactsQuery(s.input.tableName, {
          column: u.column,
          type: s.columns.find((c) => c.name === u.column)?.type ?? '',
        }),
        recommendation: `${u.message} The time and coverage checks that need the ${u.role} did not run.`,
      }),
    );
  },
};

/** Text columns read as dates; text read as years or quarters has one shape by construction. */
function textTimeColumns(s: ReadinessSetup): TimeRef[] {
  return s.timeColumns.filter(
    (ref) => isTextType(ref.type) && (ref.encoding === undefined || ref.encoding === 'text'),
  );
}

export const timeTextFormats: CheckDefinition = {
  id: 'time-text-formats',
  area: 'time',
  meaning: 'Dates stored as text in several formats will be misread unless parsed explicitly.',
  fix: 'pipeline',
  owner: 'data-engineering',
  description:
    'Dates stored as text in several formats (ISO, day/month, month-name), or values that are not dates.',
  evidence: {
    formats: { label: 'Date formats', kind: 'count' },
    notDates: { label: 'Values that are not dates', kind: 'count' },
    total: { label: 'Values present', kind: 'count' },
    secondFormatShare: { label: 'Share in the second format', kind: 'share' },
    examples: { label: 'Examples', kind: 'text' },
  },
  dependsOn: [...TIME_DEPS, 'thresholds'],
  applies: (s) => textTimeColumns(s).length > 0,
  queries: (s) =>
    Object.fromEntries(
      textTimeColumns(s).map((ref, i) => [`formats_${i}`, dateFormatsQuery(s.sql, ref.column)]),
    ),
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const out: Finding[] = [];
    textTimeColumns(s).forEach((ref, i) => {
      const rows = r[`formats_${i}`] ?? [];
      const total = rows.reduce((a, x) => a + count(x.rows), 0);
      const dates = rows.filter((x) => x.shape !== '(not a date)');
      const notDates = total - dates.reduce((a, x) => a + count(x.rows), 0);
      if (dates.length < 2 && notDates === 0) return;
      const secondShare = dates.length >= 2 && total ? count(dates[1]!.rows) / total : 0;
      const major =
        secondShare >= s.thresholds.mixedFormatShareMajor ||
        (notDates / Math.max(total, 1) >= s.thresholds.mixedFormatShareMajor &&
          roleOf(s, ref.column) !== 'date column');
      out.push(
        make({
          severity: major ? 'major' : 'minor',
          key: ref.column,
          title:
            dates.length >= 2
              ? `${q(ref.column)} mixes ${dates.length} date formats (${dates.map((x) => toText(x.shape)).join(', ')})`
              : `${fmtInt(notDates)} ${q(ref.column)} values are not dates`,
          columns: [ref.column],
          evidence: {
            formats: dates.length,
            notDates,
            total,
            secondFormatShare: round(secondShare),
            examples: dates.map((x) => toText(x.example)).join(' | '),
          },
          details: rows.map((x) => ({
            shape: toText(x.shape),
            rows: count(x.rows),
            example: toText(x.example),
          })),
          sql: dateFormatsQuery(s.sql, ref.column),
          recommendation:
            'Parse each format explicitly (day/month and month/day cannot be told apart from the text alone), store one ISO format, and ask which format each source system writes.',
        }),
      );
    });
    return out;
  },
};
