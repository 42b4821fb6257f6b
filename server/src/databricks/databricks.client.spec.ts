import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabricksClient } from './databricks.client.js';
import type { DatabricksConfig } from './databricks.config.js';
import { DatabricksNotConfiguredError, DatabricksTimeoutError, DatabricksUpstreamError } from './databricks.errors.js';

const TOKEN = 'dapi0123456789abcdef-secret';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A stand-in workspace on 127.0.0.1 speaking the documented shapes; each test sets `handler`. */
let server: Server;
let host: string;
let handler: Handler;
let received: { url: string; authorization?: string }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  handler = (_req, res) => json(res, 500, { error_code: 'UNEXPECTED', message: 'no handler set' });
});

function client(overrides: Partial<DatabricksConfig> = {}): DatabricksClient {
  return new DatabricksClient({ host, token: TOKEN, timeoutMs: 2000, fallbackEndpoints: [], ...overrides });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function answer(status: number, body: unknown): void {
  handler = (_req, res) => json(res, status, body);
}

/** The rejection, checked for its class and HTTP status and for carrying no credential. */
async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E, status: number): Promise<E> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as { status: number }).status).toBe(status);
  const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('Bearer');
  return error as E;
}

describe('DatabricksClient.listServingEndpoints', () => {
  it('lists the workspace endpoints, databricks- first, each group alphabetical, without duplicates', async () => {
    answer(200, {
      endpoints: [
        { name: 'zeta-agent', state: { ready: 'READY', config_update: 'NOT_UPDATING' } },
        { name: 'databricks-meta-llama-3-3-70b-instruct', state: { ready: 'READY' } },
        { name: 'alpha-chat', state: { ready: 'NOT_READY', config_update: 'IN_PROGRESS' } },
        { name: 'databricks-claude-sonnet-4-5', state: { ready: 'READY' } },
        { name: 'alpha-chat', state: { ready: 'READY' } },
      ],
    });
    await expect(client().listServingEndpoints()).resolves.toEqual({
      endpoints: ['databricks-claude-sonnet-4-5', 'databricks-meta-llama-3-3-70b-instruct', 'alpha-chat', 'zeta-agent'],
      source: 'workspace',
    });
    expect(received).toEqual([{ url: '/api/2.0/serving-endpoints', authorization: `Bearer ${TOKEN}` }]);
  });

  it('returns an empty list for a workspace without endpoints (no "endpoints" key)', async () => {
    answer(200, {});
    await expect(client().listServingEndpoints()).resolves.toEqual({ endpoints: [], source: 'workspace' });
  });

  it('says so when it falls back, sorting the configured list, and calls nobody', async () => {
    const unconfigured = client({
      token: undefined,
      fallbackEndpoints: ['my-endpoint', 'databricks-gpt-oss-120b', 'databricks-claude-3-7-sonnet'],
    });
    expect(unconfigured.isConfigured()).toBe(false);
    await expect(unconfigured.listServingEndpoints()).resolves.toEqual({
      endpoints: ['databricks-claude-3-7-sonnet', 'databricks-gpt-oss-120b', 'my-endpoint'],
      source: 'fallback',
    });
    expect(received).toEqual([]);
  });

  it('reports a rejected token as 502 without revealing it', async () => {
    answer(401, { error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.message).toContain('Databricks rejected the configured token (HTTP 401)');
    expect(error.upstreamStatus).toBe(401);
    expect(error.slug).toBe('databricks-upstream-error');
  });

  it('reports 403 the same way', async () => {
    answer(403, { error_code: 'PERMISSION_DENIED', message: 'nope' });
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.message).toContain('(HTTP 403)');
  });

  it('reports a Databricks 500 as 502, naming its status and error code', async () => {
    answer(500, { error_code: 'INTERNAL_ERROR', message: 'boom' });
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.message).toBe('Databricks answered HTTP 500 INTERNAL_ERROR while listing serving endpoints.');
    expect(error.upstreamStatus).toBe(500);
  });

  it('reports a body that is not JSON as malformed', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.message).toMatch(/malformed response while listing serving endpoints: the body is not JSON/);
  });

  it.each([
    ['a list instead of an object', []],
    ['"endpoints" that is not a list', { endpoints: 'databricks-x' }],
    ['an endpoint without a name', { endpoints: [{ state: { ready: 'READY' } }] }],
  ])('reports %s as malformed', async (_what, body) => {
    answer(200, body);
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.message).toContain('malformed response');
  });

  it('gives up after timeoutMs on a server that never answers (504)', async () => {
    handler = () => undefined;
    const started = Date.now();
    const error = await rejection(client({ timeoutMs: 200 }).listServingEndpoints(), DatabricksTimeoutError, 504);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.slug).toBe('databricks-timeout');
    expect(error.message).toBe('Databricks did not answer within 200 ms while listing serving endpoints.');
  });

  it('reports a refused connection as 502', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(
      client({ host: `http://127.0.0.1:${port}` }).listServingEndpoints(),
      DatabricksUpstreamError,
      502,
    );
    expect(error.message).toBe(
      `Could not reach Databricks at http://127.0.0.1:${port} while listing serving endpoints (ECONNREFUSED).`,
    );
  });

  it('does not follow a redirect, which would carry the token elsewhere', async () => {
    handler = (_req, res) => res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
    const error = await rejection(client().listServingEndpoints(), DatabricksUpstreamError, 502);
    expect(error.upstreamStatus).toBe(302);
  });
});

