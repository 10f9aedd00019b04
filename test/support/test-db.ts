import { createHash } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/app.data-source';
import { MIGRATIONS } from '../../src/database/migrations';
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

/**
 * The schema every migration leads to, built once on the test server and kept there (`duban_tpl_<fingerprint>`): the
 * fingerprint covers every migration's name and compiled source, so a new or edited migration makes a new template.
 * Several test processes may ask at once: a MariaDB named lock lets one build it while the others wait.
 */
async function migratedTemplate(): Promise<string> {
  const fingerprint = createHash('sha256')
    .update(MIGRATIONS.map((m) => `${m.name}\n${m.toString()}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const name = `duban_tpl_${fingerprint}`;
  return admin(async (c) => {
    await c.query('SELECT GET_LOCK(?, 600)', [name]);
    try {
      const applied = await c
        .query(`SELECT COUNT(*) AS n FROM \`${name}\`.migrations`)
        .then(([rows]) => Number((rows as { n: number }[])[0].n))
        .catch(() => -1);
      if (applied === MIGRATIONS.length) return name;
      // Absent, or left half-built by a process that died: built again from nothing.
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const ds = await new DataSource(dataSourceOptions(databaseUrl(name))).initialize();
      try {
        await ds.runMigrations({ transaction: 'each' });
      } finally {
        await ds.destroy();
      }
      return name;
    } finally {
      await c.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  });
}

/**
 * A fresh database already at the latest migration, for tests that need the schema but do not test the migrations
 * (the browser tests, issue 15): a copy of the template's tables (SHOW CREATE TABLE keeps keys, indexes, foreign keys
 * and auto-increment starts) and of their rows (the migrations table, and anything a migration seeded). The service
 * started on it still runs its migrations at start and finds none pending. Migrating each test file's database from
 * nothing took about 16 s of a browser test file's start on a loaded machine; the copy takes a fraction of that.
 */
export async function createMigratedTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const template = await migratedTemplate();
  const db = await createTestDatabase();
  await admin(async (c) => {
    const [tables] = await c.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [template]);
    const [others] = await c.query(
      'SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?) + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?) + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) AS n',
      [template, template, template],
    );
    if (Number((others as { n: number }[])[0].n) > 0)
      throw new Error(`${template} has views, triggers or routines: copying tables would miss them; migrate instead.`);
    await c.query('SET FOREIGN_KEY_CHECKS = 0');
    await c.query(`USE \`${db.name}\``);
    for (const { t } of tables as { t: string }[]) {
      const [rows] = await c.query(`SHOW CREATE TABLE \`${template}\`.\`${t}\``);
      await c.query((rows as Record<string, string>[])[0]['Create Table']);
      await c.query(`INSERT INTO \`${t}\` SELECT * FROM \`${template}\`.\`${t}\``);
    }
  });
  return db;
}
