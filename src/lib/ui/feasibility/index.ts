export { default as FeasibilityView } from './FeasibilityView.svelte';
