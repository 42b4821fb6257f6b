import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { buildDataSourceOptions } from '../src/common/database/database-options.js';
import { ENTITIES } from '../src/entities.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The entities describe what the migrations built: asked to synchronise a migrated database,
 * TypeORM finds nothing to do. A new column, check or foreign key on one side only fails here.
 * (Indexes TypeORM cannot express — expressions, DESC, partial — are declared with
 * `synchronize: false`; triggers are the migrations' alone.)
 */
describe('entities and migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource({ ...buildDataSourceOptions(db.url, ENTITIES, MIGRATIONS), logging: ['error'] }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('agree: synchronising a migrated database would change nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
