import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, In } from 'typeorm';
import type { Platform } from '../../cases/item.types';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/errors';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { CardInstance } from '../card-instance.entity';
import { DeliveryError, PLATFORM_SENDERS, PlatformSender } from './delivery';
import { OutboundComposer } from './outbound.composer';
import { OutboxMessage } from './outbox-message.entity';
import { RateLimiter } from './rate-limiter';
import { inTransaction } from '../../database/transaction';
import { OutageLog } from '../../database/outage';

const MAX_ATTEMPTS = 12;
/** 2 s, 4 s, 8 s … capped at 10 min, with jitter so many instances do not retry in step. */
const backoff = (attempt: number) => Math.min(600_000, 2000 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);

/**
 * Principle 2: sends what commands queued, after they committed. Rows are claimed with a lease
 * (locked_by/locked_until), so several instances share the work and a crashed one's rows come back after the lease.
 * Throttles and busy answers are retried with backoff; permanent failures become dead letters with the reason.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('outbox');
  /** While the database is away every tick fails the same way: logged once, then every 30 s, then once when it is back. */
  private readonly outage = new OutageLog(this.log, 'outbox');
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly senders = new Map<Platform, PlatformSender>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private stopped = false;
  /** Targets whose send window is full, until when (this instance's view; the database holds the truth). */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly composer: OutboundComposer,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(PLATFORM_SENDERS) senders: PlatformSender[] = [],
  ) {
    for (const s of senders) this.senders.set(s.platform, s);
  }

  onApplicationBootstrap(): void {
    if (this.senders.size === 0) return; // no platform configured: rows wait until one is
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.drain();
        this.outage.succeeded();
      } catch (e) {
        if (!this.outage.failed(e)) this.log.error(JSON.stringify({ event: 'outbox_tick_failed', error: e instanceof Error ? e.message : String(e) }));
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.config.outboxPollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
  }

  /** Claims and delivers everything due now, batch after batch; returns how many rows it handled. One drain at a time per instance. */
  drain(batch = 50): Promise<number> {
    this.draining ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          const claimedAt = this.clock.now().getTime();
          const rows = await this.claim(batch);
          if (rows.length === 0) return total;
          for (const [i, row] of rows.entries()) {
            // A slow batch must not outlive its lease, or another instance would claim and send the same rows:
            // past half the lease, the rest is handed back at once for anyone to take.
            if (this.clock.now().getTime() - claimedAt > this.config.outboxLeaseMs / 2) {
              await this.release(rows.slice(i));
              break;
            }
            // Held back with its target's other rows already (holdTarget moved and released it).
            if (this.isHeld(row.target)) continue;
            await this.deliver(row);
            total++;
          }
          this.log.log(JSON.stringify({ event: 'outbox_batch', instance: this.instanceId, claimed: rows.length, total }));
        }
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /**
   * Claims up to `limit` due rows: on MySQL/MariaDB the candidates are read FOR UPDATE SKIP LOCKED and leased in the
   * same short transaction, so instances never wait on each other; the lease (locked_until) brings a crashed
   * instance's rows back. Delivery happens after the claim commits — no lock is held across a network call.
   */
  private async claim(limit: number): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.outboxLeaseMs);
    const mysql = ['mysql', 'mariadb'].includes(this.db.options.type);
    const ids = await inTransaction(this.db, async (em) => {
      // Rows for a platform this instance has not switched on wait (pending) until one that has picks them up.
      const qb = em
        .createQueryBuilder(OutboxMessage, 'o')
        .select('o.id', 'id')
        .where("o.status = 'pending' AND o.due_at <= :now AND (o.locked_until IS NULL OR o.locked_until < :now)", { now })
        .andWhere('(o.platform IS NULL OR o.platform IN (:...enabled))', { enabled: [...this.senders.keys()] })
        .orderBy('o.due_at', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(limit);
      if (mysql) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const found = (await qb.getRawMany<{ id: number }>()).map((c) => Number(c.id));
      if (found.length === 0) return [];
      // The WHERE repeats the "free" test: without row locks (SQLite), of two racing claims only one UPDATE matches.
      await em
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ lockedBy: this.instanceId, lockedUntil: until })
        .where({ id: In(found) })
        .andWhere("status = 'pending' AND (locked_until IS NULL OR locked_until < :now)", { now })
        .execute();
      return found;
    });
    if (ids.length === 0) return [];
    return this.db.getRepository(OutboxMessage).find({ where: { id: In(ids), lockedBy: this.instanceId, lockedUntil: until }, order: { id: 'ASC' } });
  }

  /**
   * The target's window is full: every row waiting for it would be told the same, so they are all moved to the
   * instant a slot frees, in one UPDATE, and this instance skips the target until then. A busy target's backlog then
   * costs one limiter call per slot instead of one per waiting row.
   */
  private async holdTarget(row: OutboxMessage, wait: number): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + wait);
    await this.db
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ dueAt: until, lastError: `限速：等待 ${Math.ceil(wait / 1000)} 秒后发送`, lockedBy: null, lockedUntil: null })
      .where("status = 'pending' AND target = :target AND due_at < :until", { target: row.target, until })
      .andWhere('(locked_by IS NULL OR locked_by = :me OR locked_until < :now)', { me: this.instanceId, now })
      .execute();
    this.held.set(row.target, until.getTime());
  }

  private isHeld(target: string): boolean {
    const until = this.held.get(target);
    if (until === undefined) return false;
    if (until > this.clock.now().getTime()) return true;
    this.held.delete(target);
    return false;
  }

  private async release(rows: OutboxMessage[]): Promise<void> {
    await this.db.getRepository(OutboxMessage).update({ id: In(rows.map((r) => r.id)), lockedBy: this.instanceId }, { lockedBy: null, lockedUntil: null });
  }

  private async deliver(row: OutboxMessage): Promise<void> {
    const repo = this.db.getRepository(OutboxMessage);
    const release = { lockedBy: null, lockedUntil: null };
    try {
      const deliveries = await this.composer.compose(row, new Set(this.senders.keys()));
      for (const [i, d] of deliveries.entries()) {
        const sender = this.senders.get(d.platform);
        if (!sender) throw new DeliveryError('permanent', `平台 ${d.platform} 未启用（未配置），无法发送`);
        if (d.outbound.type === 'card' && (d.to.type === 'group' || d.to.type === 'person')) {
          // The outTrackId is fixed before the first try: a retry after a crash re-sends the same card, which the
          // platform recognises instead of showing twice.
          const outTrackId = `dbn-${row.id}-${i}`;
          await this.db.createQueryBuilder().insert().into(CardInstance).values({ outTrackId, platform: d.platform, kind: d.outbound.kind, itemId: d.outbound.itemId, subject: d.outbound.subject ?? null, target: row.target, outboxId: row.id }).orIgnore().execute();
          d.outbound = { ...d.outbound, outTrackId };
        }
        // Issue 6 §4: stay inside the platform's limit for this target (shared by all instances) instead of being throttled.
        const wait = await this.limiter.acquire(sender.limits?.(d.outbound, d.to) ?? [], this.clock.now());
        if (wait > 0) {
          await this.holdTarget(row, wait);
          return;
        }
        await sender.deliver(row, d.outbound, d.to);
      }
      await repo.update({ id: row.id }, { status: 'sent', sentAt: this.clock.now(), attempts: row.attempts + 1, lastError: null, ...release });
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError('retry', e instanceof Error ? e.message : String(e));
      const attempts = row.attempts + 1;
      const dead = err.kind === 'permanent' || attempts >= MAX_ATTEMPTS;
      const dueAt = new Date(this.clock.now().getTime() + (err.afterMs ?? backoff(attempts)));
      await repo.update({ id: row.id }, { status: dead ? 'dead' : 'pending', attempts, dueAt, lastError: err.message.slice(0, 500), ...release });
      this.log.warn(JSON.stringify({ event: dead ? 'outbox_dead_letter' : 'outbox_retry', id: row.id, kind: row.kind, target: row.target, attempts, error: err.message }));
    }
  }

  async deadLetters(): Promise<OutboxMessage[]> {
    return this.db.getRepository(OutboxMessage).find({ where: { status: 'dead' }, order: { id: 'DESC' }, take: 500 });
  }

  /** An admin sends a dead letter again (after fixing the cause). */
  async retry(id: number): Promise<OutboxMessage> {
    const repo = this.db.getRepository(OutboxMessage);
    const r = await repo.update({ id, status: 'dead' }, { status: 'pending', attempts: 0, dueAt: this.clock.now(), lastError: null });
    if ((r.affected ?? 0) === 0) throw notFound('OUTBOX.NOT_DEAD', `没有编号为 ${id} 的死信。`);
    return repo.findOneByOrFail({ id });
  }
}
