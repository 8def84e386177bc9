import type { AppState } from './app-state.svelte';

let loading: Promise<AppState> | undefined;

/**
 * The app's state and everything behind it (the audit session, core, the
 * store), loaded on first need. The landing page paints without it: it is the
 * bulk of the app's JavaScript.
 */
export function loadApp(): Promise<AppState> {
  loading ??= import('./app-state.svelte').then((module) => module.app);
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Run `task` once the browser has painted the current frame (two animation frames later). */
export function afterPaint(task: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(task, 0)));
}
