import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeDatabricks } from '../../support/fake-databricks.js';
import { startFakeLlm } from '../../support/fake-llm.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { type IdKind, REPO_ROOT } from './openapi-operations.js';

/** Real ids of each kind, newest first: what generated paths and bodies point at. */
export type FixtureIds = Record<IdKind, (number | string)[]>;

export interface OpenApiTarget {
  db: TestDatabase;
  server: TestApp;
  baseUrl: string;
  /** Makes sure there are profiles, Genie spaces, a live session and a token to point at. */
  ensureFixtures(): Promise<void>;
  fixtureIds(): Promise<FixtureIds>;
  /** Changes whenever any stored configuration, audit row, session, message or token changes. */
  stateFingerprint(): Promise<string>;
  close(): Promise<void>;
}

/** Name prefix of the tokens that token routes may revoke (never the ones a test authenticates with). */
export const FIXTURE_TOKEN_PREFIX = 'fixture-token-';

/**
 * The app on its own database with a healthy fake Databricks workspace and a healthy fake LLM:
 * no upstream is down, so no 5xx answer is legitimate.
 */
export async function startOpenApiTarget(): Promise<OpenApiTarget> {
  const db = await createTestDatabase();
  const databricks = await startFakeDatabricks({
    'GET /api/2.0/serving-endpoints': () => ({ status: 200, body: { endpoints: [{ name: 'databricks-claude-sonnet-4-5' }, { name: 'team-gpt' }] } }),
  });
  const llm = await startFakeLlm();
  const server = await startTestApp(db.url, {
    env: { DATABRICKS_HOST: databricks.url, DATABRICKS_TOKEN: 'dapi-fault-suite', DATABRICKS_TIMEOUT_MS: '3000', LLM_BASE_URL: llm.url, LLM_API_KEY: 'llm-key' },
  });
  const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await db.sql.query(text, values)).rows as T[];

  async function ensureFixtures(): Promise<void> {
    const profiles = await query<{ id: number }>('SELECT id FROM config_profiles ORDER BY id');
    for (let missing = 3 - profiles.length; missing > 0; missing--) {
      const created = await server.api().post('/api/config/profiles').send({ name: `Fixture ${randomBytes(4).toString('hex')}` }).expect(201);
      profiles.push({ id: created.body.id });
    }
    for (const { id } of profiles.slice(0, 3)) {
      const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM config_genie_spaces WHERE profile_id = $1', [id]);
      for (let missing = 2 - n; missing > 0; missing--) {
        await server.api().post(`/api/config/genie/${id}`).send({ space_id: randomBytes(16).toString('hex'), space_name: 'Fixture space' }).expect(201);
      }
    }
    // A registered domain (seed 004's router), so that its routes reach the schema checks, not only 404.
    const [{ domains }] = await query<{ domains: number }>('SELECT count(*)::int AS domains FROM config_domains');
    if (domains === 0) await server.api().post('/api/config/domains').send(ROUTER_DOMAIN).expect(201);
    const [{ sessions }] = await query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM agent_sessions');
    if (sessions === 0) await server.api().post('/api/agent/sessions').send({ profile_id: profiles[0].id }).expect(201);
    const [{ tokens }] = await query<{ tokens: number }>(`SELECT count(*)::int AS tokens FROM api_tokens WHERE revoked_at IS NULL AND name LIKE '${FIXTURE_TOKEN_PREFIX}%'`);
    if (tokens === 0) await server.api().post('/api/auth/tokens').send({ name: `${FIXTURE_TOKEN_PREFIX}${randomBytes(4).toString('hex')}`, role: 'viewer' }).expect(201);
  }

  async function fixtureIds(): Promise<FixtureIds> {
    const [row] = await query<FixtureIds>(`SELECT
      ARRAY(SELECT id FROM config_profiles ORDER BY id DESC LIMIT 20) AS profile,
      ARRAY(SELECT id FROM config_genie_spaces ORDER BY id DESC LIMIT 20) AS genie_space,
      ARRAY(SELECT id FROM api_tokens WHERE name LIKE '${FIXTURE_TOKEN_PREFIX}%' ORDER BY id DESC LIMIT 5) AS token,
      ARRAY(SELECT id::int FROM config_history ORDER BY id DESC LIMIT 20) AS history,
      ARRAY(SELECT id::text FROM agent_sessions ORDER BY created_at DESC LIMIT 5) AS session,
      ARRAY(SELECT name FROM config_domains ORDER BY name LIMIT 5) AS domain`);
    return row;
  }

  return {
    db,
    server,
    baseUrl: server.baseUrl,
    ensureFixtures,
    fixtureIds,
    stateFingerprint: async () => (await query<{ f: string }>(STATE_FINGERPRINT_SQL))[0].f,
    close: async () => {
      await server.close();
      await llm.close();
      await databricks.close();
      await db.drop();
    },
  };
}

const rowsDigest = (table: string, columns = 't::text') => `(SELECT md5(coalesce(string_agg(${columns}, '|' ORDER BY ${columns}), '')) FROM ${table} t)`;

/**
 * Cheap enough to run around every request: whole rows of the small tables; for the tables that grow
 * large (audit snapshots, prompts, messages) the newest id, count and versions. Token rows leave out
 * last_used_at, which every authenticated request moves.
 */
const ROUTER_DOMAIN = JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/gateway_router.json'), 'utf8'));

const STATE_FINGERPRINT_SQL = `SELECT concat_ws('#',
  ${rowsDigest('config_profiles')},
  ${rowsDigest('config_ai_infra')},
  ${rowsDigest('config_genie_spaces')},
  ${rowsDigest('config_mlflow')},
  ${rowsDigest('config_domains')},
  ${rowsDigest('config_domain_values')},
  ${rowsDigest('agent_sessions')},
  ${rowsDigest('api_tokens', `concat_ws(',', t.id, t.name, t.role, t.revoked_at)`)},
  (SELECT concat_ws(',', count(*), sum(version), max(updated_at)) FROM config_prompts),
  (SELECT concat_ws(',', count(*), max(id)) FROM config_history),
  (SELECT concat_ws(',', count(*), max(id)) FROM agent_messages)
) AS f`;
