/* eslint-disable no-control-regex -- stripping control characters is the point of this module */
const ANSI_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Text safe to print on a terminal: ANSI escape sequences and every other
 * control character (newlines, tabs, C1 codes) are removed. File and column
 * names come from client data, and a name must not be able to move the cursor,
 * recolour the terminal or fake an extra output line.
 */
export function printable(text: string): string {
  return text.replace(ANSI_ESCAPE, '').replace(CONTROL, '');
}

/** A name quoted for the CLI's messages, with control characters removed. */
export function quoted(name: string): string {
  return `“${printable(name)}”`;
}
