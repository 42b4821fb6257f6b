import { preferredEncoding } from '../common/http/encoded-json.js';
import { noneMatch } from '../common/http/etag.js';
import type { Resolved } from './resolved-config.service.js';

/** What `GET /api/config/resolved` answers, whichever path serves it (the controller or the front door). */
export interface ResolvedAnswer {
  status: 200 | 304;
  /** The same frozen object for every answer of one status and coding of one configuration. */
  headers: Readonly<Record<string, string>>;
  /** The body of a 200, encoded as the client accepts. */
  bytes?: Buffer;
}

/** Per configuration and coding (none: ''), the headers of its 200 and of its 304. */
const answerHeaders = new WeakMap<Resolved, Map<string, { 200?: Readonly<Record<string, string>>; 304?: Readonly<Record<string, string>> }>>();

export function answerResolved(resolved: Resolved, ifNoneMatch: string | undefined, acceptEncoding: string | undefined): ResolvedAnswer {
  const encoding = preferredEncoding(acceptEncoding);
  const status = noneMatch(ifNoneMatch, resolved.etag) ? 304 : 200;
  let known = answerHeaders.get(resolved);
  if (!known) answerHeaders.set(resolved, (known = new Map()));
  let byStatus = known.get(encoding ?? '');
  if (!byStatus) known.set(encoding ?? '', (byStatus = {}));
  const headers = (byStatus[status] ??= headersOf(resolved, status, encoding));
  return status === 304 ? { status, headers } : { status, headers, bytes: resolved.json.bytes(encoding) };
}

function headersOf({ etag, body }: Resolved, status: 200 | 304, encoding: string | undefined): Readonly<Record<string, string>> {
  return Object.freeze({
    // A strong validator names one exact sequence of bytes: the compressed forms share it only weakly.
    etag: encoding ? `W/${etag}` : etag,
    'cache-control': 'no-cache',
    'x-config-stale': String(body.stale),
    vary: 'accept-encoding',
    ...(status === 200 && { 'content-type': 'application/json; charset=utf-8' }),
    ...(status === 200 && encoding && { 'content-encoding': encoding }),
  });
}
