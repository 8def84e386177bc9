import type { AuditDocument, ColumnRoles, ProjectContext } from '../../core/model/audit';

const CONTEXT_LABELS: Record<keyof ProjectContext, string> = {
  decision: 'decision',
  task: 'task',
  targetDefinition: 'target definition',
  positiveClass: 'positive class',
  predictionPoint: 'prediction point',
  asOf: 'as-of date',
  historyFrom: 'history start',
};

const ROLE_LABELS: Record<keyof ColumnRoles, string> = {
  target: 'target',
  id: 'ID',
  eventTime: 'event time',
  outcomeTime: 'outcome time',
  source: 'source system',
  segments: 'segments',
  excluded: 'excluded columns',
};

const quoted = (value: unknown): string => {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return 'none';
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Items of two lists, by key: those only in the first, and those in both whose content differs. */
function compareBy<T>(mine: readonly T[], theirs: readonly T[], key: (item: T) => string) {
  const theirsByKey = new Map(theirs.map((item) => [key(item), item]));
  const mineByKey = new Map(mine.map((item) => [key(item), item]));
  return {
    onlyMine: mine.filter((item) => !theirsByKey.has(key(item))),
    onlyTheirs: theirs.filter((item) => !mineByKey.has(key(item))),
    changed: mine.filter((item) => theirsByKey.has(key(item)) && !same(item, theirsByKey.get(key(item)))),
  };
}

/**
 * What differs between this tab's unsaved copy of an audit and the copy
 * another tab saved, in plain words, one line per difference ("Name: “A”
 * here, “B” in the other tab."). Save bookkeeping (revision, save time,
 * redaction record) is not a difference the user made.
 */
export function auditDifferences(mine: AuditDocument, theirs: AuditDocument): string[] {
  const out: string[] = [];
  const here = (a: unknown, b: unknown): string => `${quoted(a)} here, ${quoted(b)} in the other tab`;
  const fileName = (id: string): string =>
    [...mine.datasets, ...theirs.datasets].find((d) => d.id === id)?.fileName ?? id;
  const findingTitle = (id: string): string =>
    [...mine.findings, ...theirs.findings].find((f) => f.id === id)?.title ?? id;

  if (mine.name !== theirs.name) out.push(`Name: ${here(mine.name, theirs.name)}.`);
  for (const key of Object.keys(CONTEXT_LABELS) as (keyof ProjectContext)[])
    if (!same(mine.context[key], theirs.context[key]))
      out.push(`Project ${CONTEXT_LABELS[key]}: ${here(mine.context[key], theirs.context[key])}.`);

  const datasets = compareBy(mine.datasets, theirs.datasets, (d) => d.id);
  for (const d of datasets.onlyMine) out.push(`Dataset “${d.fileName}” is only in this tab.`);
  for (const d of datasets.onlyTheirs) out.push(`Dataset “${d.fileName}” is only in the other tab.`);
  for (const d of datasets.changed)
    out.push(`Dataset “${d.fileName}” was loaded differently (rows, columns or options).`);

  for (const id of new Set([...Object.keys(mine.roles), ...Object.keys(theirs.roles)]))
    for (const key of Object.keys(ROLE_LABELS) as (keyof ColumnRoles)[]) {
      const [a, b] = [mine.roles[id]?.[key], theirs.roles[id]?.[key]];
      if (!same(a ?? (Array.isArray(b) ? [] : undefined), b ?? (Array.isArray(a) ? [] : undefined)))
        out.push(
          `${ROLE_LABELS[key]} of “${fileName(id)}”: ${here(a, b)}.`.replace(/^./, (c) => c.toUpperCase()),
        );
    }

  const waivers = compareBy(mine.waivers, theirs.waivers, (w) => w.findingId);
  for (const w of waivers.onlyMine) out.push(`Waived only here: “${findingTitle(w.findingId)}”.`);
  for (const w of waivers.onlyTheirs)
    out.push(`Waived only in the other tab: “${findingTitle(w.findingId)}”.`);
  for (const w of waivers.changed) out.push(`The waiver reason of “${findingTitle(w.findingId)}” differs.`);
  const notes = compareBy(mine.notes, theirs.notes, (n) => n.findingId);
  for (const n of notes.onlyMine) out.push(`Note only here, on “${findingTitle(n.findingId)}”.`);
  for (const n of notes.onlyTheirs)
    out.push(`Note only in the other tab, on “${findingTitle(n.findingId)}”.`);
  for (const n of notes.changed)
    out.push(
      `Note on “${findingTitle(n.findingId)}”: ${here(n.text, theirs.notes.find((t) => t.findingId === n.findingId)?.text)}.`,
    );

  for (const [field, words] of [
    ['personalColumns', 'Marked as personal data'],
    ['notPersonalColumns', 'Marked as not personal data'],
  ] as const)
    for (const id of new Set([...Object.keys(mine[field] ?? {}), ...Object.keys(theirs[field] ?? {})])) {
      const [a, b] = [mine[field]?.[id] ?? [], theirs[field]?.[id] ?? []];
      const onlyA = a.filter((c) => !b.includes(c));
      const onlyB = b.filter((c) => !a.includes(c));
      if (onlyA.length > 0) out.push(`${words} only here, in “${fileName(id)}”: ${onlyA.join(', ')}.`);
      if (onlyB.length > 0)
        out.push(`${words} only in the other tab, in “${fileName(id)}”: ${onlyB.join(', ')}.`);
    }
  if ((mine.storePersonalValues ?? false) !== (theirs.storePersonalValues ?? false))
    out.push(
      `Keeping personal values in this browser: ${mine.storePersonalValues ? 'on' : 'off'} here, ${theirs.storePersonalValues ? 'on' : 'off'} in the other tab.`,
    );

  if (!same(mine.profiles, theirs.profiles) || !same(mine.findings, theirs.findings))
    out.push(
      `Analysis results: ${mine.findings.length} finding${mine.findings.length === 1 ? '' : 's'} here, ${theirs.findings.length} in the other tab${same(mine.profiles, theirs.profiles) ? '' : ' (profiles differ too)'}.`,
    );
  if (!same(mine.plan, theirs.plan)) out.push('The success-metric plan differs.');
  if (!same(mine.drift, theirs.drift)) out.push('The drift results or monitoring contract differ.');
  if (!same(mine.deliverable, theirs.deliverable)) out.push('The Sprint 0 deliverable’s sections differ.');
  if (mine.primaryDatasetId !== theirs.primaryDatasetId)
    out.push(
      `Dataset audited: ${here(mine.primaryDatasetId && fileName(mine.primaryDatasetId), theirs.primaryDatasetId && fileName(theirs.primaryDatasetId))}.`,
    );
  return out;
}
