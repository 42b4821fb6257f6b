import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

describe('GET /metrics', () => {
  let db: TestDatabase;
  let guarded: TestApp;
  let open: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    guarded = await startTestApp(db.url);
    open = await startTestApp(db.url, { auth: { publicMetrics: true } });
  });
  afterAll(async () => {
    await guarded.close();
    await open.close();
    await db.drop();
  });

  it('needs a token unless SWITCHBOARD_METRICS_PUBLIC is set', async () => {
    await request(guarded.baseUrl).get('/metrics').expect(401);
    await guarded.api().get('/metrics').expect(200);
    await request(open.baseUrl).get('/metrics').expect(200);
    await request(open.baseUrl).get('/api/config/profiles').expect(401);
  });

  it('counts requests by route template and status, refusals included, in the Prometheus format', async () => {
    await guarded.api().get('/api/config/profiles/1').expect(200);
    await guarded.api().get('/api/config/profiles/2').expect(404);
    await request(guarded.baseUrl).get('/api/config/profiles/1').expect(401);
    const response = await guarded.api().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(/^switchboard_http_requests_total\{method="GET",route="\/api\/config\/profiles\/:id",status="200"\} 1$/m);
    expect(response.text).toMatch(/^switchboard_http_requests_total\{method="GET",route="\/api\/config\/profiles\/:id",status="404"\} 1$/m);
    expect(response.text).toMatch(/^switchboard_http_requests_total\{method="GET",route="\/api\/config\/profiles\/:id",status="401"\} 1$/m);
    expect(response.text).toMatch(/^switchboard_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/config\/profiles\/:id"\} \d+$/m);
    expect(response.text).toMatch(/^switchboard_process_resident_memory_bytes \d+/m);
    expect(response.text).toMatch(/^switchboard_listener_connected 1$/m);
    expect(response.text).toMatch(/^switchboard_stream_subscribers 0$/m);
    expect(response.text).toMatch(/^switchboard_agents 0$/m);
    expect(response.text).toMatch(/^switchboard_resolved_cached_profiles \d+$/m);
  });
});
