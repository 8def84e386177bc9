import type { ColumnProfile } from '../model/audit';
import { THRESHOLDS } from '../thresholds';

/** Column names that say personal data even when no value matched a pattern. */
const PERSONAL_NAME =
  /(e-?mail|phone|mobile|first_?name|last_?name|surname|full_?name|address|street|postcode|zip|ssn|social_?security|passport|iban|card_?number|credit_?card|birth|dob|ip_?address)/i;

/** Whole words of a column name that say it holds people or where they live. */
const PERSON_WORDS = new Set([
  'holder',
  'holders',
  'contact',
  'contacts',
  'addr',
  'surname',
  'firstname',
  'lastname',
  'fullname',
  'forename',
  'username',
  'nickname',
  'cardholder',
]);

/**
 * Words that, before `name`, say it names a thing rather than a person:
 * a product, a file, a place, a table… (`product_name`, `Country Name`).
 */
const THING_QUALIFIERS = new Set([
  'product',
  'file',
  'item',
  'brand',
  'model',
  'make',
  'company',
  'org',
  'organisation',
  'organization',
  'business',
  'firm',
  'merchant',
  'store',
  'shop',
  'vendor',
  'supplier',
  'host',
  'server',
  'domain',
  'table',
  'column',
  'field',
  'sheet',
  'dataset',
  'database',
  'schema',
  'app',
  'application',
  'package',
  'class',
  'feature',
  'species',
  'scientific',
  'common',
  'city',
  'country',
  'state',
  'region',
  'province',
  'county',
  'place',
  'location',
  'site',
  'town',
  'neighborhood',
  'neighbourhood',
  'airport',
  'airline',
  'carrier',
  'station',
  'port',
  'indicator',
  'series',
  'variable',
  'metric',
  'event',
  'category',
  'subcategory',
  'type',
  'team',
  'league',
  'project',
  'program',
  'programme',
  'course',
  'drug',
  'device',
  'job',
  'department',
  'dept',
  'unit',
  'group',
  'segment',
  'campaign',
  'channel',
  'source',
  'key',
  'index',
  'path',
  'bucket',
  'tag',
  'label',
  'plan',
  'tier',
  'song',
  'album',
  'track',
  'movie',
  'film',
  'game',
  'book',
  'car',
  'vehicle',
  'ship',
  'vessel',
  'stock',
  'ticker',
  'symbol',
  'currency',
  'language',
  'agency',
  'bureau',
  'account',
  'sheet',
  'blob',
  'image',
  'attribute',
  'param',
  'parameter',
  'policy',
  'service',
  'skill',
  'street',
]);

/** The words of a column name: `customer_name`, `CustomerName` and `Customer Name` all give customer, name. */
export function nameWords(column: string): string[] {
  return column
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{Nd}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Whether a column's name says it holds personal data: the fixed list
 * (`email`, `phone`, `card_number`…), a `holder` or `contact`, and any
 * `*name*` column except names of things (`product_name`, `file_name`,
 * `Country Name`). A numeric or boolean column is never a person's name.
 */
export function personalByName(column: string, family?: ColumnProfile['family']): boolean {
  if (PERSONAL_NAME.test(column)) return true;
  const words = nameWords(column);
  if (words.some((w) => PERSON_WORDS.has(w))) return true;
  if (family === 'numeric' || family === 'boolean') return false;
  return words.some(
    (w, i) => (w === 'name' || w === 'names') && !(i > 0 && THING_QUALIFIERS.has(words[i - 1]!)),
  );
}

/** One word as the profile's shape writes it: `Aa` (Jane), `A` (J), `A'Aa` (O'Brien), `Aa-Aa` (Smith-Jones). */
const TOKEN = String.raw`(?:Aa?)+(?:['’.-](?:Aa?|a)+)*\.?`;
/** Value shapes (RE2 and JS alike) of people's names and postal addresses; the SQL recount uses them too. */
export const PERSONAL_SHAPES = {
  /** Two (or three, with a middle initial) capitalised words: `Jane Doe`, `Jane Q. Doe`. */
  'person-name': `^${TOKEN}(?: ${TOKEN}){1,2}$`,
  /** A number then capitalised words, optionally a comma and more: `12 Baker Street`, `12 Baker Street, London`. */
  address: `^9+[a-zA-Z]? (?:${TOKEN} ?)+(?:, ?(?:${TOKEN} ?|9+ ?)+)*$`,
} as const;
const PERSON_SHAPE = new RegExp(PERSONAL_SHAPES['person-name'], 'u');
const ADDRESS_SHAPE = new RegExp(PERSONAL_SHAPES.address, 'u');

/** A column whose values are shaped like names or addresses: the kind, the matching values and their share. */
export interface PersonalShape {
  kind: keyof typeof PERSONAL_SHAPES;
  matches: number;
  share: number;
}

/**
 * Whether a text column's values look like people's names or postal
 * addresses, from the profile's value shapes: at least `personalNameShare` of the
 * values are two capitalised words (`Aa Aa`) or a number and capitalised
 * words (`9 Aa Aa`), and most values are distinct, as names and addresses
 * are (a region such as "New England" repeats, so it is left alone).
 */
export function personalShape(column: ColumnProfile): PersonalShape | undefined {
  const shapes = column.text?.shapes ?? [];
  if (shapes.length === 0 || column.count <= 0) return undefined;
  if (column.distinct.value < THRESHOLDS.personalNameDistinctShare * column.count) return undefined;
  let names = 0;
  let addresses = 0;
  for (const s of shapes) {
    if (typeof s.value !== 'string') continue;
    if (PERSON_SHAPE.test(s.value)) names += s.count;
    else if (ADDRESS_SHAPE.test(s.value)) addresses += s.count;
  }
  const share = THRESHOLDS.personalNameShare * column.count;
  if (names > 0 && names >= share && names >= addresses)
    return { kind: 'person-name', matches: names, share: names / column.count };
  if (addresses > 0 && addresses >= share)
    return { kind: 'address', matches: addresses, share: addresses / column.count };
  return undefined;
}

/** `personalShape`'s kind alone: `person-name`, `address` or undefined. */
export function personalByValues(column: ColumnProfile): PersonalShape['kind'] | undefined {
  return personalShape(column)?.kind;
}
