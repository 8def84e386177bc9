import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root, with a trailing slash. Engine-free, so pure unit tests can read fixture files. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VEGA = join(ROOT, 'node_modules/vega-datasets/data');
export const FIXTURES = join(ROOT, 'tests/fixtures');
