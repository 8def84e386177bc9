export { default as ProfileView } from './ProfileView.svelte';
