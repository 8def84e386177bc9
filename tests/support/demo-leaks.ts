import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';

/** The personal values planted in public/demo/customer-churn.csv (e-mails, phones, card numbers). */
export interface PlantedValues {
  emails: Set<string>;
  phones: Set<string>;
  cards: Set<string>;
}

function demoLines(): string[] {
  return readFileSync(join(ROOT, 'public/demo/customer-churn.csv'), 'utf8').trim().split(/\r?\n/);
}

/** The demo's column names, from its header (no quoted name in it; the file has Windows line ends). */
export function demoColumns(): string[] {
  return demoLines()[0]!.split(',');
}

/** Read from the demo file itself, so the tests follow the demo. Vitest-free: Playwright specs use it too. */
export function demoPlantedValues(): PlantedValues {
  const lines = demoLines();
  const header = lines[0]!.split(',');
  const at = (name: string): number => header.indexOf(name);
  const planted: PlantedValues = { emails: new Set(), phones: new Set(), cards: new Set() };
  for (const line of lines.slice(1)) {
    // No quoted field precedes these columns in the demo.
    const cells = line.split(',');
    planted.emails.add(cells[at('email')]!);
    planted.phones.add(cells[at('phone')]!);
    const card = cells[at('card_number')]!;
    if (card) planted.cards.add(card);
  }
  return planted;
}

/** Every planted personal value found in a text, in any of the forms a value takes in an export. */
export function plantedLeaks(text: string, planted: PlantedValues): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g))
    if (planted.emails.has(m[0])) found.push(m[0]);
  for (const phone of planted.phones) if (text.includes(phone)) found.push(phone);
  for (const card of planted.cards)
    if (text.includes(card) || text.includes(card.replace(/\D/g, ''))) found.push(card);
  return found;
}
