import { describe, expect, it } from 'vitest';
import type { ColumnRoles } from '../../../../src/lib/core/model/audit';
import { newAudit } from '../../../../src/lib/core/model/document';
import type { RoleSuggestions } from '../../../../src/lib/core/readiness/roles';
import {
  checksNeedingTarget,
  listSuggestions,
  roleSuggestionsFor,
  suggestionDiffers,
  suggestionFor,
  withAllSuggestions,
  withListColumn,
  withRole,
  withSuggestion,
} from '../../../../src/lib/ui/readiness/role-editor';

describe('role editing', () => {
  const order = ['customer_id', 'region', 'plan', 'email', 'phone'];
  const roles: ColumnRoles = { target: 'churned', segments: ['plan'], excluded: [] };
  const suggestions: RoleSuggestions = {
    roles: { target: 'churned', id: 'customer_id', segments: ['region'], excluded: ['phone', 'email'] },
    suggestions: [
      { role: 'excluded', column: 'email', score: 0.7, reason: 'The name suggests personal data (“email”).' },
      { role: 'excluded', column: 'phone', score: 0.7, reason: 'The name suggests personal data (“phone”).' },
      { role: 'id', column: 'customer_id', score: 0.99, reason: '99.2 % of 12,000 values are distinct.' },
      { role: 'id', column: 'email', score: 0.7, reason: '100 % distinct.' },
      { role: 'segments', column: 'region', score: 0.6, reason: '10 distinct values.' },
      { role: 'target', column: 'churned', score: 0.9, reason: '7 distinct values (low cardinality).' },
    ],
  };

  it('sets and clears a single role without touching the others', () => {
    expect(withRole(roles, 'id', 'customer_id')).toEqual({ ...roles, id: 'customer_id' });
    const cleared = withRole(roles, 'target', '');
    expect('target' in cleared).toBe(false);
    expect(cleared.segments).toEqual(['plan']);
  });

  it('toggles list roles in table column order', () => {
    expect(withListColumn(roles, 'segments', 'region', true, order).segments).toEqual(['region', 'plan']);
    expect(withListColumn(roles, 'segments', 'plan', false, order).segments).toEqual([]);
  });

  it('gives the suggestion behind each role with its reason', () => {
    expect(suggestionFor(suggestions, 'id')?.reason).toMatch(/distinct/);
    expect(suggestionFor(suggestions, 'source')).toBeUndefined();
    expect(listSuggestions(suggestions, 'excluded').map((s) => s.column)).toEqual(['email', 'phone']);
  });

  it('applies one suggestion or all of them, and knows when nothing would change', () => {
    expect(suggestionDiffers(roles, suggestions, 'target')).toBe(false);
    expect(suggestionDiffers(roles, suggestions, 'id')).toBe(true);
    expect(withSuggestion(roles, suggestions, 'segments', order).segments).toEqual(['region', 'plan']);
    const all = withAllSuggestions(roles, suggestions, order);
    expect(all).toEqual({
      target: 'churned',
      id: 'customer_id',
      segments: ['region', 'plan'],
      excluded: ['email', 'phone'],
    });
    expect(suggestionDiffers(all, suggestions, 'excluded')).toBe(false);
  });

  it('names the checks that read the target', () => {
    const ids = checksNeedingTarget().map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['labels-missing', 'leakage-single-feature', 'volume-epv']));
    expect(ids).not.toContain('time-future');
  });
});

describe('roleSuggestionsFor', () => {
  it('has no suggestions before the dataset is profiled', () => {
    const audit = newAudit('t', 'a1');
    expect(roleSuggestionsFor(audit, 'missing')).toBeUndefined();
  });
});
