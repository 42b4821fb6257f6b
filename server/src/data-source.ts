import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { buildDataSourceOptions } from './common/database/database-options.js';
import { ENTITIES } from './entities.js';

/** The TypeORM CLI's entry (`npm run migration:run`): the deployment path, DATABASE_URL required. */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: the TypeORM CLI needs the database to migrate, e.g. postgres://user:pass@host:5432/switchboard');
}

export default new DataSource(buildDataSourceOptions(url, ENTITIES, MIGRATIONS));
