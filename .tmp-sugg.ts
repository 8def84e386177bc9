import { readFileSync } from 'node:fs';
import { roleStatsFromProfile, suggestRoles } from '/work/main/src/lib/core/readiness/roles';
const d = JSON.parse(readFileSync('/tmp/demo.audit.json', 'utf8'));
const ds = d.datasets[0];
console.log(JSON.stringify(suggestRoles(ds.columns, roleStatsFromProfile(d.profiles[ds.id])), null, 1));
