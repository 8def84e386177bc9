import { engine, loadFile, VEGA } from './tests/support/engine';
import { join } from 'node:path';
import { runReadiness } from './src/lib/engine/run-readiness';
import { suggestRolesFor } from './src/lib/engine/run-readiness';
const conn = await engine();
const cases: [string, any, any][] = [
 ['penguins.json', { target: 'Species', segments: ['Island'], excluded: [] }, { task: 'multiclass' }],
 ['penguins.json', { target: 'Sex', segments: [], excluded: [] }, { task: 'binary', positiveClass: 'FEMALE' }],
 ['movies.json', { target: 'US Gross', eventTime: 'Release Date', segments: [], excluded: [] }, { task: 'regression' }],
 ['movies.json', { target: 'Major Genre', eventTime: 'Release Date', segments: [], excluded: ['Title'] }, { task: 'multiclass' }],
 ['seattle-weather.csv', { target: 'weather', eventTime: 'date', segments: [], excluded: [] }, { task: 'multiclass' }],
];
const loaded: Record<string, any> = {};
for (const [file, roles, ctx] of cases) {
  loaded[file] ??= await loadFile(conn, join(VEGA, file));
  const d = loaded[file];
  const sug = await suggestRolesFor(conn, { tableName: d.tableName, columns: d.columns });
  console.log('\n=====', file, JSON.stringify(roles), '\nsuggested', JSON.stringify(sug.roles));
  const findings = await runReadiness(conn, { tableName: d.tableName, datasetId: file, columns: d.columns, roles, context: { decision: '', targetDefinition: '', positiveClass: '', predictionPoint: '', asOf: '2026-11-25', ...ctx } });
  for (const f of findings) console.log(f.severity.padEnd(7), f.id.padEnd(50), f.title, f.id.endsWith(':error') ? JSON.stringify(f.evidence) : '');
}
await conn.close();
