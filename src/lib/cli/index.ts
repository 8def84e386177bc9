export { main, runCli, suggestionLines, EXIT_CODES, type CliIO, type CliResult } from './run';
export {
  CLI_FLAGS,
  UsageError,
  helpText,
  parseCommandLine,
  rolesFromFlags,
  usageText,
  type CliFlags,
  type FlagSpec,
} from './flags';
export { printable } from './output';
