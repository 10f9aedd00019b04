import { BATCH_SEPARATOR } from '../../src/database/transaction';
import type { DataSource, Logger as OrmLogger } from 'typeorm';

/**
 * Counts the statements the service sends from now on, by their text (TypeORM calls logQuery once per statement);
 * `stop()` puts the previous logger back.
 */
export function countStatements(ds: DataSource): { count: (pattern: RegExp) => number; all: () => number; stop: () => void } {
  const seen: string[] = [];
  const previous = ds.logger;
  const counting: OrmLogger = {
    // A batched transaction (src/database/transaction.ts) sends several statements in one query: each is counted.
    logQuery: (query: string) => void seen.push(...query.split(BATCH_SEPARATOR)),
    logQueryError: (...a) => previous.logQueryError(...a),
    logQuerySlow: (...a) => previous.logQuerySlow(...a),
    logSchemaBuild: (...a) => previous.logSchemaBuild(...a),
    logMigration: (...a) => previous.logMigration(...a),
    log: (...a) => previous.log(...a),
  };
  (ds as { logger: OrmLogger }).logger = counting;
  return {
    count: (pattern) => seen.filter((q) => pattern.test(q)).length,
    all: () => seen.length,
    stop: () => void ((ds as { logger: OrmLogger }).logger = previous),
  };
}
