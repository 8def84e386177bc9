import { LoadError, quotedName } from './errors';

/** The first bytes of an OLE compound file (CFB), the container of .xls files and of encrypted Office files. */
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** "EncryptedPackage" as CFB directory entries spell stream names: UTF-16LE. */
const ENCRYPTED_PACKAGE = new Uint8Array([...'EncryptedPackage'].flatMap((ch) => [ch.charCodeAt(0), 0]));

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (
    let at = bytes.indexOf(first!);
    at >= 0 && at + needle.length <= bytes.length;
    at = bytes.indexOf(first!, at + 1)
  )
    if (needle.every((b, i) => bytes[at + i] === b)) return true;
  return false;
}

/**
 * The refusal for a file named .xlsx whose content is an OLE compound file. Excel saves a
 * password-protected workbook that way: the real .xlsx is encrypted inside an
 * `EncryptedPackage` stream (MS-OFFCRYPTO), so no reader can open it without the password.
 * Without that stream in the first bytes, it is most likely a legacy .xls renamed.
 * Returns undefined when the content is not an OLE compound file.
 */
export function oleWorkbookError(fileName: string, head: Uint8Array): LoadError | undefined {
  if (!startsWith(head, CFB_SIGNATURE)) return undefined;
  if (contains(head, ENCRYPTED_PACKAGE))
    return new LoadError(
      'unsupported-format',
      `${quotedName(fileName)} is a password-protected (encrypted) Excel workbook, which cannot be read without its password. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password, then clear it), save it, and load it again; or export the sheet to CSV.`,
    );
  return new LoadError(
    'unsupported-format',
    `${quotedName(fileName)} is named .xlsx but it is an OLE document: a legacy Excel 97–2003 (.xls) workbook renamed, or a password-protected workbook. Open it in Excel, remove any password, save it as .xlsx (or export the sheet to CSV), and load it again.`,
  );
}
