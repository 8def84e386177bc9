export { default as DriftView } from './DriftView.svelte';
export { default as DiffView } from './DiffView.svelte';
