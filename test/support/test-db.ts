import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/app.data-source';
import { databaseUrl, serverUrl } from './db-url';

let counter = 0;

async function admin<T>(fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const u = serverUrl();
  const conn = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** A fresh, empty utf8mb4 database on the test server, named after this process so leftovers can be cleaned. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `duban_t_${process.pid}_${++counter}_${Date.now() % 100000}`;
  await admin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  return { name, url: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(() => undefined) };
}

/** A migrated database and a DataSource on it, for tests below the HTTP layer. */
export async function migratedDataSource(): Promise<{ ds: DataSource; url: string; close: () => Promise<void> }> {
  const db = await createTestDatabase();
  const ds = await new DataSource(dataSourceOptions(db.url)).initialize();
  await ds.runMigrations({ transaction: 'each' });
  return {
    ds,
    url: db.url,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}
