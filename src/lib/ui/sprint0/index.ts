export { default as Sprint0View } from './Sprint0View.svelte';
export { sprint0Files, downloadText } from './sprint0-export';
