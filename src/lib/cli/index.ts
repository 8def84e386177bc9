export { main, runCli, type CliIO, type CliResult, type CliRunOptions } from './run';
export { CLI_FLAGS, type CliFlags, type FlagSpec } from './flags';
