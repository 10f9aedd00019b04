import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './app.entities';
import { connectionOptions } from './database/data-source';

/** TypeORM options for DATABASE_URL with the app's entities — for scripts/migrate.ts and tests that open their own DataSource. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return connectionOptions(url, ENTITIES);
}
