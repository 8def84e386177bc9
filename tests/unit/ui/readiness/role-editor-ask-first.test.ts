import { describe, expect, it } from 'vitest';
import type { ColumnRoles } from '../../../../src/lib/core/model/audit';
import type { RoleSuggestions } from '../../../../src/lib/core/readiness/roles';
import {
  anySuggestionDiffers,
  asksFirst,
  suggestionDiffers,
  taskSuggestionFor,
  withAllSuggestions,
  withSuggestion,
} from '../../../../src/lib/ui/readiness/role-editor';

describe('a suggested source system asks first in the role editor', () => {
  const suggestions: RoleSuggestions = {
    roles: { target: 'churned', source: 'channel', segments: [], excluded: [] },
    suggestions: [
      { role: 'source', column: 'channel', score: 0.8, reason: '3 distinct values and the name “channel”.' },
      { role: 'target', column: 'churned', score: 0.9, reason: '2 distinct values.' },
    ],
    task: { column: 'churned', task: 'binary', reason: '2 classes.', positiveClass: 'true' },
  };
  const empty: ColumnRoles = { segments: [], excluded: [] };

  it('“apply all” leaves the source out; its own button applies it', () => {
    expect(asksFirst('source')).toBe(true);
    expect(asksFirst('target')).toBe(false);
    expect(withAllSuggestions(empty, suggestions)).toEqual({ target: 'churned', segments: [], excluded: [] });
    expect(suggestionDiffers(empty, suggestions, 'source')).toBe(true);
    expect(withSuggestion(empty, suggestions, 'source').source).toBe('channel');
  });

  it('with only a source suggestion left, there is nothing for “apply all” to do', () => {
    expect(anySuggestionDiffers({ target: 'churned', segments: [], excluded: [] }, suggestions)).toBe(false);
  });

  it('shows the task suggestion only for the target it was inferred from', () => {
    expect(taskSuggestionFor(suggestions, { ...empty, target: 'churned' })?.task).toBe('binary');
    expect(taskSuggestionFor(suggestions, { ...empty, target: 'plan' })).toBeUndefined();
  });
});
