// Fails the console build when its initial JavaScript — what index.html loads before the first
// screen, scripts and module preloads — exceeds 400 kB gzipped. Angular's budgets (angular.json)
// measure raw bytes only; this measures what the issue limits. Monaco is not part of it: it is
// copied to assets/monaco and loaded by the Prompts tab alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT = 400 * 1000;
const dir = fileURLToPath(new URL('../../dist/admin-console/browser', import.meta.url));
const html = readFileSync(join(dir, 'index.html'), 'utf8');
// The entry scripts, then every file they import statically (import … from "./x.js"), transitively;
// dynamic import("./x.js") is a lazy chunk and does not count.
const files = new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]));
for (const file of files) {
  const code = readFileSync(join(dir, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) files.add(m[1]);
}
let raw = 0;
let gzipped = 0;
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(`initial JavaScript: ${files.size} files, ${kB(raw)} raw, ${kB(gzipped)} gzipped (limit ${kB(LIMIT)} gzipped, Monaco excluded)`);
if (files.size === 0) {
  console.error('check-bundle-size: index.html references no script: is this the built console?');
  process.exit(1);
}
if (gzipped > LIMIT) {
  console.error(`check-bundle-size: the initial JavaScript is ${kB(gzipped - LIMIT)} over the budget.`);
  process.exit(1);
}
