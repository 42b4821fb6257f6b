// Generates the console's HTTP client (admin-console/src/app/api/) from openapi.json with
// ng-openapi-gen. `--check` generates into a temporary folder instead and fails when the
// committed client differs, so CI notices a client older than the contract.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = 'admin-console/ng-openapi-gen.json';
const committed = join(root, 'admin-console/src/app/api');
const check = process.argv.includes('--check');

function generate(output) {
  const bin = join(root, 'node_modules/.bin/ng-openapi-gen');
  const result = spawnSync(bin, ['-c', config, '-o', output], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

if (!check) {
  generate(committed);
  console.log(`api-client: generated ${relative(root, committed)} from openapi.json`);
} else {
  const fresh = mkdtempSync(join(tmpdir(), 'sb-api-client-'));
  try {
    generate(fresh);
    const want = files(fresh);
    const have = files(committed);
    const stale = [
      ...want.filter((f) => !have.includes(f) || readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8')),
      ...have.filter((f) => !want.includes(f)),
    ];
    if (stale.length) {
      console.error(`api-client: the committed client is stale (${stale.length} file(s) differ: ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}).`);
      console.error('Run `npm run console:client` and commit the result.');
      process.exit(1);
    }
    console.log(`api-client: admin-console/src/app/api matches openapi.json (${want.length} files)`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}
