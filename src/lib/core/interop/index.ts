import type { CheckSpec, InteropFile } from './spec';
import { writeOdcs } from './odcs';
import { writeDbt } from './dbt';
import { writeGx } from './gx';
import { writeSoda } from './soda';
import { writeCroissant } from './croissant';
import { writeCard } from './card';

export * from './spec';
export { deriveCheckSpec } from './derive';
export { writeOdcs, writeDbt, writeGx, writeSoda, writeCroissant, writeCard };

/**
 * Every check export of one spec, in the order the deliverable lists them:
 * the ODCS contract, the dbt models file and its singular tests, the Great
 * Expectations suites, the Soda contracts, the Croissant metadata and the
 * dataset card. Paths are relative to the export folder.
 */
export function checkExportFiles(spec: CheckSpec): InteropFile[] {
  return [
    writeOdcs(spec),
    ...writeDbt(spec),
    ...writeGx(spec),
    ...writeSoda(spec),
    writeCroissant(spec),
    writeCard(spec),
  ];
}
