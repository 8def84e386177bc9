import { printable } from '../core/redact';

/** The terminal and the exports strip the same characters from names: one function, in core. */
export { printable };

/** A name quoted for the CLI's messages, with control characters removed. */
export function quoted(name: string): string {
  return `“${printable(name)}”`;
}
