import { describe, it, expect } from 'vitest';
import { escapeMarkdownText, writeCard } from '../../../../src/lib/core/interop/card';
import { SPEC_DIMENSIONS, type CheckSpec } from '../../../../src/lib/core/interop/spec';
import { formatBytes, formatDate, formatShare } from '../../../../src/lib/core/format';
import { handSpec } from './odcs-spec';
import { specWithFindings } from './croissant-spec';

const card = (spec: CheckSpec): string => writeCard(spec).text;

/** The section of the card under `## title`, up to the next `## `. */
function section(text: string, title: string): string {
  const start = text.indexOf(`## ${title}\n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 3);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Cells of a Markdown table row, splitting only on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('writeCard: the Markdown dataset card', () => {
  const spec = specWithFindings();
  const text = card(spec);

  it('is named after the spec and opens with title, description and verdict', () => {
    expect(writeCard(spec).path).toBe('churn_audit.card.md');
    expect(writeCard(spec).mimeType).toBe('text/markdown');
    const [title, , description, , verdict] = text.split('\n');
    expect(title).toBe('# Churn audit');
    expect(description).toBe('Predict churn within 90 days of the snapshot.');
    expect(verdict).toContain('**Verdict:** Ready once 2 fixes are made.');
    expect(verdict).toContain(`Audited as of ${formatDate('2026-11-01', 'day')}`);
    expect(verdict).toContain('values of personal columns masked');
  });

  it('lists the files with rows, size and sha256, or says the checksum was not computed', () => {
    const rows = section(text, 'Files')
      .split('\n')
      .filter((l) => l.startsWith('| '));
    expect(cells(rows[0]!)).toEqual(['File', 'Dataset', 'Format', 'Rows', 'Size', 'SHA-256']);
    expect(cells(rows[2]!)).toEqual([
      'customers.csv',
      'customers',
      'csv',
      '120',
      formatBytes(2048),
      `\`${'ab'.repeat(32)}\``,
    ]);
    expect(cells(rows[3]!)).toEqual([
      'subscriptions.csv',
      'subscriptions',
      'csv',
      '300',
      formatBytes(1024),
      'not computed',
    ]);
  });

  it('has a columns table per dataset with type, missing share, personal and role', () => {
    const columns = section(text, 'Columns');
    expect(columns).toContain('### customers (customers.csv)');
    const row = (name: string) => cells(columns.split('\n').find((l) => l.startsWith(`| ${name} |`))!);
    expect(row('email')).toEqual(['email', 'string (VARCHAR)', formatShare(0), 'yes: email', '']);
    expect(row('monthly\\_fee')).toEqual(['monthly\\_fee', 'number (DOUBLE)', formatShare(0.02), 'no', '']);
    expect(row('churned')[4]).toBe('target');
    expect(row('signup\\_date')[4]).toBe('event time');
  });

  it('keeps a column named with a pipe and a line break in one cell', () => {
    const base = handSpec();
    const o = base.objects[1]!;
    const nasty = 'a|b\nc <img src=x>';
    const out = card({
      ...base,
      relationships: [],
      objects: [{ ...o, columns: [{ ...o.columns[0]!, name: nasty }] }],
    });
    const table = section(out, 'Columns')
      .split('\n')
      .filter((l) => l.startsWith('| '));
    for (const row of table) expect(cells(row)).toHaveLength(5);
    expect(table[2]).toContain('a\\|b c &lt;img src=x&gt;');
    expect(out).not.toContain('<img');
    expect(escapeMarkdownText('[x](y) ![i](j)')).toBe('\\[x\\](y) \\!\\[i\\](j)');
  });

  it('gives the time coverage, the personal data and the relationships in words', () => {
    expect(section(text, 'Time coverage')).toContain(
      `- customers: signup\\_date from ${formatDate('2024-01-01', 'day')} to ${formatDate('2026-10-31', 'day')}`,
    );
    const personal = section(text, 'Personal data');
    expect(personal).toContain('- email (customers.csv): personal data (email), detected in its values.');
    expect(personal).toContain('None of the values of this column appears');
    expect(section(text, 'Relationships')).toContain(
      '- subscriptions.customer\\_id → customers.customer\\_id (many-to-one)',
    );
    expect(section(card(handSpec()), 'Time coverage')).toBeDefined();
  });

  it('lists the open findings as known biases and limitations, never a project finding', () => {
    const biases = section(text, 'Known biases');
    expect(biases.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(3);
    expect(biases).toContain('Churn rate differs by source');
    expect(section(text, 'Known limitations')).toContain('Placeholder dates in signup\\_date');
    expect(text).not.toContain('No data engineer');
    expect(section(card(handSpec()), 'Known biases')).toContain('None open at the audit.');
  });

  it('counts the rules by dimension, and the counts add up to every rule', () => {
    const rows = section(text, 'Rules')
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .slice(2)
      .map(cells);
    const counted = new Map(rows.map(([d, n]) => [d!, Number(n!.replace(/,/g, ''))]));
    for (const d of SPEC_DIMENSIONS) {
      const n = spec.rules.filter((r) => r.dimension === d).length;
      expect(counted.get(d) ?? 0, d).toBe(n);
    }
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(spec.rules.length);
    expect(section(text, 'Rules')).toContain(`${spec.rules.length} rules travel with this card`);
  });
});

describe('the card lists only what faults the data', () => {
  it('leaves info and personal-data findings out of biases and limitations, and shortens long column lists', () => {
    const text = writeCard(specWithFindings()).text;
    expect(text).not.toContain('12,000 rows');
    expect(text).not.toContain('email contains personal data');
    expect(text).toContain('Identical rows carry conflicting labels (customers: a, b, c, 2 more; major).');
  });
});
