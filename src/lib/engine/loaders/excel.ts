import type { FormatExtras, LoadContext } from './types';

/** An Excel workbook: one sheet (the largest by default) decoded to Arrow in a worker, then inserted. */
export async function loadExcelFile(ctx: LoadContext): Promise<FormatExtras> {
  const bytes = await ctx.readBytes();
  ctx.report({ stage: 'decoding' });
  const decoded = await ctx.decoders.xlsxToIPC(bytes, ctx.options.sheet, ctx.options.signal);
  ctx.throwIfCancelled();
  ctx.warnings.push(...decoded.warnings);
  ctx.report({ stage: 'loading' });
  await ctx.conn.insertArrowIPC(ctx.tableName, decoded.ipc);
  return { sheets: decoded.sheets, sheet: decoded.sheet, sheetSummaries: decoded.sheetSummaries };
}
