import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** The codings a client accepts (RFC 9110 12.5.3), br preferred; none: send it as it is. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
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

  /** The bytes to send to a client that sent this Accept-Encoding, and their coding (none: as they are). */
  encodedFor(acceptEncoding: string | undefined): { encoding: Encoding | undefined; bytes: Buffer } {
    const encoding = preferredEncoding(acceptEncoding);
    return { encoding, bytes: this.bytes(encoding ?? 'identity') };
  }

  private bytes(encoding: Encoding | 'identity'): Buffer {
    let bytes = this.encoded.get(encoding);
    if (!bytes) {
      bytes =
        encoding === 'br'
          ? brotliCompressSync(this.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
          : encoding === 'gzip'
            ? gzipSync(this.text)
            : Buffer.from(this.text);
      this.encoded.set(encoding, bytes);
    }
    return bytes;
  }
}
