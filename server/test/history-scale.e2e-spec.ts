import type { Response } from 'supertest';
import type { HistoryQueryDto } from '../src/history/dto/history.dto.js';
import { HistoryService } from '../src/history/history.service.js';
import { useAppWithDatabase } from './support/test-app.js';
import { lastHistoryId } from './support/stored-rows.js';

const SEEDED = 100_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** History at 100,000 entries: every filtered listing reads an index, and paging stays exact under concurrent writes. */
describe(`history at ${SEEDED.toLocaleString('en')} entries`, () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  let profileIds: number[];

  beforeAll(async () => {
    for (let i = 0; i < 8; i++) await api().post('/api/config/profiles').send({ name: `Scale ${i}` }).expect(201);
    profileIds = (await context.db.sql.query('SELECT id FROM config_profiles ORDER BY id')).rows.map((row) => row.id);
    // Spread over ~70 days, one profile in ten deleted (profile_id NULL); restores and imports are rare.
    await context.db.sql.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, snapshot, "timestamp", request_id)
       SELECT CASE WHEN n % 10 = 0 THEN NULL ELSE ids[1 + n % cardinality(ids)] END,
              'profile ' || n % 50,
              (ARRAY['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'])[1 + n % 5],
              CASE WHEN n % 1000 = 0 THEN 'restore' WHEN n % 997 = 0 THEN 'import' WHEN n % 100 = 0 THEN 'create'
                   WHEN n % 101 = 0 THEN 'delete' WHEN n % 50 = 0 THEN 'load' ELSE 'update' END,
              'user' || n % 40,
              '{"llm_temperature": {"old": 0.7, "new": 0.2}}',
              jsonb_build_object('name', 'profile ' || n % 50),
              now() - make_interval(secs => n * 60),
              'seed-' || n
         FROM generate_series(1, $1::int) AS n, (SELECT array_agg(id ORDER BY id) AS ids FROM config_profiles) AS p`,
      [SEEDED],
    );
    await context.db.sql.query('ANALYZE config_history');
  });

  async function plan(query: HistoryQueryDto, profileId?: number): Promise<PlanNode[]> {
    const { sql, values } = context.server.app.get(HistoryService).listQuery(query, profileId);
    const { rows } = await context.db.sql.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
    return flatten(rows[0]['QUERY PLAN'][0].Plan);
  }

  async function cursorAfter(path: string): Promise<string> {
    const link = (await api().get(path).expect(200)).headers.link;
    return new URL(/<([^>]+)>/.exec(link)![1], 'http://x').searchParams.get('cursor')!;
  }

  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

  it.each<[string, () => Promise<[HistoryQueryDto, number?]>]>([
    ['no filter', async () => [{}]],
    ['a profile', async () => [{}, profileIds[3]]],
    ['a domain', async () => [{ domain: 'genie' }]],
    ['a common action', async () => [{ action: 'update' }]],
    ['a rare action', async () => [{ action: 'restore' }]],
    ['a principal', async () => [{ changed_by: 'user7' }]],
    ['a time range', async () => [{ since: day(31), until: day(30) }]],
    ['a profile, domain and action', async () => [{ domain: 'ai_infra', action: 'update' }, profileIds[2]]],
    ['a profile and a domain', async () => [{ domain: 'mlflow' }, profileIds[4]]],
    ['a profile and a prompt', async () => [{ prompt: 'verify.answer' }, profileIds[4]]],
    ['a prompt', async () => [{ prompt: 'verify.answer' }]],
    ['a cursor', async () => [{ cursor: await cursorAfter('/api/config/history?limit=50') }]],
    ['a rare action and a cursor', async () => [{ action: 'restore', cursor: await cursorAfter('/api/config/history?action=restore&limit=5') }]],
    ['a profile and a cursor', async () => [{ cursor: await cursorAfter(`/api/config/history/${profileIds[1]}?limit=50`) }, profileIds[1]]],
    ['a principal, a time range and a cursor', async () => [{ changed_by: 'user3', since: day(60), cursor: await cursorAfter('/api/config/history?changed_by=user3&limit=20') }]],
  ])('lists by %s through an index, never a sequential scan', async (_case, build) => {
    const [query, profileId] = await build();
    const nodes = await plan(query, profileId);
    const onHistory = nodes.filter((node) => node['Relation Name'] === 'config_history' || node['Index Name']?.startsWith('idx_config_history'));
    expect(onHistory.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(onHistory.some((node) => /Index/.test(node['Node Type']))).toBe(true);
  });

  it('answers the filtered listings over HTTP, newest first and filtered', async () => {
    for (const filter of ['action=restore', 'domain=mlflow&changed_by=user3', `since=${day(31)}&until=${day(30)}`]) {
      const entries: { action: string; domain: string; changed_by: string; timestamp: string }[] = (await api().get(`/api/config/history?${filter}`).expect(200)).body;
      expect(entries.length).toBeGreaterThan(0);
      const times = entries.map((entry) => Date.parse(entry.timestamp));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('pages through every entry exactly once while other writes commit during the walk', async () => {
    const existing = new Set(
      (await context.db.sql.query(`SELECT id FROM config_history WHERE domain = 'ai_infra'`)).rows.map((row) => Number(row.id)),
    );
    const startedAt = await lastHistoryId(context.db.sql);
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        await api().put(`/api/config/ai-infra/${profileIds[writes % profileIds.length]}`).send({ llm_max_tokens: 1000 + writes }).expect(200);
        writes++;
      }
    })();

    const seen: { id: number; timestamp: string }[] = [];
    try {
      let url: string | undefined = '/api/config/history?domain=ai_infra&limit=500';
      while (url) {
        const page: Response = await api().get(url).expect(200);
        seen.push(...page.body);
        url = /<([^>]+)>; rel="next"/.exec(page.headers.link ?? '')?.[1];
      }
    } finally {
      writing = false;
      await writer;
    }

    expect(writes).toBeGreaterThan(3);
    const ids = seen.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id <= startedAt).sort((a, b) => a - b)).toEqual([...existing].sort((a, b) => a - b));
    const order = seen.map((entry) => [Date.parse(entry.timestamp), entry.id]);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
  });
});
