import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * RFC 8288 Link header for offset paging (`first`, `prev`, `next`, `last`), keeping the other
 * query parameters of the request; undefined when everything fits on one page.
 */
export function pageLinks(requestUrl: string, total: number, limit: number, offset: number): string | undefined {
  if (total <= limit && offset === 0) return undefined;
  const url = new URL(requestUrl, 'http://relative');
  const at = (rel: string, pageOffset: number) => {
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('offset', String(pageOffset));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const lastOffset = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const links = [at('first', 0)];
  if (offset > 0) links.push(at('prev', Math.max(0, offset - limit)));
  if (offset + limit < total) links.push(at('next', offset + limit));
  links.push(at('last', lastOffset));
  return links.join(', ');
}

/** The paging headers of a list answer: the total in X-Total-Count, the pages in Link. */
export function setPageHeaders(request: FastifyRequest, reply: FastifyReply, page: { total: number; limit: number; offset: number }): void {
  reply.header('x-total-count', String(page.total));
  const links = pageLinks(request.url, page.total, page.limit, page.offset);
  if (links) reply.header('link', links);
}
