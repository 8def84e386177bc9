/**
 * The longest functions under a folder (default `src/lib`), by lines from
 * signature to closing brace, for the architecture review: `npm run longest`
 * (`-- <folder> <count>`). Svelte components are read through their
 * `<script>` blocks.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

interface FunctionLength {
  file: string;
  name: string;
  lines: number;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The script of a component, with blank lines in place of the markup so line numbers hold. */
function scriptOf(path: string, text: string): string {
  if (!path.endsWith('.svelte')) return text;
  return text.replace(/<script[^>]*>([\s\S]*?)<\/script>|[^\n]/g, (whole, script?: string) =>
    script !== undefined ? ' '.repeat(whole.indexOf('>') + 1) + script : whole === '\n' ? '\n' : ' ',
  );
}

function lengthsIn(path: string, root: string): FunctionLength[] {
  const text = scriptOf(path, readFileSync(path, 'utf8'));
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = node as ts.Node & { name?: ts.Node };
      const name = named.name ? named.name.getText() : ts.isArrowFunction(node) ? '(arrow)' : '(anonymous)';
      found.push({ file: relative(root, path), name, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const [folder = 'src/lib', count = '10'] = process.argv.slice(2);
const root = process.cwd();
const all = filesUnder(join(root, folder)).flatMap((path) => lengthsIn(path, root));
all.sort((a, b) => b.lines - a.lines);
for (const f of all.slice(0, Number(count)))
  console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.file}`);
