import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The root package.json, found by walking up from this file: the same code runs from
 * server/src (tests) and from dist/server/src (compiled), one level deeper.
 */
export function readPackageInfo(from = import.meta.dirname): { name: string; version: string } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const info = JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string };
      if (info.name === 'switchboard') return info;
    }
    if (path.dirname(dir) === dir) throw new Error(`package.json of switchboard not found above ${from}`);
  }
}
