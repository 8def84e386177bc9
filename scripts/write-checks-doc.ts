/** Rewrites the README's list of readiness checks and thresholds from the code. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withChecksBlock } from './lib/checks-doc';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withChecksBlock(readFileSync(path, 'utf8')));
