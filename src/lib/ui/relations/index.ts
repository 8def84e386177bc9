export { default as RelationsView } from './RelationsView.svelte';
