import http from 'node:http';
import { ResolvedController } from '../src/reload/resolved.controller.js';
import { eventually } from './support/eventually.js';
import { useAppWithDatabase } from './support/test-app.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The answer as it went over the wire: compressed bodies are not decoded, headers are all kept. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${path}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** What must not differ between the two paths: everything but the time and the request id. */
function comparable({ status, headers, body }: RawAnswer): unknown {
  const { date: _date, 'x-request-id': requestId, ...rest } = headers;
  expect(requestId).toMatch(/^[\w.:-]{1,100}$/);
  return { status, headers: rest, body: body.toString('base64') };
}

/**
 * `GET /api/config/resolved` is answered before Fastify when the token and the configuration are
 * both in memory (resolved-front-door.ts); everything else goes through the controller. Both give
 * the same answer, byte for byte.
 */
describe('resolved: the front door', () => {
  const ctx = useAppWithDatabase();
  let agentToken: string;
  /** How many requests the controller answered since the test last set it to 0. */
  let controllerCalls = 0;

  beforeAll(async () => {
    agentToken = (await ctx.server.api().post('/api/auth/tokens').send({ name: 'front-door-agent', role: 'agent' }).expect(201)).body.token;
    const controller = ctx.server.app.get(ResolvedController);
    const answer = controller.getResolvedConfig.bind(controller);
    controller.getResolvedConfig = (...args) => {
      controllerCalls++;
      return answer(...args);
    };
  });

  const path = () => `/api/config/resolved?profile_id=${ctx.defaultProfileId}`;
  const asAgent = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${agentToken}`, ...extra });

  it.each([
    ['uncompressed', {}],
    ['gzip', { 'accept-encoding': 'gzip' }],
    ['br', { 'accept-encoding': 'gzip, br' }],
  ])('answers a %s 200 from memory exactly as the controller does', async (_name, extra) => {
    // An Origin header sends the request the long way (CORS is Fastify's); none is configured here.
    const throughController = await rawGet(ctx.server.baseUrl, path(), asAgent({ ...extra, origin: 'http://elsewhere.test' }));
    controllerCalls = 0;
    const fromMemory = await rawGet(ctx.server.baseUrl, path(), asAgent(extra));
    expect(controllerCalls).toBe(0);
    expect(throughController.status).toBe(200);
    expect(comparable(fromMemory)).toEqual(comparable(throughController));
    expect(fromMemory.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers 304 from memory exactly as the controller does, without a body or a length', async () => {
    const { headers } = await rawGet(ctx.server.baseUrl, path(), asAgent());
    const conditional = asAgent({ 'if-none-match': String(headers.etag) });
    const throughController = await rawGet(ctx.server.baseUrl, path(), { ...conditional, origin: 'http://elsewhere.test' });
    controllerCalls = 0;
    const fromMemory = await rawGet(ctx.server.baseUrl, path(), conditional);
    expect(controllerCalls).toBe(0);
    expect(fromMemory.status).toBe(304);
    expect(fromMemory.body.length).toBe(0);
    expect(fromMemory.headers['content-length']).toBeUndefined();
    expect(comparable(fromMemory)).toEqual(comparable(throughController));
  });

  it('keeps the caller’s request id and counts the request in the metrics', async () => {
    const counted = async () => {
      const text = (await ctx.server.api().get('/metrics').expect(200)).text;
      const line = text.split('\n').find((l) => l.startsWith('switchboard_http_requests_total{method="GET",route="/api/config/resolved",status="200"}'));
      return Number(line?.split(' ').pop() ?? 0);
    };
    await rawGet(ctx.server.baseUrl, path(), asAgent());
    const before = await counted();
    controllerCalls = 0;
    const answer = await rawGet(ctx.server.baseUrl, path(), asAgent({ 'x-request-id': 'agent-7.poll:42' }));
    expect(controllerCalls).toBe(0);
    expect(answer.headers['x-request-id']).toBe('agent-7.poll:42');
    expect(await counted()).toBe(before + 1);
  });

  it('serves the default profile and a session’s profile from memory once they are known', async () => {
    const session = (await ctx.server.api().post(`/api/config/profiles/${ctx.defaultProfileId}/load`).send({}).expect(200)).body.session_id as string;
    for (const query of ['', `?session_id=${session}`]) {
      // The load's own notification may still be on its way and refresh the entry once more:
      // "once known" is after that, so the pair of reads is tried again until it has passed.
      await eventually(async () => {
        const first = await rawGet(ctx.server.baseUrl, `/api/config/resolved${query}`, asAgent());
        controllerCalls = 0;
        const again = await rawGet(ctx.server.baseUrl, `/api/config/resolved${query}`, asAgent());
        expect(controllerCalls).toBe(0);
        expect(comparable(again)).toEqual(comparable(first));
      });
    }
  });

  it.each([
    ['an unknown token', `?profile_id=1`, { authorization: 'Bearer sb_not-a-token-anyone-made' }, 401],
    ['no credentials', `?profile_id=1`, {}, 401],
    ['an unknown parameter', `?profile_id=1&debug=1`, null, 400],
    ['both targets', `?profile_id=1&session_id=6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c`, null, 400],
    ['profile_id 0', `?profile_id=0`, null, 422],
    ['a profile that does not exist', `?profile_id=999999`, null, 404],
    ['a session that does not exist', `?session_id=6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c`, null, 404],
  ])('leaves %s to the controller, which refuses it with problem+json', async (_name, query, headers, status) => {
    const answer = await rawGet(ctx.server.baseUrl, `/api/config/resolved${query}`, headers ?? asAgent());
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.body.toString()).status).toBe(status);
  });

  it('serves a change at once: the write marks the cached answer old, and the next read goes the long way', async () => {
    await rawGet(ctx.server.baseUrl, path(), asAgent());
    await ctx.server.api().put(`/api/config/ai-infra/${ctx.defaultProfileId}`).send({ llm_max_tokens: 4321 }).expect(200);
    const answer = await rawGet(ctx.server.baseUrl, path(), asAgent());
    expect(JSON.parse(answer.body.toString()).ai_infra.llm_max_tokens).toBe(4321);
  });
});
