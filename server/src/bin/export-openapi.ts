import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildOpenApiDocument, createApp } from '../app.factory.js';

/**
 * Writes openapi.json in the working directory (npm runs scripts at the repository root) from the compiled app, without a database (Nest's
 * preview mode builds the module graph without instantiating providers). `--check` fails instead
 * of writing when the committed file differs: CI's staleness gate.
 */
async function main(): Promise<void> {
  const target = path.resolve(process.cwd(), 'openapi.json');
  const app = await createApp({ databaseUrl: 'postgres://unused/openapi-export', preview: true, logger: ['error'] });
  const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();

  if (process.argv.includes('--check')) {
    const committed = await readOrEmpty(target);
    if (committed !== document) {
      console.error('openapi.json is stale: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
    console.log(`openapi.json is up to date (${Object.keys(JSON.parse(document).paths).length} paths)`);
    return;
  }
  await writeFile(target, document);
  console.log(`wrote ${target} (${Object.keys(JSON.parse(document).paths).length} paths)`);
}

function readOrEmpty(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
