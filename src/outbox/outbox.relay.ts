import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, In } from 'typeorm';
import type { Platform } from '../shared/vocabulary';
import { Clock } from '../shared/clock';
import { notFound } from '../shared/errors';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { CardInstance } from '../chat/card-instance.entity';
import { DeliveryError, PLATFORM_SENDERS, PlatformSender } from './delivery';
import { CARD_KINDS, OutboundComposer } from './outbound.composer';
import { OutboxMessage } from './outbox-message.entity';
import { RateLimiter } from './rate-limiter';
import { inTransaction } from '../database/transaction';
import { OutageLog } from '../database/outage';

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
      if (row.target.startsWith('cards:')) return await this.fanOut(row);
      if (row.target.startsWith('card:') && (await this.heldForCreate(row))) return;
      const deliveries = await this.composer.compose(row, new Set(this.senders.keys()));
      for (const [i, d] of deliveries.entries()) {
        const sender = this.senders.get(d.platform);
        if (!sender) throw new DeliveryError('permanent', `平台 ${d.platform} 未启用（未配置），无法发送`);
        if (d.outbound.type === 'card' && (d.to.type === 'group' || d.to.type === 'person')) {
          // The outTrackId is fixed before the first try: a retry after a crash re-sends the same card, which the
          // platform recognises instead of showing twice. The second try finds the row there: without updateEntity(false)
          // TypeORM fails looking for the id of a row it did not insert, and a create held back by the limiter never went.
          const outTrackId = `dbn-${row.id}-${i}`;
          await this.db.createQueryBuilder().insert().into(CardInstance).values({ outTrackId, platform: d.platform, kind: d.outbound.kind, itemId: d.outbound.itemId, subject: d.outbound.subject ?? null, target: row.target, outboxId: row.id }).orIgnore().updateEntity(false).execute();
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
      let err = e instanceof DeliveryError ? e : new DeliveryError('retry', e instanceof Error ? e.message : String(e));
      // The platform does not know the card yet while its create is still on its way: that passes (issue 11 D12).
      if (err.kind === 'permanent' && row.target.startsWith('card:') && err.message.includes('cardNotExist') && (await this.createOf(row))?.status === 'pending') {
        err = new DeliveryError('retry', err.message);
      }
      const attempts = row.attempts + 1;
      const dead = err.kind === 'permanent' || attempts >= MAX_ATTEMPTS;
      const dueAt = new Date(this.clock.now().getTime() + (err.afterMs ?? backoff(attempts)));
      await repo.update({ id: row.id }, { status: dead ? 'dead' : 'pending', attempts, dueAt, lastError: err.message.slice(0, 500), ...release });
      this.log.warn(JSON.stringify({ event: dead ? 'outbox_dead_letter' : 'outbox_retry', id: row.id, kind: row.kind, target: row.target, attempts, error: err.message }));
    }
  }

  /**
   * Issue 11 D12: a refresh of all an item's cards becomes one row per card (card:<id>), written in one transaction
   * with this row's completion, so each card is updated, retried and, if it must be, dead-lettered on its own — one
   * card refused no longer keeps the others stale. A card whose create has not been sent yet gets its row too: it
   * waits for the create (heldForCreate). A card row is never written twice for the same refresh (dedupe key).
   */
  private async fanOut(row: OutboxMessage): Promise<void> {
    const now = this.clock.now();
    if (await this.createInFlight(row, now)) {
      await this.db.getRepository(OutboxMessage).update({ id: row.id }, { dueAt: new Date(now.getTime() + 250), lastError: '等待正在发出的卡片登记后再更新', lockedBy: null, lockedUntil: null });
      return;
    }
    await inTransaction(this.db, async (em) => {
      const cards = await em.findBy(CardInstance, { itemId: Number(row.target.slice('cards:'.length)) });
      const cause = createHash('sha1').update(row.dedupeKey).digest('hex');
      const keyOf = (c: CardInstance) => `card:${c.id}:${cause}`;
      const existing = cards.length ? new Set((await em.findBy(OutboxMessage, { dedupeKey: In(cards.map(keyOf)) })).map((r) => r.dedupeKey)) : new Set<string>();
      const rows = cards
        .filter((c) => !existing.has(keyOf(c)))
        .map((c): Partial<OutboxMessage> => ({ kind: row.kind, target: `card:${c.id}`, platform: c.platform, itemId: row.itemId, payload: row.payload, dedupeKey: keyOf(c), status: 'pending', attempts: 0, dueAt: now }));
      if (rows.length) await em.save(OutboxMessage, rows);
      await em.update(OutboxMessage, { id: row.id }, { status: 'sent', sentAt: now, attempts: row.attempts + 1, lastError: null, lockedBy: null, lockedUntil: null });
    });
  }

  /**
   * A create of one of the item's cards is claimed (by any instance, lease still running) and has not written its
   * card_instance yet: it may have composed the card before the change this refresh is for, and the fan-out would not
   * see it. The refresh waits for it (at most a lease): then the card is known and its update follows its create.
   */
  private async createInFlight(row: OutboxMessage, now: Date): Promise<boolean> {
    const n = await this.db
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      // status + due_at first: a claimed row was due when it was claimed, so only the due backlog is read (ix_outbox_due).
      .where("o.status = 'pending' AND o.due_at <= :now AND o.item_id = :item AND o.kind IN (:...kinds) AND o.locked_until > :now AND o.id <> :me", { item: Number(row.target.slice('cards:'.length)), kinds: Object.keys(CARD_KINDS), now, me: row.id })
      .andWhere('NOT EXISTS (SELECT 1 FROM card_instance c WHERE c.outbox_id = o.id)')
      .getCount();
    return n > 0;
  }

  /** The outbox row that creates this card row's card (null for cards from before the outbox kept it). */
  private async createOf(row: OutboxMessage): Promise<OutboxMessage | null> {
    const card = await this.db.getRepository(CardInstance).findOneBy({ id: Number(row.target.slice('card:'.length)) });
    return card?.outboxId ? this.db.getRepository(OutboxMessage).findOneBy({ id: card.outboxId }) : null;
  }

  /**
   * Issue 11 D12: a card is created before anything updates it. The card_instance row is written when its create is
   * first tried, so a create held back by the send limit (or retrying) already has one: its update waits — not a
   * failure, no attempt counted — until the create is sent, and goes after it. A create that became a dead letter
   * made no card: there is nothing to update (retried, the create shows the state of that moment).
   */
  private async heldForCreate(row: OutboxMessage): Promise<boolean> {
    const create = await this.createOf(row);
    if (!create || create.status === 'sent') return false;
    const repo = this.db.getRepository(OutboxMessage);
    const now = this.clock.now();
    if (create.status === 'dead') {
      await repo.update({ id: row.id }, { status: 'sent', sentAt: now, attempts: row.attempts + 1, lastError: '卡片没有送达（其发送已转为死信），无需更新；重发时会显示当时的状态。', lockedBy: null, lockedUntil: null });
      return true;
    }
    const dueAt = new Date(Math.max(now.getTime() + 500, create.dueAt.getTime() + 100));
    await repo.update({ id: row.id }, { dueAt, lastError: '等待卡片送达后再更新', lockedBy: null, lockedUntil: null });
    return true;
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
