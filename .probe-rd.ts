import { engine, loadBytes } from './tests/support/engine';
import { generateChurnDataset, NO_DEFECTS } from './scripts/lib/synthetic';
import { runReadiness } from './src/lib/engine/run-readiness';
import { verdictFor } from './src/lib/core/readiness/verdict';
const clean = process.argv[2] === 'clean';
const conn = await engine();
const ds = generateChurnDataset(clean ? { defects: NO_DEFECTS } : {});
const loaded = await loadBytes(conn, 'churn.csv', ds.csv);
const t0 = performance.now();
const findings = await runReadiness(conn, {
  tableName: loaded.tableName, datasetId: 'demo', columns: loaded.columns,
  roles: { target: 'churned', id: 'customer_id', eventTime: 'snapshot_date', outcomeTime: 'churn_date', source: 'source_system', segments: ['region'], excluded: [] },
  context: { decision: '', task: 'binary', targetDefinition: '', positiveClass: 'Yes', predictionPoint: '', asOf: ds.planted.asOf },
});
console.log('ms', Math.round(performance.now() - t0));
for (const f of findings) console.log(f.severity.padEnd(7), f.id.padEnd(55), f.title, f.severity==='info' && f.id.endsWith('error') ? JSON.stringify(f.evidence) : '');
console.log(verdictFor(findings, []).status);
await conn.close();
