/** Words around numbers: plurals, lists, and keys read as words. */
import { formatCount } from './number';

const IRREGULAR: Readonly<Record<string, string>> = {
  child: 'children',
  person: 'people',
  analysis: 'analyses',
  criterion: 'criteria',
  datum: 'data',
  index: 'indices',
  matrix: 'matrices',
  was: 'were',
  is: 'are',
  has: 'have',
  does: 'do',
};

/**
 * The noun for `n` of it: `blocker`/`blockers`, `class`/`classes`,
 * `category`/`categories`. Pass `pluralForm` for anything else irregular.
 * Only exactly 1 is singular (`0 rows`, `1.5 years`).
 */
export function pluralWord(n: number, singular: string, pluralForm?: string): string {
  if (n === 1 || n === -1) return singular;
  if (pluralForm !== undefined) return pluralForm;
  const irregular = IRREGULAR[singular];
  if (irregular) return irregular;
  if (/[^aeiou]y$/i.test(singular)) return `${singular.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(singular)) return `${singular}es`;
  return `${singular}s`;
}

/** `1 blocker`, `2 blockers`, `12,345 rows`: a count with its noun. */
export function plural(n: number, singular: string, pluralForm?: string): string {
  return `${formatCount(n)} ${pluralWord(n, singular, pluralForm)}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function formatList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

const ACRONYMS: Readonly<Record<string, string>> = {
  auc: 'AUC',
  psi: 'PSI',
  epv: 'EPV',
  id: 'ID',
  ids: 'IDs',
  pii: 'PII',
  ml: 'ML',
  df: 'df',
};

/**
 * A camelCase or snake_case key as words (`minorityRows` → `minority rows`,
 * `presenceAuc` → `presence AUC`); after a colon the key holds data, kept as
 * is (`share:Yes` → `share: Yes`). The last resort for a key without a label
 * (an audit saved by an older version): a test holds every check to labels.
 */
export function keyWords(key: string): string {
  const colon = key.indexOf(':');
  const head = colon < 0 ? key : key.slice(0, colon);
  const words = head
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');
  return colon < 0 ? words : `${words}: ${key.slice(colon + 1)}`;
}
