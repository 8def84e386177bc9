import type { Dependency } from './types';

/** The candidate features are every column not given a role or excluded, so they depend on these. */
export const FEATURE_DEPS: readonly Dependency[] = ['target', 'id', 'eventTime', 'outcomeTime', 'excluded'];

/** What the label expression reads. */
export const LABEL_DEPS: readonly Dependency[] = ['target', 'task', 'positiveClass'];
