/**
 * npm run migration:run | migration:revert — apply or revert migrations on DATABASE_URL
 * (default: the embedded SQLite file). The service also applies pending migrations at start.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app.config';
import { dataSourceOptions } from '../src/app.data-source';

async function main(): Promise<void> {
  const direction = process.argv[2] ?? 'up';
  const { databaseUrl } = loadConfig();
  const ds = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    if (direction === 'down') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const done = await ds.runMigrations({ transaction: 'each' });
      console.log(done.length ? `applied: ${done.map((m) => m.name).join(', ')}` : 'nothing to apply: the schema is current');
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
