/** Regenerates schema/audit.schema.json from the zod schema. A unit test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { auditJsonSchema } from '../src/lib/core/model/json-schema';
import { metricPlanJsonSchema } from '../src/lib/core/model/plan';

writeFileSync(
  new URL('../schema/audit.schema.json', import.meta.url),
  `${JSON.stringify(auditJsonSchema(), null, 2)}\n`,
);
console.log('wrote schema/audit.schema.json');
writeFileSync(
  new URL('../schema/metric-plan.schema.json', import.meta.url),
  `${JSON.stringify(metricPlanJsonSchema(), null, 2)}\n`,
);
console.log('wrote schema/metric-plan.schema.json');
