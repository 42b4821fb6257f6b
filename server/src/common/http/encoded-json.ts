import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Clients send a handful of distinct Accept-Encoding values, again and again: each is parsed once. */
const preferredByHeader = new Map<string, Encoding | undefined>();
const MAX_REMEMBERED_HEADERS = 64;

/** The codings a client accepts (RFC 9110 12.5.3), br preferred; none: send it as it is. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  if (preferredByHeader.has(acceptEncoding)) return preferredByHeader.get(acceptEncoding);
  const preferred = parsePreferredEncoding(acceptEncoding);
  if (preferredByHeader.size < MAX_REMEMBERED_HEADERS) preferredByHeader.set(acceptEncoding, preferred);
  return preferred;
}

function parsePreferredEncoding(acceptEncoding: string): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) accepted.add(name!.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

/**
 * A JSON body that is served many times unchanged (a resolved configuration): serialised once,
 * compressed once per coding on first demand, instead of on every request.
 */
export class EncodedJson {
  private readonly encoded = new Map<Encoding | 'identity', Buffer>();

  constructor(readonly text: string) {}

  /** The body in this coding (none: as it is), made on first demand. */
  bytes(encoding: Encoding | undefined): Buffer {
    const key = encoding ?? 'identity';
    let bytes = this.encoded.get(key);
    if (!bytes) {
      bytes =
        encoding === 'br'
          ? brotliCompressSync(this.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
          : encoding === 'gzip'
            ? gzipSync(this.text)
            : Buffer.from(this.text);
      this.encoded.set(key, bytes);
    }
    return bytes;
  }
}
