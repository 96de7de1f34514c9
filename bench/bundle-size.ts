/**
 * Bundle budget of the web app (issue 15): the JavaScript a page loads, gzipped, from the Vite
 * manifest of apps/web/dist (run `pnpm build` first). Exits 1 when a budget is exceeded.
 *
 *   pnpm bench:bundle [distDir]
 *
 * - login: the entry chunk and the sign-in route's chunk, with their static imports;
 * - agreement (initial): the entry and the agreement page's chunk with their static imports —
 *   what runs before the page shows the document (sections as text, side panel, validation);
 * - agreement (editable): plus the editor chunk (Tiptap/ProseMirror) and the features' editor parts,
 *   requested as soon as the page renders (reported, not budgeted).
 * A dist without a manifest (a build before code splitting) counts every script as one bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const BUDGET_KB = { login: 120, agreement: 300 };

interface Chunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(root, 'apps/web/dist'));
const gzipKb = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;

function report(rows: Array<[string, number, number | null]>): boolean {
  let ok = true;
  for (const [name, kb, budget] of rows) {
    const over = budget !== null && kb > budget;
    if (over) ok = false;
    console.log(`${name.padEnd(24)} ${kb.toFixed(1).padStart(7)} KB gzipped${budget === null ? '' : `  (budget ${budget} KB${over ? ', OVER' : ''})`}`);
  }
  return ok;
}

const manifestPath = path.join(dist, '.vite', 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  const scripts = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  const kb = scripts.reduce((sum, f) => sum + gzipKb(path.join('assets', f)), 0);
  console.log(`(no manifest: ${scripts.length} script(s), every page loads all of them)`);
  process.exit(report([['login', kb, BUDGET_KB.login], ['agreement (initial)', kb, BUDGET_KB.agreement]]) ? 0 : 1);
}

const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
/** A module's manifest key: its source path, or (when also imported statically) its shared chunk `_Name-hash.js`. */
function keyOf(source: string): string {
  if (manifest[source]) return source;
  const base = path.basename(source).replace(/\.[tj]sx?$/, '');
  const shared = Object.keys(manifest).find((k) => k.startsWith(`_${base}-`));
  if (!shared) throw new Error(`${source} is not in the manifest (renamed?): update bench/bundle-size.ts`);
  return shared;
}
function closure(sources: string[], seen = new Set<string>()): Set<string> {
  for (const k of sources.map(keyOf)) {
    const c = manifest[k]!;
    if (seen.has(k)) continue;
    seen.add(k);
    closure(c.imports ?? [], seen);
  }
  return seen;
}
const size = (keys: Set<string>) => [...new Set([...keys].map((k) => manifest[k]!.file))].reduce((sum, f) => sum + gzipKb(f), 0);

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
if (!entry) throw new Error('no entry chunk in the manifest');
const login = closure([entry, 'src/pages/AuthPages.tsx']);
const agreement = closure([entry, 'src/agreement/AgreementPage.tsx']);
const editor = closure(['src/agreement/SectionEditor.tsx', 'src/features/comments/editor-parts.ts'], new Set(agreement));

const ok = report([
  ['login', size(login), BUDGET_KB.login],
  ['agreement (initial)', size(agreement), BUDGET_KB.agreement],
  ['agreement (editable)', size(editor), null],
]);
process.exit(ok ? 0 : 1);
