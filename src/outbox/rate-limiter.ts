import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '../database/transaction';
import { formatLog, parseLog, settle, slide, started } from './rate-limit.rules';
import { RateWindow } from './rate-window.entity';

export interface RateLimit {
  /** e.g. 'dingtalk:webhook:12' — one per robot, member or API. */
  bucket: string;
  limit: number;
  windowMs: number;
}

/**
 * Issue 6 §4: limits shared by all instances, kept in the database as sliding logs (rate-limit.rules.ts). The bucket
 * row is locked while it is counted, so two instances cannot both take the last slot. Sending inside the platform's
 * documented limit means the platform never has to throttle us (a custom robot that is throttled stays silent for
 * 10 minutes).
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes one slot in every bucket, or none: returns 0, or how long to wait before trying again. A slot taken is held
   * as "under way" until `settle` records when the platform answered (rate-limit.rules.ts).
   */
  async acquire(limits: RateLimit[], now: Date): Promise<number> {
    if (limits.length === 0) return 0;
    const t = now.getTime();
    return inTransaction(
      this.db,
      async (em) => {
        let wait = 0;
        const logs: { bucket: string; log: number[] }[] = [];
        for (const l of [...limits].sort((a, b) => (a.bucket < b.bucket ? -1 : 1))) {
          // Lock first; only a bucket's very first use inserts (INSERT IGNORE on an existing row would take a shared
          // lock that two instances then both try to upgrade — a deadlock).
          const locked = () => {
            const qb = em.createQueryBuilder(RateWindow, 'w').where('w.bucket = :b', { b: l.bucket });
            if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
            return qb.getOne();
          };
          let row = await locked();
          if (!row) {
            await em.createQueryBuilder().insert().into(RateWindow).values({ bucket: l.bucket, sentAt: null }).orIgnore().updateEntity(false).execute();
            row = (await locked())!;
          }
          const r = slide(parseLog(row.sentAt), t, l.limit, l.windowMs);
          wait = Math.max(wait, r.wait);
          logs.push({ bucket: l.bucket, log: r.log });
        }
        if (wait > 0) return wait;
        for (const { bucket, log } of logs) await em.update(RateWindow, { bucket }, { sentAt: formatLog([...log, started(t)]) });
        return 0;
      },
      // Issue 17: lock first, then read — READ COMMITTED, the level the pool's sessions run (no statement to set it).
      { attempts: 6, isolation: 'READ COMMITTED' },
    );
  }

  /**
   * The send that took its slots at `startedAt` has its answer (or gave up) at `answeredAt`: from now on its slots count
   * from then. Not called, or failing, the slot is only held longer (IN_FLIGHT_MAX_MS), never given twice.
   */
  async settle(limits: RateLimit[], startedAt: Date, answeredAt: Date): Promise<void> {
    if (limits.length === 0) return;
    await inTransaction(
      this.db,
      async (em) => {
        for (const l of [...limits].sort((a, b) => (a.bucket < b.bucket ? -1 : 1))) {
          const qb = em.createQueryBuilder(RateWindow, 'w').where('w.bucket = :b', { b: l.bucket });
          if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
          const row = await qb.getOne();
          if (!row) continue;
          const log = settle(parseLog(row.sentAt), startedAt.getTime(), answeredAt.getTime());
          await em.update(RateWindow, { bucket: l.bucket }, { sentAt: formatLog(log) });
        }
      },
      { attempts: 6, isolation: 'READ COMMITTED' },
    );
  }
}
