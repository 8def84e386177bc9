import { isBooleanType, isIntegerType, isNumericType, isTextType } from '../sql/types';
import type { ColumnSchema, TaskType } from '../model/audit';

import { READINESS_THRESHOLDS } from '../thresholds';
import { fmtInt, fmtPct } from './findings';

/** The task a target's values point to, and for a binary target its minority class. */
export interface TaskSuggestion {
  /** The target column it was inferred from. */
  column: string;
  task: TaskType;
  /** Why, in words the consultant can check. */
  reason: string;
  /** Binary only: the minority class, which the audit treats as positive unless told otherwise. */
  positiveClass?: string;
  positiveReason?: string;
}

/** One spelling of a target's values with its canonical label and count (a `labelSpellingsQuery` row). */
export interface TargetSpelling {
  raw: string | null;
  /** The canonical label the readiness checks group by; null for a missing value. */
  label: string | null;
  rows: number;
}

/**
 * The task a target's values point to, after scikit-learn's `type_of_target`:
 * two values (or true/false) are binary; 3 to `targetMaxClasses` text or
 * whole-number values are multiclass; numbers that are not all whole, or more
 * whole numbers than that, are a regression target. With the spellings
 * (`labelSpellingsQuery` rows) classes are counted as the readiness checks
 * count them, and a binary target's minority class is named as the positive
 * class the audit will use. Undefined when the values do not decide (decimals
 * without their values, a single class).
 */
export function inferTask(
  column: ColumnSchema,
  distinct: number,
  spellings?: readonly TargetSpelling[],
): TaskSuggestion | undefined {
  const max = READINESS_THRESHOLDS.targetMaxClasses;
  const numeric = isNumericType(column.type);
  const base = { column: column.name };
  if (isBooleanType(column.type) && !spellings)
    return { ...base, task: 'binary', reason: 'True/false values: a binary target.' };
  if (!spellings) {
    if (numeric && distinct > max)
      return {
        ...base,
        task: 'regression',
        reason: `${fmtInt(distinct)} distinct numbers, more than ${max} classes: a regression target.`,
      };
    if (!numeric && !isTextType(column.type)) return undefined;
    if (numeric && !isIntegerType(column.type)) return undefined;
    if (distinct === 2) return { ...base, task: 'binary', reason: '2 distinct values: a binary target.' };
    // Whole numbers need their values to tell class codes from amounts.
    if (!numeric && distinct >= 3 && distinct <= max)
      return {
        ...base,
        task: 'multiclass',
        reason: `${distinct} distinct text values: a multiclass target.`,
      };
    return undefined;
  }
  const classes = new Map<string, { rows: number; spellings: { raw: string; rows: number }[] }>();
  for (const s of spellings) {
    if (s.label === null || s.raw === null) continue;
    const c = classes.get(s.label) ?? { rows: 0, spellings: [] };
    c.rows += s.rows;
    c.spellings.push({ raw: s.raw, rows: s.rows });
    classes.set(s.label, c);
  }
  // Sorted as the readiness checks sort them (most rows first, then by label): the last is the minority.
  const list = [...classes.entries()]
    .map(([label, c]) => ({
      label,
      rows: c.rows,
      display: [...c.spellings].sort((a, b) => b.rows - a.rows)[0]!.raw,
    }))
    .sort((a, b) => b.rows - a.rows || a.label.localeCompare(b.label));
  const n = list.length;
  const whole = numeric && list.every((c) => Number.isInteger(Number(c.display)));
  const quoted = (values: string[]): string => values.map((v) => `“${v}”`).join(', ');
  if (numeric && !whole)
    return {
      ...base,
      task: 'regression',
      reason: `Numbers that are not all whole (${quoted(list.slice(0, 3).map((c) => c.display))}…): a regression target.`,
    };
  if (n === 2) {
    const labelled = list[0]!.rows + list[1]!.rows;
    const minority = list[1]!;
    return {
      ...base,
      task: 'binary',
      reason: `2 classes (${quoted(list.map((c) => c.display))}): a binary target.`,
      positiveClass: minority.display,
      positiveReason: `“${minority.display}” is the minority class (${fmtInt(minority.rows)} of ${fmtInt(labelled)} labelled rows, ${fmtPct(minority.rows / labelled)}); the audit treats it as the positive class unless you choose another.`,
    };
  }
  if (numeric && n >= 3 && n <= max) {
    // Class codes fill their range (0–9, 1–5); a few amounts spread over a wide one (7 to 42) are measurements.
    const values = list.map((c) => Number(c.display));
    const low = Math.min(...values);
    const high = Math.max(...values);
    if (n * 2 < high - low + 1)
      return {
        ...base,
        task: 'regression',
        reason: `${n} whole numbers spread over ${fmtInt(low)} to ${fmtInt(high)}: amounts, not class codes; a regression target.`,
      };
  }
  if (n >= 3 && n <= max)
    return {
      ...base,
      task: 'multiclass',
      reason: `${n} classes of ${numeric ? 'whole numbers' : 'text'} (${quoted(list.slice(0, 5).map((c) => c.display))}${n > 5 ? '…' : ''}): a multiclass target.`,
    };
  if (numeric && n > max)
    return {
      ...base,
      task: 'regression',
      reason: `${fmtInt(n)} distinct whole numbers, more than ${max} classes: a regression target.`,
    };
  return undefined;
}
