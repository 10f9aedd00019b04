import { BATCH_SEPARATOR } from '../../src/database/transaction';
import type { DataSource, Logger as OrmLogger } from 'typeorm';

/**
 * Counts the statements the service sends from now on, by their text (TypeORM calls logQuery once per query it sends);
 * `trips()` lists the round trips since the last `reset()`, each with its statements (a batched transaction —
 * src/database/transaction.ts — sends several in one); `stop()` puts the previous logger back.
 */
export function countStatements(ds: DataSource): {
  count: (pattern: RegExp) => number;
  all: () => number;
  trips: () => string[][];
  /** The queries sent whose text matches, with their parameters (to EXPLAIN one as it was sent). */
  sent: (pattern: RegExp) => { query: string; parameters: unknown[] }[];
  reset: () => void;
  stop: () => void;
} {
  const seen: string[] = [];
  const trips: string[][] = [];
  const calls: { query: string; parameters: unknown[] }[] = [];
  const previous = ds.logger;
  const counting: OrmLogger = {
    logQuery: (query: string, parameters?: unknown[]) => {
      calls.push({ query, parameters: parameters ?? [] });
      const statements = query.split(BATCH_SEPARATOR);
      trips.push(statements);
      seen.push(...statements);
    },
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
    trips: () => trips.map((t) => [...t]),
    sent: (pattern) => calls.filter((c) => pattern.test(c.query)),
    reset: () => {
      seen.length = 0;
      calls.length = 0;
      trips.length = 0;
    },
    stop: () => void ((ds as { logger: OrmLogger }).logger = previous),
  };
}
