import { AREA_LABELS } from '../../src/lib/core/readiness/area-labels';
import { READINESS_CHECKS } from '../../src/lib/core/readiness/registry';
import { FEASIBILITY_FINDING_DEFINITIONS } from '../../src/lib/core/feasibility/findings';
import { RELATION_FINDING_DEFINITIONS } from '../../src/lib/core/relations/definitions';
import {
  DRIFT_THRESHOLDS,
  DRIFT_THRESHOLD_SOURCES,
  FEASIBILITY_THRESHOLDS,
  FEASIBILITY_THRESHOLD_SOURCES,
  INTEROP_THRESHOLDS,
  INTEROP_THRESHOLD_SOURCES,
  READINESS_THRESHOLDS,
  RELATION_THRESHOLDS,
  RELATION_THRESHOLD_SOURCES,
  THRESHOLD_SOURCES,
} from '../../src/lib/core/thresholds';

export const CHECKS_START = '<!-- readiness-checks:start (npm run checks-doc writes this block) -->';
export const CHECKS_END = '<!-- readiness-checks:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map(value).join(', ');
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  return String(v);
}

/**
 * The README's list of readiness checks and of every threshold with its source, written from
 * the registry and `thresholds.ts` so the README cannot drift from the code.
 */
export function checksMarkdown(): string {
  const lines: string[] = [CHECKS_START, '', '| Area | Check | What it looks for |', '|---|---|---|'];
  for (const check of READINESS_CHECKS)
    lines.push(`| ${AREA_LABELS[check.area]} | \`${check.id}\` | ${cell(check.description)} |`);
  lines.push('', '#### Readiness thresholds', '', '| Threshold | Default | Source |', '|---|---|---|');
  for (const [key, v] of Object.entries(READINESS_THRESHOLDS))
    lines.push(
      `| \`${key}\` | ${value(v)} | ${cell(THRESHOLD_SOURCES[key as keyof typeof THRESHOLD_SOURCES])} |`,
    );
  lines.push('', '#### Drift thresholds', '', '| Threshold | Default | Source |', '|---|---|---|');
  for (const [key, v] of Object.entries(DRIFT_THRESHOLDS))
    lines.push(
      `| \`${key}\` | ${value(v)} | ${cell(DRIFT_THRESHOLD_SOURCES[key as keyof typeof DRIFT_THRESHOLD_SOURCES])} |`,
    );
  lines.push('', '#### Feasibility findings', '', '| Area | Finding | What it tells |', '|---|---|---|');
  for (const kind of Object.values(FEASIBILITY_FINDING_DEFINITIONS))
    lines.push(`| ${AREA_LABELS[kind.area]} | \`${kind.id}\` | ${cell(kind.meaning)} |`);
  lines.push('', '#### Feasibility thresholds', '', '| Threshold | Default | Source |', '|---|---|---|');
  for (const [key, v] of Object.entries(FEASIBILITY_THRESHOLDS))
    lines.push(
      `| \`${key}\` | ${value(v)} | ${cell(FEASIBILITY_THRESHOLD_SOURCES[key as keyof typeof FEASIBILITY_THRESHOLD_SOURCES])} |`,
    );
  lines.push('', '#### Related-table findings', '', '| Area | Finding | What it tells |', '|---|---|---|');
  for (const kind of Object.values(RELATION_FINDING_DEFINITIONS))
    lines.push(`| ${AREA_LABELS[kind.area]} | \`${kind.id}\` | ${cell(kind.meaning)} |`);
  lines.push('', '#### Related-table thresholds', '', '| Threshold | Default | Source |', '|---|---|---|');
  for (const [key, v] of Object.entries(RELATION_THRESHOLDS))
    lines.push(
      `| \`${key}\` | ${value(v)} | ${cell(RELATION_THRESHOLD_SOURCES[key as keyof typeof RELATION_THRESHOLD_SOURCES])} |`,
    );
  lines.push('', '#### Exported check thresholds', '', '| Threshold | Default | Source |', '|---|---|---|');
  for (const [key, v] of Object.entries(INTEROP_THRESHOLDS))
    lines.push(
      `| \`${key}\` | ${value(v)} | ${cell(INTEROP_THRESHOLD_SOURCES[key as keyof typeof INTEROP_THRESHOLD_SOURCES])} |`,
    );
  lines.push('', CHECKS_END);
  return lines.join('\n');
}

/** The README with its checks block replaced by a fresh one. */
export function withChecksBlock(readme: string): string {
  const start = readme.indexOf(CHECKS_START);
  const end = readme.indexOf(CHECKS_END);
  if (start < 0 || end < start) throw new Error('README.md has no readiness-checks block');
  return readme.slice(0, start) + checksMarkdown() + readme.slice(end + CHECKS_END.length);
}
