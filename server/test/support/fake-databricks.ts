import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRoute = (request: http.IncomingMessage) => { status: number; body: unknown } | 'hang';

/**
 * A local stand-in for a Databricks workspace (127.0.0.1 only) that answers with the documented
 * response shapes; `routes` maps "GET /api/2.0/..." (path without query) to a handler.
 */
export async function startFakeDatabricks(routes: Record<string, FakeRoute>) {
  const requests: { method?: string; url?: string; authorization?: string }[] = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    const route = routes[`${request.method} ${request.url?.split('?')[0]}`];
    const answer = route ? route(request) : { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } };
    if (answer === 'hang') return;
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
