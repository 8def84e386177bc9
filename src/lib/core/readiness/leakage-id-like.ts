import type { Finding } from '../model/audit';
import { ident } from '../sql/quote';
import { categoryAucQuery, idShapeSql, rankAucQuery, spearmanQuery } from '../sql/readiness-leakage';
import { FEATURE_DEPS, LABEL_DEPS } from './deps';
import { count, finder, first, q, round, toNumber } from './findings';
import type { CheckDefinition } from './types';
import {
  aucPart,
  idLikeColumns,
  leakageAucParts,
  leakageAucsQuery,
  rankOptions,
  sharedTrends,
  strongestAuc,
  withTrend,
} from './leakage-plan';

export const leakageIdLike: CheckDefinition = {
  id: 'leakage-id-like',
  area: 'leakage',
  meaning: 'An identifier carries signal about the label; a model would memorise IDs instead of learning.',
  fix: 'pipeline',
  owner: 'ml-engineering',
  inWords: 'IDs that predict the label',
  description:
    'ID-like columns that predict the label, through their order (sequential IDs) or their shape (prefixes, lengths).',
  evidence: {
    rho: { label: 'Rank correlation with the target', kind: 'number' },
    threshold: { label: 'Flagged from', kind: 'number' },
    orderAuc: { label: 'AUC of the ID order', kind: 'number' },
    shapeAuc: { label: 'AUC of the ID shape', kind: 'number' },
    shapes: { label: 'ID shapes', kind: 'count' },
  },
  dependsOn: [...FEATURE_DEPS, ...LABEL_DEPS, 'thresholds'],
  applies: (s) => s.label !== undefined && idLikeColumns(s).length > 0,
  queries: (s) => {
    const queries: Record<string, string> = {};
    idLikeColumns(s).forEach((c, i) => {
      queries[`order_${i}`] =
        s.label!.kind === 'numeric'
          ? spearmanQuery(s.sql, ident(c.name))
          : rankAucQuery(s.sql, ident(c.name), rankOptions(c));
    });
    // The shapes run in leakage-single-feature's statement (the same SQL, run once), as does the trend.
    const aucs = s.label!.kind === 'classes' ? leakageAucsQuery(s) : undefined;
    if (aucs) queries.aucs = aucs;
    return withTrend(s, queries);
  },
  findings(s, r) {
    const make = finder(s, this.id, this.area);
    const t = s.thresholds;
    const label = s.label!;
    const out: Finding[] = [];
    const { shapesFrom } = leakageAucParts(s);
    // An ID that rises with time tracks a target that trends with time: leakage-single-feature says so.
    const trends = sharedTrends(s, r).columns;
    idLikeColumns(s).forEach((c, i) => {
      if (label.kind === 'numeric') {
        const rho = toNumber(first(r[`order_${i}`]).rho);
        if (rho !== null && Math.abs(rho) >= t.strongRho && !trends.has(c.name))
          out.push(
            make({
              severity: 'major',
              key: c.name,
              title: `ID-like ${q(c.name)} tracks ${q(label.column)} (ρ = ${round(rho, 3)})`,
              columns: [c.name, label.column],
              evidence: { rho: round(rho, 4), threshold: t.strongRho },
              sql: spearmanQuery(s.sql, ident(c.name)),
              recommendation:
                'Identifiers should carry no signal; find out how they were assigned, and never use them as features.',
            }),
          );
        return;
      }
      const order = strongestAuc(s, r[`order_${i}`] ?? []);
      const shapeRows = aucPart(r, shapesFrom + i);
      const categories = count(shapeRows[0]?.categories);
      const shapeUsable = categories > 1 && c.nonNull / categories >= t.aucMinRowsPerCategory;
      const shape = shapeUsable ? strongestAuc(s, shapeRows) : null;
      const best = [order && { kind: 'order', ...order }, shape && { kind: 'shape', ...shape }]
        .filter((x): x is NonNullable<typeof x> => !!x)
        .sort((a, b) => b.auc - a.auc)[0];
      if (!best || best.auc < t.idLikeAuc) return;
      out.push(
        make({
          severity: 'major',
          key: c.name,
          title: `ID-like ${q(c.name)} predicts ${q(label.column)} through its ${best.kind === 'order' ? 'order' : 'format'} (AUC ${round(best.auc, 3)})`,
          columns: [c.name, label.column],
          evidence: {
            orderAuc: order ? round(order.auc, 4) : null,
            shapeAuc: shape ? round(shape.auc, 4) : null,
            shapes: categories,
            threshold: t.idLikeAuc,
          },
          sql:
            best.kind === 'order'
              ? rankAucQuery(s.sql, ident(c.name), rankOptions(c))
              : categoryAucQuery(s.sql, idShapeSql(c.name)),
          recommendation:
            'Identifiers should carry no signal. Sequential IDs track time (and any drift in the label rate); prefixes may encode the outcome or the source. Never use the ID as a feature, and split by time or by source if that is what the ID encodes.',
        }),
      );
    });
    return out;
  },
};
