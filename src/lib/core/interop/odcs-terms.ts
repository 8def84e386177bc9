import { ident } from '../sql/quote';
import { bindSpecSql, SPEC_TOKENS, type RuleExpectation, type RuleKind, type SpecRule } from './spec';

/**
 * The ODCS v3.1.0 words the writer and the reader share: placeholders,
 * operators, the library metrics' parameters and the SQL token binding, so the
 * two directions cannot drift apart.
 */

export const ODCS_API_VERSION = 'v3.1.0';
/** ODCS's SQL placeholder for the rule's object (docs/data-quality.md, "SQL"). */
export const ODCS_OBJECT = '{object}';
/** What `{{today}}` becomes in a written query; tests bind it to the as-of date. */
export const ODCS_TODAY = 'CURRENT_DATE';
/** ODCS's word for a column holding personal data (the field is free text; these are its examples' levels). */
export const ODCS_PERSONAL_CLASSIFICATION = 'restricted';

export type OdcsMetric = 'rowCount' | 'nullValues' | 'duplicateValues' | 'invalidValues';

export const OPERATORS = {
  '=': 'mustBe',
  '<=': 'mustBeLessOrEqualTo',
  '>=': 'mustBeGreaterOrEqualTo',
} as const satisfies Record<RuleExpectation['op'], string>;

export const SEVERITIES = { error: 'error', warn: 'warning' } as const satisfies Record<
  SpecRule['severity'],
  string
>;

export type Params = SpecRule['params'];

/** A contract `readOdcs` cannot read back (not one this writer produced). */
export class OdcsError extends Error {
  override name = 'OdcsError';
}

/** The params a library metric already carries in its threshold and arguments. */
export function paramsFromLibrary(kind: RuleKind, args: Record<string, unknown>, threshold: number): Params {
  if (kind === 'row-count') return { minRows: threshold };
  if (kind === 'null-rate') return { maxShare: threshold };
  const values = args['validValues'];
  return Array.isArray(values) ? { values: values.filter(isScalar) } : {};
}

export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Percent thresholds, rounded so that shares written as percents read back identical. */
export const toPercent = (share: number): number => Number((share * 100).toPrecision(15));
export const fromPercent = (percent: number): number => Number((percent / 100).toPrecision(15));

/** A rule's DuckDB SQL with ODCS's placeholder for its table and the parent's schema name for a relation's parent. */
export function odcsQuery(rule: SpecRule): string {
  const parent = rule.params.parentObject;
  if (rule.sql.includes(SPEC_TOKENS.parent) && parent === undefined)
    throw new OdcsError(`Rule ${rule.id} reads a parent table but names none`);
  return bindSpecSql(rule.sql, {
    table: ODCS_OBJECT,
    ...(parent !== undefined && { parent: ident(parent) }),
    today: ODCS_TODAY,
  });
}

/**
 * The spec's tokens back in an ODCS query: the inverse of `odcsQuery`. The
 * parent is a table only after FROM or JOIN, so a column spelt like it stays.
 */
export function specSql(query: string, parentObject: string | undefined): string {
  let sql = query.replaceAll(ODCS_OBJECT, SPEC_TOKENS.table).replaceAll(ODCS_TODAY, SPEC_TOKENS.today);
  if (parentObject !== undefined) {
    const parent = ident(parentObject);
    sql = sql.replace(
      /\b(FROM|JOIN)(\s+)("(?:[^"]|"")*")/gi,
      (whole, keyword: string, space: string, name: string) =>
        name === parent ? `${keyword}${space}${SPEC_TOKENS.parent}` : whole,
    );
  }
  return sql;
}
