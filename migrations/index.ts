import { InitialSchema1763900000000 } from './1763900000000-InitialSchema.js';
import { AddHistoryActionIndex1795440000000 } from './1795440000000-AddHistoryActionIndex.js';

/** Every migration, oldest first. Listed explicitly so the same list serves the CLI, the app and the tests. */
export const MIGRATIONS = [InitialSchema1763900000000, AddHistoryActionIndex1795440000000];
