import { QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Column builders for migrations that must read the same on MySQL/MariaDB and SQLite. */
export const col = {
  id: (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
  int: (name: string, nullable = false, dflt?: number): TableColumnOptions => ({
    name,
    type: 'integer',
    isNullable: nullable,
    ...(dflt === undefined ? {} : { default: String(dflt) }),
  }),
  str: (name: string, length: number, nullable = false, dflt?: string): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
    ...(dflt === undefined ? {} : { default: `'${dflt}'` }),
  }),
  text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  bool: (name: string, nullable = false, dflt?: boolean): TableColumnOptions => ({
    name,
    type: 'boolean',
    isNullable: nullable,
    ...(dflt === undefined ? {} : { default: dflt ? '1' : '0' }),
  }),
  time: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable }),
  created: (name = 'created_at'): TableColumnOptions => ({ name, type: 'datetime', precision: 3, default: 'CURRENT_TIMESTAMP(3)' }),
  updated: (name = 'updated_at'): TableColumnOptions => ({
    name,
    type: 'datetime',
    precision: 3,
    default: 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  }),
};

export const isMysql = (qr: QueryRunner) => ['mysql', 'mariadb'].includes(qr.connection.driver.options.type);

/** SQLite has no CURRENT_TIMESTAMP(3); its TypeORM driver writes the timestamp itself. */
function portable(qr: QueryRunner, c: TableColumnOptions): TableColumnOptions {
  if (!isMysql(qr) && c.default === 'CURRENT_TIMESTAMP(3)') return { ...c, default: "(strftime('%Y-%m-%d %H:%M:%f', 'now'))", onUpdate: undefined };
  return c;
}

export async function createTable(
  qr: QueryRunner,
  name: string,
  columns: TableColumnOptions[],
  indices: { name: string; columns: string[]; unique?: boolean }[] = [],
): Promise<void> {
  await qr.createTable(
    new Table({
      name,
      columns: columns.map((c) => portable(qr, c)),
      indices: indices.map((i) => new TableIndex({ name: i.name, columnNames: i.columns, isUnique: i.unique ?? false })),
    }),
  );
}
