export { default as ExportButton } from './ExportButton.svelte';
export { exportFile, exportPreview, type ExportKind, type ExportPreview } from './export-files';
export { default as PersonalDataPanel } from './PersonalDataPanel.svelte';
export { default as OtherTabSync } from './OtherTabSync.svelte';
export { default as UnsavedBanner } from './UnsavedBanner.svelte';
