import { newAudit, withDataset } from '../../src/lib/core/audit/document';
import {
  AuditDocumentSchema,
  TaskTypeSchema,
  type AuditDocument,
  type ColumnRoles,
} from '../../src/lib/core/audit/schema';
import { VERDICT_LABELS } from '../../src/lib/core/readiness/verdict';
import { roleColumns } from '../../src/lib/core/readiness/roles';
import { createNodeConnector } from '../../src/lib/engine/node-connector';
import { nodeDecoders } from '../../src/lib/engine/node-decoders';
import { fileSource } from '../../src/lib/engine/node-source';
import { loadDataset } from '../../src/lib/engine/load-dataset';
import { runAuditPipeline } from '../../src/lib/engine/pipeline';
import { errorText } from '../../src/lib/engine/errors';
import { toDatasetRef } from '../../src/lib/engine/dataset-ref';

export interface CliFlags {
  target?: string;
  id?: string;
  time?: string;
  'outcome-time'?: string;
  source?: string;
  segment?: string[];
  exclude?: string[];
  'as-of'?: string;
  task?: string;
  'positive-class'?: string;
  'prediction-point'?: string;
  name?: string;
}

export interface CliResult {
  exitCode: 0 | 1 | 3 | 4;
  document?: AuditDocument;
}

export const EXIT_CODES = { ready: 0, conditional: 3, 'not-ready': 4 } as const;

/** Run a whole audit headless. Errors become a message and exit code 1, never a stack trace. */
export async function runCli(
  paths: string[],
  flags: CliFlags,
  log: (line: string) => void,
): Promise<CliResult> {
  const conn = await createNodeConnector();
  try {
    let audit = newAudit(
      flags.name ?? paths[0]!.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, ''),
      crypto.randomUUID(),
    );
    if (flags['as-of'] !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(flags['as-of']) || Number.isNaN(Date.parse(flags['as-of']))) {
        log(`error: --as-of must be a date like 2026-11-01, not “${flags['as-of']}”.`);
        return { exitCode: 1 };
      }
      audit.context.asOf = flags['as-of'];
    }
    if (flags.task !== undefined) {
      const task = TaskTypeSchema.safeParse(flags.task);
      if (!task.success) {
        log(`error: --task must be binary, multiclass or regression, not “${flags.task}”.`);
        return { exitCode: 1 };
      }
      audit.context.task = task.data;
    }
    if (flags['positive-class'] !== undefined) audit.context.positiveClass = flags['positive-class'];
    if (flags['prediction-point'] !== undefined) audit.context.predictionPoint = flags['prediction-point'];

    const tables: Record<string, string> = {};
    for (const path of paths) {
      try {
        const loaded = await loadDataset(conn, nodeDecoders, await fileSource(path));
        const ref = toDatasetRef(loaded, audit.datasets);
        tables[ref.id] = loaded.tableName;
        audit = withDataset(audit, ref);
        log(
          `loaded ${loaded.fileName}: ${loaded.rowCount} rows × ${loaded.columns.length} columns in ${Math.round(loaded.loadMs)} ms`,
        );
        for (const warning of loaded.warnings) log(`warning: ${warning}`);
      } catch (error) {
        log(`error: ${errorText(error)}`);
        return { exitCode: 1 };
      }
    }

    const primary = audit.datasets[0]!;
    const roles: ColumnRoles = {
      segments: flags.segment ?? [],
      excluded: flags.exclude ?? [],
      ...(flags.target ? { target: flags.target } : {}),
      ...(flags.id ? { id: flags.id } : {}),
      ...(flags.time ? { eventTime: flags.time } : {}),
      ...(flags['outcome-time'] ? { outcomeTime: flags['outcome-time'] } : {}),
      ...(flags.source ? { source: flags.source } : {}),
    };
    const names = new Set(primary.columns.map((c) => c.name));
    const unknown = roleColumns(roles).filter((c) => !names.has(c));
    if (unknown.length > 0) {
      log(
        `error: ${primary.fileName} has no column ${unknown.map((c) => `“${c}”`).join(', ')}. Columns: ${[...names].join(', ')}.`,
      );
      return { exitCode: 1 };
    }
    audit.roles = { [primary.id]: roles };

    audit = await runAuditPipeline(conn, audit, {
      tables,
      onProgress: (p) => log(`${Math.round(p.fraction * 100)}% ${p.label}`),
    });
    const document = AuditDocumentSchema.parse({ ...audit, updatedAt: new Date().toISOString() });
    const verdict = document.verdict!;
    log(
      `verdict: ${VERDICT_LABELS[verdict.status]} (${verdict.openBlockers.length} blockers, ${verdict.openMajors.length} majors open)`,
    );
    return { exitCode: EXIT_CODES[verdict.status], document };
  } catch (error) {
    log(`error: ${errorText(error)}`);
    return { exitCode: 1 };
  } finally {
    await conn.close();
  }
}
