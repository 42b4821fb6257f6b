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
