export { default as ReadinessView } from './ReadinessView.svelte';
