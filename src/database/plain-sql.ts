import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';

/**
 * Issue 17: the few writes every chat event makes (its inbox row, its timeline line, its outbox rows) as plain SQL, built
 * once per entity and set of columns from the entity's own metadata, the values converted by the driver exactly as
 * TypeORM's insert converts them (dates, JSON columns) — the query builder spent more CPU building these statements
 * than the database spent running them. Only inside a transaction (its query runner); elsewhere TypeORM does the work.
 * Nothing here fires entity subscribers: use it only for tables no subscriber watches.
 */
const built = new WeakMap<EntityMetadata, Map<string, { sql: string; columns: ColumnMetadata[] }>>();

function shape(meta: EntityMetadata, key: string, build: () => { sql: string; columns: ColumnMetadata[] }) {
  let byKey = built.get(meta);
  if (!byKey) built.set(meta, (byKey = new Map()));
  let s = byKey.get(key);
  if (!s) byKey.set(key, (s = build()));
  return s;
}

/**
 * INSERT of rows that all name the same columns (those left undefined take the column's default); the first row's
 * generated id.
 */
export async function insertRows<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<number> {
  const runner = em.queryRunner;
  if (!runner || rows.length === 0) {
    const r = await em
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows as QueryDeepPartialEntity<T>[])
      .execute();
    return Number(r.identifiers[0]?.id);
  }
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const named = meta.columns.filter((c) => rows[0][c.propertyName] !== undefined && !(c.isPrimary && c.isGenerated));
  const { sql, columns } = shape(meta, `insert:${rows.length}:${named.map((c) => c.propertyName).join(',')}`, () => {
    const one = `(${named.map(() => '?').join(', ')})`;
    return {
      sql: `INSERT INTO ${driver.escape(meta.tablePath)} (${named.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES ${rows.map(() => one).join(', ')}`,
      columns: named,
    };
  });
  const params = rows.flatMap((r) => columns.map((c) => driver.preparePersistentValue(c.getEntityValue(r), c) as unknown));
  const result = await runner.query(sql, params, true);
  const raw = result.raw as { insertId?: number } | number | bigint;
  return typeof raw === 'object' && raw !== null ? Number(raw.insertId) : Number(raw); // mysql2's header; better-sqlite3's rowid
}

/** UPDATE … SET `set` WHERE every column of `where` equals its value; how many rows changed. */
export async function updateWhere<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, set: Partial<T>, where: Partial<T>): Promise<number> {
  const runner = em.queryRunner;
  if (!runner) return (await em.update(target, where as never, set as never)).affected ?? 0;
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const pick = (o: Partial<T>) => meta.columns.filter((c) => o[c.propertyName] !== undefined);
  const setColumns = pick(set);
  const whereColumns = pick(where);
  const { sql } = shape(meta, `update:${setColumns.map((c) => c.propertyName).join(',')}:${whereColumns.map((c) => c.propertyName).join(',')}`, () => ({
    sql:
      `UPDATE ${driver.escape(meta.tablePath)} SET ${setColumns.map((c) => `${driver.escape(c.databaseName)} = ?`).join(', ')}` +
      ` WHERE ${whereColumns.map((c) => `${driver.escape(c.databaseName)} = ?`).join(' AND ')}`,
    columns: [],
  }));
  const params = [
    ...setColumns.map((c) => driver.preparePersistentValue(set[c.propertyName], c)),
    ...whereColumns.map((c) => driver.preparePersistentValue(where[c.propertyName], c)),
  ];
  const result = await runner.query(sql, params as unknown[], true);
  return result.affected ?? 0;
}
