import { eventually } from './support/eventually.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const ADMIN = 'sb_structured-logs-admin-token-never-logged';

/**
 * The compiled service's log as an operator's log shipper reads it: one JSON object per line,
 * a line per request with its request id, route, status, duration and principal, and never a
 * token, whether accepted, refused or just created.
 */
describe('structured logs', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = spawnServer({ DATABASE_URL: db.url, PORT: '0', SWITCHBOARD_ADMIN_TOKEN: ADMIN, SWITCHBOARD_LOG_FORMAT: 'json' });
    base = (await server.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited();
    await db.drop();
  });

  const lines = () =>
    server
      .output()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes JSON lines, one per request with request id, route, status, duration and principal, and no token', async () => {
    const created = await fetch(`${base}/api/auth/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': 'log-create-token' },
      body: JSON.stringify({ name: 'log-reader', role: 'viewer' }),
    });
    const secret = ((await created.json()) as { token: string }).token;
    const read = await fetch(`${base}/api/config/profiles`, { headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'log-read-1' } });
    expect(read.status).toBe(200);
    const refused = await fetch(`${base}/api/config/profiles`, { headers: { authorization: 'Bearer sb_a-token-nobody-issued-xxxxxxxx' } });
    expect(refused.status).toBe(401);
    const problem = (await refused.json()) as { request_id: string };
    expect(problem.request_id).toBe(refused.headers.get('x-request-id'));

    await eventually(async () => expect(lines().some((line) => line.req_id === problem.request_id)).toBe(true));
    const entries = lines(); // every line parsed as JSON, or this throws
    expect(entries.find((line) => line.req_id === 'log-read-1')).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      route: '/api/config/profiles',
      status: 200,
      duration_ms: expect.any(Number),
      principal: 'log-reader',
    });
    expect(entries.find((line) => line.req_id === problem.request_id)).toMatchObject({ status: 401, principal: null });
    expect(entries.find((line) => line.req_id === 'log-create-token')).toMatchObject({ method: 'POST', route: '/api/auth/tokens', status: 201, principal: 'environment-admin' });
    const output = server.output();
    for (const token of [ADMIN, secret, 'sb_a-token-nobody-issued-xxxxxxxx']) expect(output).not.toContain(token);
    // Nest's start-up listing of routes is debug, not info.
    expect(entries.some((line) => line.context === 'RouterExplorer')).toBe(false);
  });
});

