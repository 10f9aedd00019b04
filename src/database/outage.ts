import type { Logger } from '@nestjs/common';

/**
 * The database is away (down, restarting, unreachable, or not answering), as opposed to a query that is wrong or a
 * rule that refused: the same work will succeed later, so callers answer "try again" (HTTP 503, a Stream frame left
 * unACKed for DingTalk to push again) and do not count it as a failure of the message itself.
 */
const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN', // 1053, during a shutdown
  'ER_CON_COUNT_ERROR', // 1040, too many connections
  'ER_SERVER_GONE_ERROR',
  'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST',
  'CR_CONN_HOST_ERROR',
  'CR_CONNECTION_ERROR',
  DATABASE_TIMEOUT,
]);
/** 2002/2003 can't connect, 2006 gone away, 2013 lost during query, 1053 shutdown, 1040 too many connections. */
const UNAVAILABLE_ERRNOS = new Set([2002, 2003, 2006, 2013, 1053, 1040]);
const UNAVAILABLE_MESSAGES = /closed state|Connection lost|Pool is closed|connect ETIMEDOUT|connect ECONNREFUSED|server has gone away/i;

export function isDatabaseUnavailable(e: unknown): boolean {
  for (
    let err = e as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    err && depth < 4;
    depth++
  ) {
    if (typeof err.code === 'string' && UNAVAILABLE_CODES.has(err.code)) return true;
    if (typeof err.errno === 'number' && UNAVAILABLE_ERRNOS.has(err.errno)) return true;
    if (typeof err.message === 'string' && UNAVAILABLE_MESSAGES.test(err.message)) return true;
    err = (err.driverError ?? err.cause) as typeof err;
  }
  return false;
}

/** Thrown when the database does not answer within a deadline (a frozen server holds a query for ever otherwise). */
export class DatabaseTimeoutError extends Error {
  readonly code = DATABASE_TIMEOUT;
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
  }
}

/** `work`, or a DatabaseTimeoutError after `ms` (the query itself is not cancelled: its connection answers or dies later). */
export async function withDatabaseTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One component's log of a database outage: the first failure is logged at once, then one line every `everyMs`
 * with how many failures were not logged, and one line when the database answers again — instead of one line per
 * frame, request and tick (a 20 s outage under traffic made hundreds of lines with the same cause).
 */
export class OutageLog {
  private since: number | null = null;
  private lastLine = 0;
  private quiet = 0;
  private lastFailure = 0;

  constructor(
    private readonly log: Pick<Logger, 'warn' | 'log'>,
    private readonly where: string,
    private readonly everyMs = 30_000,
  ) {}

  /** Call on every failure: true (and logged sparingly) when it was the database being away, false otherwise. */
  failed(e: unknown): boolean {
    if (!isDatabaseUnavailable(e)) return false;
    const now = Date.now();
    const error = e instanceof Error ? e.message : String(e);
    // A component that sees only failures (the HTTP filter) never calls succeeded(): a long quiet gap starts a new outage.
    if (this.since !== null && now - this.lastFailure > 2 * this.everyMs) this.since = null;
    this.lastFailure = now;
    if (this.since === null) {
      this.since = this.lastLine = now;
      this.quiet = 0;
      this.log.warn(JSON.stringify({ event: 'database_unavailable', where: this.where, error }));
    } else if (now - this.lastLine >= this.everyMs) {
      this.log.warn(JSON.stringify({ event: 'database_still_unavailable', where: this.where, forMs: now - this.since, notLogged: this.quiet, error }));
      this.lastLine = now;
      this.quiet = 0;
    } else {
      this.quiet++;
    }
    return true;
  }

  /** Call after a success: logs once that the database is back. */
  succeeded(): void {
    if (this.since === null) return;
    this.log.log(JSON.stringify({ event: 'database_available_again', where: this.where, downMs: Date.now() - this.since, notLogged: this.quiet }));
    this.since = null;
  }

  get down(): boolean {
    return this.since !== null;
  }
}
