import type { AuditDocument } from '../../src/lib/core/model/audit';
import { bestBaseline, signalJudgement } from '../../src/lib/core/feasibility/findings';
import { formatNumber, formatShare } from '../../src/lib/core/format';

/** One line on a corpus audit's feasibility step: band, best baseline, signal, curve and label noise. */
export function feasibilitySummary(f: AuditDocument['feasibility']): string {
  if (!f) return 'feasibility: none';
  if (f.status !== 'done') return `band ${f.band}; baselines not run: ${f.reason ?? ''}`;
  const best = bestBaseline(f);
  if (!best) return `band ${f.band}; no baseline`;
  const n = (x: number | null | undefined) => formatNumber(x ?? null, { digits: 3 });
  const score =
    best.task === 'regression'
      ? `R² ${n(best.r2)}`
      : `AUC ${n(best.auc?.estimate)} (${n(best.auc?.lower)}–${n(best.auc?.upper)})`;
  const noise = f.labelNoise
    ? `; noise ${formatShare(f.labelNoise.estimate)}${f.labelNoise.interpretable ? ' (read as label error)' : ' (not readable)'}`
    : '';
  return `band ${f.band}; ${best.model} ${score} on ${best.n.test} held out, signal ${signalJudgement(best)}; curve ${f.learningFit?.trend ?? '—'}${noise}`;
}
