import { useAppWithDatabase } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

describe('MLflow API', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  let db: TestDatabase;
  let profileId: number;

  beforeAll(() => {
    ({ db, defaultProfileId: profileId } = context);
  });

  const row = async () =>
    (await db.sql.query('SELECT experiment_name, version FROM config_mlflow WHERE profile_id = $1', [profileId])).rows[0];

  it('round-trips a change with ETag and If-Match', async () => {
    const read = await api().get(`/api/config/mlflow/${profileId}`).expect(200);
    expect(read.body).toMatchObject({ profile_id: profileId, experiment_name: '/Workspace/Users/{username}/ai-slide-generator' });
    const written = await api()
      .put(`/api/config/mlflow/${profileId}`)
      .set('If-Match', read.headers.etag)
      .send({ experiment_name: '  /Shared/slides-prod  ' })
      .expect(200);
    expect(written.body).toMatchObject({ experiment_name: '/Shared/slides-prod', version: read.body.version + 1 });
    expect(await row()).toEqual({ experiment_name: '/Shared/slides-prod', version: read.body.version + 1 });

    await api().put(`/api/config/mlflow/${profileId}`).set('If-Match', read.headers.etag).send({ experiment_name: 'x' }).expect(412);
    expect((await row()).experiment_name).toBe('/Shared/slides-prod');
  });

  it.each(['slides', '/Workspace/Users/ana@example.com/slides', '/Users/{username}/exp 1'])('accepts %p', async (name) => {
    await api().put(`/api/config/mlflow/${profileId}`).send({ experiment_name: name }).expect(200);
    expect((await row()).experiment_name).toBe(name);
  });

  it.each([
    ['an empty segment', '/Workspace//x'],
    ['a trailing slash', '/Workspace/x/'],
    ['a relative path', 'Workspace/x'],
    ['a dot-dot segment', '/Workspace/../x'],
    ['a line break', '/Workspace/x\ny'],
    ['a blank name', '   '],
    ['256 characters', `/${'x'.repeat(255)}`],
  ])('refuses %s with 422 and changes nothing', async (_case, name) => {
    const before = await row();
    const response = await api().put(`/api/config/mlflow/${profileId}`).send({ experiment_name: name }).expect(422);
    expect(response.body.errors[0].field).toBe('experiment_name');
    expect(await row()).toEqual(before);
  });

  it('answers 404 for a missing profile', async () => {
    await api().get('/api/config/mlflow/424242').expect(404);
  });
});
