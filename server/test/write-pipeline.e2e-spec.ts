import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { REPO_ROOT } from './support/server-process.js';
import { useAppWithDatabase } from './support/test-app.js';

/**
 * The one write pipeline of the one-row-per-profile domains (ai_infra, mlflow, prompts and every
 * registered domain): lock and read, write, audit with a snapshot of the whole profile, commit. Its
 * cost is counted in SQL statements sent to PostgreSQL (BEGIN and COMMIT included), a figure that
 * does not depend on the machine; the target is at most 6 for a one-field PUT.
 */
describe('write pipeline', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  const statements: { client: unknown; text: string }[] = [];
  let counting = false;

  beforeAll(async () => {
    // The pg module TypeORM's driver loaded: every statement of the app's pool goes through its Client.
    const { Client } = (context.server.app.get(DataSource).driver as unknown as { postgres: { Client: { prototype: { query: (...args: unknown[]) => unknown } } } }).postgres;
    const original = Client.prototype.query;
    Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (counting && text) statements.push({ client: this, text: text.replace(/\s+/g, ' ').trim() });
      return original.apply(this, args);
    };
    const router = JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/gateway_router.json'), 'utf8'));
    await api().post('/api/config/domains').send(router).expect(201);
    await api().put(`/api/config/domains/gateway_router/profiles/${context.defaultProfileId}`).send({ values: { max_retries: 1 } }).expect(200);
  });

  /**
   * Every statement sent meanwhile but those of connections doing background work: the pool's
   * pings, the instance registry's batched writes, the schedule runner's polls (a transaction of
   * its own, so its BEGIN and COMMIT go too, even a COMMIT whose BEGIN came before counting).
   */
  async function count(send: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    counting = true;
    try {
      await send();
    } finally {
      counting = false;
    }
    // Each connection's statements in units of work: a transaction, or one statement outside any.
    const units: string[][] = [];
    const open = new Map<unknown, string[]>();
    for (const { client, text } of statements) {
      let unit = open.get(client);
      if (!unit) {
        unit = [];
        units.push(unit);
        if (text === 'START TRANSACTION') open.set(client, unit);
      }
      unit.push(text);
      if (text === 'COMMIT' || text === 'ROLLBACK') open.delete(client);
    }
    // Background work, or the end of a transaction begun before counting (the PUT's begins inside it).
    const background = (unit: string[]) =>
      /^(COMMIT|ROLLBACK)$/.test(unit[0]) || unit.some((text) => /^SELECT 1\b|\b(config_change_applied|switchboard_instances|config_schedules)\b/.test(text));
    return units.filter((unit) => !background(unit)).flat();
  }

  const cases: [string, () => [string, Record<string, unknown>]][] = [
    ['ai-infra', () => [`/api/config/ai-infra/${context.defaultProfileId}`, { llm_max_tokens: 4321 }]],
    ['mlflow', () => [`/api/config/mlflow/${context.defaultProfileId}`, { experiment_name: '/Shared/pipeline' }]],
    ['prompts', () => [`/api/config/prompts/${context.defaultProfileId}`, { system_prompt: 'You are counted.' }]],
    ['a registered domain', () => [`/api/config/domains/gateway_router/profiles/${context.defaultProfileId}`, { values: { max_retries: 2 } }]],
  ];

  it.each(cases)('a one-field PUT of %s takes at most 6 SQL statements, audit entry included', async (_name, request) => {
    const [url, body] = request();
    const before = Number((await context.db.sql.query('SELECT count(*) AS n FROM config_history')).rows[0].n);
    const sent = await count(() => api().put(url).send(body).expect(200));
    expect(Number((await context.db.sql.query('SELECT count(*) AS n FROM config_history')).rows[0].n)).toBe(before + 1);
    process.stdout.write(`[statements] PUT ${url}: ${sent.length}\n${sent.map((text) => `  ${text.slice(0, 160)}`).join('\n')}\n`);
    expect(sent.length).toBeLessThanOrEqual(6);
  });

  it('keeps, in the one-statement profile detail, each domain exactly as its own route shows it', async () => {
    const id = context.defaultProfileId;
    await api().post(`/api/config/genie/${id}`).send({ space_id: 'b'.repeat(32), space_name: 'Billing', description: null }).expect(201);
    await api().post(`/api/config/genie/${id}`).send({ space_id: 'a'.repeat(32), space_name: 'alpha', description: 'second' }).expect(201);
    await api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.35, llm_top_p: 1 }).expect(200);
    const detail = (await api().get(`/api/config/profiles/${id}`).expect(200)).body;
    expect(detail.ai_infra).toEqual((await api().get(`/api/config/ai-infra/${id}`).expect(200)).body);
    expect(detail.mlflow).toEqual((await api().get(`/api/config/mlflow/${id}`).expect(200)).body);
    expect(detail.prompts).toEqual((await api().get(`/api/config/prompts/${id}`).expect(200)).body);
    expect(detail.genie_spaces).toEqual((await api().get(`/api/config/genie/${id}`).expect(200)).body);
    const router = (await api().get(`/api/config/domains/gateway_router/profiles/${id}`).expect(200)).body;
    expect(detail.domains.gateway_router).toEqual({ values: router.values, inherited: router.inherited, version: router.version, updated_at: router.updated_at });
    expect(detail.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The audit entry's snapshot is the same document, as the transaction saw it (without the
    // parent's name and where inherited values come from, which the API adds).
    const [entry] = (await context.db.sql.query('SELECT snapshot FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1', [id])).rows;
    const { inherited_from: inheritedFrom, parent_profile_name: parentName, ...stored } = detail;
    expect([inheritedFrom, parentName]).toEqual([{}, null]);
    expect(entry.snapshot).toEqual(stored);
  });
});
