import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryDeepPartialEntity, QueryRunner } from 'typeorm';
import { BroadcasterResult } from 'typeorm/subscriber/BroadcasterResult';
import { batching, holdStatement } from './transaction';

/**
 * Issue 17: the few writes every chat event makes (its inbox row, its timeline line, its outbox rows) as plain SQL, built
 * once per entity and set of columns from the entity's own metadata, the values converted by the driver exactly as
 * TypeORM's insert converts them (dates, JSON columns) — the query builder spent more CPU building these statements
 * than the database spent running them. Only inside a transaction (its query runner); elsewhere TypeORM does the work.
 * The writes are told to TypeORM's subscribers as its own are (afterInsert / afterUpdate, with the entity's metadata and
 * the query runner but no entity): the caches that watch a table (the 台账's counts, the directory) must see them. Entity
 * listeners (@AfterInsert on the class) do not run: none of these tables has one.
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
  const { sql, params, meta } = insertStatement(em, target, rows);
  const result = await runner.query(sql, params, true);
  await told(runner, meta, 'insert');
  const raw = result.raw as { insertId?: number } | number | bigint;
  return typeof raw === 'object' && raw !== null ? Number(raw.insertId) : Number(raw); // mysql2's header; better-sqlite3's rowid
}

/**
 * insertRows for a caller that needs nothing back (no id): in a transaction that batches (TransactionOptions.batch) the
 * INSERT is held and sent with the transaction's next statement or its COMMIT — its failure (a unique key) then
 * surfaces there; otherwise it runs now.
 */
export async function insertRowsLater<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
  const runner = em.queryRunner;
  if (!runner || rows.length === 0 || !batching(runner)) {
    await insertRows(em, target, rows);
    return;
  }
  const { sql, params, meta } = insertStatement(em, target, rows);
  holdStatement(runner, { sql, params, after: () => told(runner, meta, 'insert') });
}

function insertStatement<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]) {
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
  return { sql, params, meta };
}

/** A value to set, or (as in TypeORM) a function giving an SQL expression over the row's columns: `() => 'version + 1'`. */
export type SetValues<T> = { [K in keyof T]?: T[K] | (() => string) };

/**
 * UPDATE … SET `set` WHERE every column of `where` equals its value; how many rows changed. The entity's update-date
 * column is set to CURRENT_TIMESTAMP unless `set` names it, as TypeORM's update does.
 */
export async function updateWhere<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, set: SetValues<T>, where: Partial<T>): Promise<number> {
  const runner = em.queryRunner;
  if (!runner) return (await em.update(target, where as never, set as never)).affected ?? 0;
  const { sql, params, meta } = updateStatement(em, target, set, where);
  const result = await runner.query(sql, params, true);
  await told(runner, meta, 'update');
  return result.affected ?? 0;
}

/**
 * updateWhere for a caller that only needs to know the UPDATE changed `expected` rows: in a transaction that batches
 * it is held (TransactionOptions.batch) and `mismatch()` is thrown, before the transaction commits, if it did not;
 * otherwise it runs now and throws at once.
 */
export async function updateWhereLater<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  set: SetValues<T>,
  where: Partial<T>,
  expected: number,
  mismatch: () => Error,
): Promise<void> {
  const runner = em.queryRunner;
  if (!runner || !batching(runner)) {
    if ((await updateWhere(em, target, set, where)) !== expected) throw mismatch();
    return;
  }
  const { sql, params, meta } = updateStatement(em, target, set, where);
  holdStatement(runner, {
    sql,
    params,
    check: (r) => {
      if (r.affectedRows !== expected) throw mismatch();
    },
    after: () => told(runner, meta, 'update'),
  });
}

function updateStatement<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, set: SetValues<T>, where: Partial<T>) {
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const setColumns = meta.columns.filter((c) => (set as ObjectLiteral)[c.propertyName] !== undefined);
  const whereColumns = meta.columns.filter((c) => where[c.propertyName] !== undefined);
  const expression = (c: ColumnMetadata) => (set as ObjectLiteral)[c.propertyName] as unknown;
  const key = `update:${setColumns.map((c) => `${c.propertyName}${typeof expression(c) === 'function' ? `=${(expression(c) as () => string)()}` : ''}`).join(',')}:${whereColumns.map((c) => c.propertyName).join(',')}`;
  const { sql } = shape(meta, key, () => {
    const assignments = setColumns.map((c) => {
      const v = expression(c);
      return `${driver.escape(c.databaseName)} = ${typeof v === 'function' ? (v as () => string)() : '?'}`;
    });
    const touched = meta.updateDateColumn;
    if (touched && !setColumns.includes(touched)) assignments.push(`${driver.escape(touched.databaseName)} = CURRENT_TIMESTAMP`);
    return {
      sql: `UPDATE ${driver.escape(meta.tablePath)} SET ${assignments.join(', ')} WHERE ${whereColumns.map((c) => `${driver.escape(c.databaseName)} = ?`).join(' AND ')}`,
      columns: [],
    };
  });
  const params = [
    ...setColumns.filter((c) => typeof expression(c) !== 'function').map((c) => driver.preparePersistentValue(expression(c), c) as unknown),
    ...whereColumns.map((c) => driver.preparePersistentValue(where[c.propertyName], c) as unknown),
  ];
  return { sql, params, meta };
}