describe('DatabricksClient.getGenieSpace', () => {
  it('returns the space, asking for the encoded id', async () => {
    answer(200, {
      space_id: '01effebcc2781b6bbb749077a55d31e3',
      title: 'Databricks Usage Analytics',
      description: 'Databricks usage data space',
      warehouse_id: 'abc123',
    });
    await expect(client().getGenieSpace('01effebcc2781b6bbb749077a55d31e3')).resolves.toEqual({
      space_id: '01effebcc2781b6bbb749077a55d31e3',
      title: 'Databricks Usage Analytics',
      description: 'Databricks usage data space',
    });
    await client().getGenieSpace('a/b?c');
    expect(received.map((r) => r.url)).toEqual([
      '/api/2.0/genie/spaces/01effebcc2781b6bbb749077a55d31e3',
      '/api/2.0/genie/spaces/a%2Fb%3Fc',
    ]);
    expect(received[0].authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('leaves out a missing description', async () => {
    answer(200, { space_id: 's1', title: 'T' });
    await expect(client().getGenieSpace('s1')).resolves.toEqual({ space_id: 's1', title: 'T' });
  });

  it('returns null for 404', async () => {
    answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No space' });
    await expect(client().getGenieSpace('missing')).resolves.toBeNull();
  });

  it('reports a space without a title as malformed', async () => {
    answer(200, { space_id: 's1' });
    const error = await rejection(client().getGenieSpace('s1'), DatabricksUpstreamError, 502);
    expect(error.message).toContain('malformed response while reading Genie space s1');
  });

  it('refuses to run unconfigured (503), naming both variables', async () => {
    const error = await rejection(client({ host: undefined }).getGenieSpace('s1'), DatabricksNotConfiguredError, 503);
    expect(error.slug).toBe('databricks-not-configured');
    expect(error.message).toBe(
      'Databricks is not configured: set DATABRICKS_HOST and DATABRICKS_TOKEN (missing: DATABRICKS_HOST).',
    );
    expect(received).toEqual([]);
  });
});

describe('DatabricksClient.getExperimentByName', () => {
  const name = '/Workspace/Users/jane@example.com/ai-slide-generator';

  it('returns the experiment, passing the name as a query parameter', async () => {
    answer(200, {
      experiment: { experiment_id: '1234567890', name, artifact_location: 'dbfs:/x', lifecycle_stage: 'active' },
    });
    await expect(client().getExperimentByName(name)).resolves.toEqual({ experiment_id: '1234567890', name });
    const url = new URL(received[0].url, host);
    expect(url.pathname).toBe('/api/2.0/mlflow/experiments/get-by-name');
    expect(url.searchParams.get('experiment_name')).toBe(name);
    expect(received[0].authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('returns null for 404 RESOURCE_DOES_NOT_EXIST', async () => {
    answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Could not find experiment with name ${name}` });
    await expect(client().getExperimentByName(name)).resolves.toBeNull();
  });

  it('reports an answer without "experiment" as malformed', async () => {
    answer(200, { experiments: [] });
    const error = await rejection(client().getExperimentByName(name), DatabricksUpstreamError, 502);
    expect(error.message).toContain('malformed response');
  });

  it('reports another 4xx as 502 with its status', async () => {
    answer(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad name' });
    const error = await rejection(client().getExperimentByName(name), DatabricksUpstreamError, 502);
    expect(error.upstreamStatus).toBe(400);
    expect(error.message).toContain('HTTP 400 INVALID_PARAMETER_VALUE');
  });

  it('refuses to run unconfigured (503)', async () => {
    await rejection(client({ token: undefined }).getExperimentByName(name), DatabricksNotConfiguredError, 503);
  });
});
