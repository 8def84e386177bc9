import type { QueryResults, Statement } from '../pipeline/stage';
import type { Thresholds } from '../thresholds';
import { columnBatches } from '../sql/profile';
import {
  appendValueCountsStatement,
  textPatternsQuery,
  valueCountsStatement,
  valuesAndTextQuery,
  valuesQuery,
  type TextPatternsOptions,
} from '../sql/profile-values';
import { batched } from './choices';
import { decodeText, decodeValues, type ColumnText, type Values } from './decode';
import type { ProfileContext, ProfileState } from './state';

/**
 * The statements of the profile's top values and text patterns. A table whose
 * columns fit one batch needs one statement (the value counts live in a CTE
 * that both read); a wider one fills a temporary value-count table one batch
 * of string columns at a time (effects), then reads it batch by batch.
 */
export function valueStatements(ctx: ProfileContext, s: ProfileState): Record<string, string | Statement> {
  const { t } = ctx;
  const batches = columnBatches(s.columns, ctx.columnBatch);
  if (batches.length === 1)
    return { values: valuesAndTextQuery(s.source, s.columns, t.topK, textOptions(t)) };
  // In place, no value-count table: each batch counts its own string columns in a CTE.
  if (ctx.inPlace)
    return batched(
      'values',
      valuesLabel(s),
      batches.map((batch) => valuesAndTextQuery(s.source, batch, t.topK, textOptions(t))),
    );
  const counts = columnBatches(
    s.columns.filter((c) => c.kind === 'string'),
    ctx.columnBatch,
  )
    .map((batch, i) =>
      i === 0
        ? valueCountsStatement(s.source, ctx.temp.values, batch)
        : appendValueCountsStatement(s.source, ctx.temp.values, batch),
    )
    .filter((sql): sql is string => sql !== null);
  const counted = counts.length > 0 ? ctx.temp.values : null;
  const statements: Record<string, string | Statement> = {};
  for (const [i, sql] of counts.entries()) statements[`counts-${i}`] = { sql, effect: true };
  const reads = batches.map((batch) => valuesQuery(s.source, counted, batch, t.topK));
  Object.assign(statements, batched('values', valuesLabel(s), reads));
  if (counted) statements.text = textPatternsQuery(counted, textOptions(t));
  return statements;
}

/** What the progress line says while the values are counted. */
export function valuesLabel(s: ProfileState): string {
  const text = s.columns.some((c) => c.kind === 'string') ? ' and text patterns' : '';
  return `Finding the most frequent values${text}`;
}

/** The state with the decoded rows of `valueStatements`. */
export function resolveValues(ctx: ProfileContext, s: ProfileState, r: QueryResults): ProfileState {
  if (r.values) {
    return {
      ...s,
      values: decodeValues(r.values.filter((row) => row.kind == null)),
      text: decodeText(r.values.filter((row) => row.kind != null)),
    };
  }
  const values: Values = { sourceRows: 0, columns: new Map() };
  const text = r.text ? decodeText(r.text) : new Map<number, ColumnText>();
  for (const [i] of columnBatches(s.columns, ctx.columnBatch).entries()) {
    // In place, each batch's rows carry its text patterns too (`kind` set).
    const rows = r[`values-${i}`] ?? [];
    const decoded = decodeValues(rows.filter((row) => row.kind == null));
    values.sourceRows = decoded.sourceRows;
    for (const [index, v] of decoded.columns) values.columns.set(index, v);
    for (const [index, patterns] of decodeText(rows.filter((row) => row.kind != null)))
      text.set(index, patterns);
  }
  return { ...s, values, text };
}

function textOptions(t: Thresholds): TextPatternsOptions {
  return {
    missingTokens: t.missingTokens,
    topShapes: t.topShapes,
    variantMaxDistinct: t.variantMaxDistinct,
    variantMaxGroups: t.variantMaxGroups,
  };
}
