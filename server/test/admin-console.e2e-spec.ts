import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;
const INDEX = '<!doctype html><html><body><sb-root></sb-root><script src="main-ABCD1234.js"></script></body></html>';

describe('the admin console served at /', () => {
  let db: TestDatabase;
  let server: TestApp;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = mkdtempSync(path.join(tmpdir(), 'sb-console-'));
    writeFileSync(path.join(consoleDir, 'index.html'), INDEX);
    writeFileSync(path.join(consoleDir, 'main-ABCD1234.js'), 'console.log("console");');
    db = await createTestDatabase();
    server = await startTestApp(db.url, { consoleDir });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('serves index.html at / and for the console routes (SPA fallback), never cached', async () => {
    for (const url of ['/', '/profiles/3/prompts', '/sign-in?reason=rejected']) {
      const response = await request(server.baseUrl).get(url).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.text).toBe(INDEX);
    }
  });

  it('serves the hashed bundles as immutable files', async () => {
    const response = await request(server.baseUrl).get('/main-ABCD1234.js').expect(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps unknown server paths problem+json 404s, with or without a token', async () => {
    for (const url of ['/api/config/does-not-exist', '/api/nothing/here/at/all', '/health/nope', '/docs/nope.js']) {
      const response = await server.api().get(url).expect(404);
      expect(response.headers['content-type']).toMatch(PROBLEM);
    }
    const anonymous = await request(server.baseUrl).get('/api/config/does-not-exist');
    expect(anonymous.headers['content-type']).toMatch(PROBLEM);
  });

  it('never serves the console for server paths in another case or with doubled slashes', async () => {
    for (const url of ['/API/CONFIG/PROFILES', '//api/config/profiles', '//metrics', '/Health/live', '/profiles//3']) {
      const response = await server.api().get(url);
      expect({ url, status: response.status }).toEqual({ url, status: 404 });
      expect(response.headers['content-type']).toMatch(PROBLEM);
    }
  });

  it('compresses the console and JSON with br or gzip, as the client accepts', async () => {
    const big = 'x'.repeat(4096);
    writeFileSync(path.join(consoleDir, 'big-ABCD1234.js'), big);
    const restarted = await startTestApp(db.url, { consoleDir });
    try {
      const script = await request(restarted.baseUrl).get('/big-ABCD1234.js').set('accept-encoding', 'br').expect(200);
      expect(script.headers['content-encoding']).toBe('br');
      const json = await restarted.api().get('/api/config/profiles/default').set('accept-encoding', 'gzip').expect(200);
      expect(json.headers['content-encoding']).toBe('gzip');
      expect(json.body.name).toBe('default');
      const plain = await restarted.api().get('/api/config/profiles/default').set('accept-encoding', 'identity').expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
    } finally {
      await restarted.close();
    }
  });

  it('keeps the API and /docs working beside it', async () => {
    await server.api().get('/api/config/profiles').expect(200);
    const docs = await request(server.baseUrl).get('/docs').expect(200);
    expect(docs.text).toContain('swagger');
  });

  it("allows blob: workers (Monaco's) in the Content-Security-Policy, and nothing looser for scripts", async () => {
    const response = await request(server.baseUrl).get('/').expect(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("default-src 'self'");
  });

  it('asks browsers to upgrade to https only when the service says it is reached over TLS', async () => {
    const plain = await request(server.baseUrl).get('/').expect(200);
    expect(String(plain.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const behindTls = await startTestApp(db.url, { consoleDir, https: true });
    try {
      const response = await request(behindTls.baseUrl).get('/').expect(200);
      expect(String(response.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      await behindTls.close();
    }
  });
});

describe('the service without a built console', () => {
  it('starts, and / answers a problem+json 404', async () => {
    const db = await createTestDatabase();
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'sb-no-console-'));
    const server = await startTestApp(db.url, { consoleDir: emptyDir });
    try {
      const response = await request(server.baseUrl).get('/').expect(404);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      await server.api().get('/api/config/profiles').expect(200);
    } finally {
      await server.close();
      await db.drop();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