/**
 * Issue 17: a plain write told to the subscribers (src/cases/ledger-counts.cache.ts, src/org/directory-cache.ts): the
 * 台账's kept counts were not dropped by a command's plain UPDATE of its item, so a 申请办结 showed in the state counts
 * only seconds later.
 */
async function told(runner: QueryRunner, meta: EntityMetadata, what: 'insert' | 'update'): Promise<void> {
  if (runner.connection.subscribers.length === 0) return;
  const result = new BroadcasterResult();
  if (what === 'insert') runner.broadcaster.broadcastAfterInsertEvent(result, meta);
  else runner.broadcaster.broadcastAfterUpdateEvent(result, meta);
  if (result.promises.length > 0) await result.wait();
}

/**
 * One row of `parent` found by a column's value, with the rows of `child` whose `childKey` holds its id (a one-to-many
 * not declared as a relation), in one statement — locked FOR UPDATE on MySQL/MariaDB when `lock` (SQLite has one
 * writer at a time). Both hydrated as TypeORM hydrates them (each column through the driver; columns not selected by
 * default left out); children by id.
 */
export async function findOneWithChildren<P extends ObjectLiteral, C extends ObjectLiteral>(
  em: EntityManager,
  parent: EntityTarget<P>,
  where: { column: keyof P & string; value: unknown },
  child: EntityTarget<C>,
  childKey: keyof C & string,
  lock: boolean,
): Promise<{ row: P; children: C[] } | null> {
  const runner = em.queryRunner;
  const pm = em.connection.getMetadata(parent);
  const cm = em.connection.getMetadata(child);
  const driver = em.connection.driver;
  const locking = lock && ['mysql', 'mariadb'].includes(em.connection.options.type);
  const pCols = pm.columns.filter((c) => c.isSelect);
  const cCols = cm.columns.filter((c) => c.isSelect);
  const { sql } = shape(pm, `one:${where.column}:${cm.tablePath}:${childKey}:${locking}`, () => {
    const select = [
      ...pCols.map((c) => `p.${driver.escape(c.databaseName)} AS ${driver.escape(`p_${c.databaseName}`)}`),
      ...cCols.map((c) => `c.${driver.escape(c.databaseName)} AS ${driver.escape(`c_${c.databaseName}`)}`),
    ];
    const whereColumn = pm.findColumnWithPropertyName(where.column)!;
    const key = cm.findColumnWithPropertyName(childKey)!;
    const pId = pm.primaryColumns[0];
    const cId = cm.primaryColumns[0];
    return {
      sql:
        `SELECT ${select.join(', ')} FROM ${driver.escape(pm.tablePath)} p LEFT JOIN ${driver.escape(cm.tablePath)} c ON c.${driver.escape(key.databaseName)} = p.${driver.escape(pId.databaseName)}` +
        ` WHERE p.${driver.escape(whereColumn.databaseName)} = ? ORDER BY c.${driver.escape(cId.databaseName)}${locking ? ' FOR UPDATE' : ''}`,
      columns: [],
    };
  });
  const param = driver.preparePersistentValue(where.value, pm.findColumnWithPropertyName(where.column)!);
  const rows = (runner ? (await runner.query(sql, [param], true)).records : await em.query(sql, [param])) as Record<string, unknown>[];
  if (rows.length === 0) return null;
  const cId = cm.primaryColumns[0];
  return {
    row: hydrate<P>(em, pm, pCols, 'p_', rows[0]),
    children: rows
      .filter((r) => r[`c_${cId.databaseName}`] !== null && r[`c_${cId.databaseName}`] !== undefined)
      .map((r) => hydrate<C>(em, cm, cCols, 'c_', r)),
  };
}

/**
 * An entity from a plain row, as TypeORM hydrates one: each of `columns` (those selected by default: `c.isSelect`)
 * through the driver, read from the row's `${prefix}${databaseName}`.
 */
export function hydrate<E extends ObjectLiteral>(
  em: EntityManager,
  meta: EntityMetadata,
  columns: readonly ColumnMetadata[],
  prefix: string,
  raw: Record<string, unknown>,
): E {
  const driver = em.connection.driver;
  const entity = meta.create() as E;
  for (const c of columns) c.setEntityValue(entity, driver.prepareHydratedValue(raw[`${prefix}${c.databaseName}`], c));
  return entity;
}
