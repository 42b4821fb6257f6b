import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply } from 'fastify';

type Encoding = 'br' | 'gzip';

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
  private readonly encoded = new Map<Encoding, Buffer>();

  constructor(readonly text: string) {}

  send(reply: FastifyReply, acceptEncoding: string | undefined): FastifyReply {
    reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
    const encoding = preferredEncoding(acceptEncoding);
    if (!encoding) return reply.send(this.text);
    return reply.header('content-encoding', encoding).send(this.bytes(encoding));
  }

  private bytes(encoding: Encoding): Buffer {
    let bytes = this.encoded.get(encoding);
    if (!bytes) {
      bytes =
        encoding === 'br'
          ? brotliCompressSync(this.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
          : gzipSync(this.text);
      this.encoded.set(encoding, bytes);
    }
    return bytes;
  }
}
