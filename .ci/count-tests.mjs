// Reads a test runner's output and prints "<passed> <failed>" for .ci/run's total.
// Usage: node .ci/count-tests.mjs <jest|vitest|playwright|check> <log file> <exit status>
import { readFileSync } from 'node:fs';

const [kind, file, statusText] = process.argv.slice(2);
const status = Number(statusText);
const text = readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');

function lastMatch(pattern) {
  const matches = [...text.matchAll(pattern)];
  return matches.length ? matches[matches.length - 1] : undefined;
}

function count(line, word) {
  const match = line?.match(new RegExp(`(\\d+) ${word}`));
  return match ? Number(match[1]) : 0;
}

let passed = 0;
let failed = 0;
if (kind === 'jest') {
  const line = lastMatch(/^Tests:.*$/gm)?.[0];
  passed = count(line, 'passed');
  failed = count(line, 'failed');
} else if (kind === 'vitest') {
  const line = lastMatch(/^\s*Tests\s+.*\(\d+\)\s*$/gm)?.[0];
  passed = count(line, 'passed');
  failed = count(line, 'failed');
} else if (kind === 'playwright') {
  passed = count(lastMatch(/^\s+\d+ passed.*$/gm)?.[0], 'passed');
  failed = count(lastMatch(/^\s+\d+ failed.*$/gm)?.[0], 'failed') + count(lastMatch(/^\s+\d+ flaky.*$/gm)?.[0], 'flaky');
} else if (status === 0) {
  passed = 0; // a check that passed adds no test
}

// A step that failed without a counted failure (a crash, a type error, a failed check) counts once.
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} ${failed}`);
