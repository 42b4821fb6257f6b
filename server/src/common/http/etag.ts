import { PreconditionFailedError } from '../errors/domain-errors.js';

/** A row's version as an ETag: `"v3"`. */
export function versionEtag(version: number): string {
  return `"v${version}"`;
}

/**
 * The version an If-Match header demands: undefined when absent or `*` (no precondition).
 * A header that names no version of ours can never match: 412.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"v(\d+)"\s*$/.exec(ifMatch);
  if (!match) throw new PreconditionFailedError(`If-Match ${ifMatch} is not a version of this resource (expected e.g. "v3").`);
  return Number(match[1]);
}

/** If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not matter; `*` matches anything. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true; // what clients send back, every time
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export function assertVersion(what: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new PreconditionFailedError(
      `${what} has changed since you read it (you sent version ${expected}, it is now ${current}); reload and apply your change again.`,
    );
  }
}
