import { Column, ColumnOptions, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/**
 * Column shapes that mean the same on MySQL/MariaDB and SQLite.
 * Instants are stored in UTC (mysql2 `timezone: 'Z'`), shown in Asia/Shanghai at the edges.
 */
export const DateTimeColumn = (opts: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'datetime', precision: 3, ...opts });
// No explicit default: TypeORM writes the timestamp itself per driver (an explicit CURRENT_TIMESTAMP(3) is
// copied verbatim into SQLite inserts, where it is a syntax error). The migrations give the MySQL default.
export const CreatedAtColumn = () => CreateDateColumn({ type: 'datetime', precision: 3 });
export const UpdatedAtColumn = () => UpdateDateColumn({ type: 'datetime', precision: 3 });
export const StringColumn = (length: number, opts: Omit<ColumnOptions, 'type' | 'length'> = {}) => Column({ type: 'varchar', length, ...opts });
export const TextColumn = (opts: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'text', ...opts });
export const IntColumn = (opts: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'int', ...opts });
export const BoolColumn = (opts: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'boolean', ...opts });

/** JSON kept as text: portable, and nobody queries inside it. */
export const JsonColumn = (opts: Omit<ColumnOptions, 'type' | 'transformer'> = {}) =>
  Column({
    type: 'text',
    ...opts,
    transformer: {
      to: (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v)),
      from: (v: string | null) => (v === null || v === undefined ? null : JSON.parse(v)),
    },
  });
