import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { Clock } from '../shared/clock';
import { notFound } from '../shared/errors';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DeliveryError } from './delivery';
import { Delivery, DeliveryPlan, OUTBOX_DELIVERER, OutboxDeliverer } from './outbox.deliverer';
import { OutboxMessage } from './outbox-message.entity';
import { type RateLimit, RateLimiter } from './rate-limiter';
import { inTransaction } from '../database/transaction';
import { JobsService } from '../jobs/jobs.service';
import { isDatabaseUnavailable } from '../database/outage';
import { MessageKinds } from './message-kinds';
import { DIGEST_LIST_MAX, DIGEST_MIN_RUN, DIGEST_TAKE_MAX } from './digest.rules';

const MAX_ATTEMPTS = 12;
/** How many drains a note of a row that went out may fail to be written for a reason other than an outage (recordLate). */
const MAX_NOTE_FAILURES = 3;
/** Issue 17: a target whose digest the platform refused for good gets its notices one by one for this long (each then passes or fails on its own). */
const SINGLY_MS = 10 * 60_000;
/** Issue 17: for this long after a digest to a target, what still waits for it goes as a digest too, however few. */
const DIGEST_TAIL_MS = 60_000;
/** How a row held back by its target's send limit begins its note (holdTarget); such a row's target is at its limit. */
const HELD_NOTE = '限速：';
/** A send's slots and when the platform answered it (RateLimiter.settle). */
type Answered = { limits: RateLimit[]; startedAt: Date; answeredAt: Date };
/** 2 s, 4 s, 8 s … capped at 10 min, with jitter so many instances do not retry in step. */
const backoff = (attempt: number) => Math.min(600_000, 2000 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);

/**
 * Principle 2: sends what commands queued, after they committed. Rows are claimed with a lease
 * (locked_by/locked_until), so several instances share the work and a crashed one's rows come back after the lease.
 * Throttles and busy answers are retried with backoff; permanent failures become dead letters with the reason.
 * What a row becomes and how it reaches people is the deliverer's (OUTBOX_DELIVERER, implemented by chat).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The relay's polling, a job of JobsService's (issue 12 §5). */
  static readonly JOB = 'outbox.relay';
  private readonly log = new Logger('outbox');
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** The platforms switched on here (none without a deliverer: rows wait). */
  private readonly platforms: readonly string[];
  private draining: Promise<number> | null = null;
  /** Targets whose send window is full, until when (this instance's view; the database holds the truth). */
  private readonly held = new Map<string, number>();
  /**
   * P2: rows this instance delivered — the platform said ok — but could not mark sent, because the database went away
   * in between (issue 11). Only this instance knows they went out: the note is written first when the database answers
   * again, before anything is claimed, so the row is not sent a second time once its lease has run out.
   */
  private readonly unrecorded = new Map<number, { sentAt: Date; attempts: number; failures: number }>();
  /** Issue 17: targets whose digest was refused for good, until when their notices go one by one (this instance's view). */
  private readonly singly = new Map<string, number>();
  /** Issue 17: when this instance last sent each target a digest — what is left of its backlog goes as digests too. */
  private readonly digestedAt = new Map<string, number>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly jobs: JobsService,
    private readonly kinds: MessageKinds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(OUTBOX_DELIVERER) private readonly deliverer: OutboxDeliverer | null = null,
  ) {
    this.platforms = deliverer ? [...new Set(deliverer.platforms)] : [];
  }

  /**
   * Drains at once, then DUBAN_OUTBOX_POLL_MS after each drain has ended. While the database is away every tick fails
   * the same way: logged once, then every 30 s, then once when it is back (JobsService's OutageLog, where 'outbox').
   */
  onApplicationBootstrap(): void {
    if (this.platforms.length === 0) return; // no platform configured: rows wait until one is
    this.jobs.addChain(
      {
        name: OutboxRelay.JOB,
        logger: 'outbox',
        failedEvent: 'outbox_tick_failed',
        run: async () => {
          await this.drain();
        },
      },
      this.config.outboxPollMs,
      0,
    );
  }

  /** JobsService has stopped the polling and waited for its tick already; a drain started by anyone else is waited for here. */
  async onApplicationShutdown(): Promise<void> {
    this.jobs.remove(OutboxRelay.JOB);
    await this.draining?.catch(() => undefined);
    if (this.unrecorded.size === 0) return;
    try {
      await this.recordLate();
    } catch {
      // The database is still away: these went out, and will go out again after their lease (no one else knows).
      this.log.warn(JSON.stringify({ event: 'outbox_sent_unrecorded_at_shutdown', ids: [...this.unrecorded.keys()] }));
    }
  }

  /** Claims and delivers everything due now, batch after batch; returns how many rows it handled. One drain at a time per instance. */
  drain(batch = 50): Promise<number> {
    this.draining ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          // What went out before the database went away is written down before anything is claimed (P2).
          if (this.unrecorded.size > 0) await this.recordLate();
          const claimedAt = this.clock.now().getTime();
          const rows = await this.claim(batch);
          if (rows.length === 0) return total;
          /** Rows of this batch a digest has taken (sent in it, or handed back for the next one). */
          const taken = new Set<number>();
          /** Rows of this batch whose target is held back (they came after holdTarget moved the others). */
          const heldBack: OutboxMessage[] = [];
          for (const [i, row] of rows.entries()) {
            // A slow batch must not outlive its lease, or another instance would claim and send the same rows:
            // past half the lease, the rest is handed back at once for anyone to take.
            if (this.clock.now().getTime() - claimedAt > this.config.outboxLeaseMs / 2) {
              await this.release(rows.slice(i).map((r) => r.id));
              break;
            }
            if (taken.has(row.id)) continue;
            // Held back with its target's other rows already (holdTarget moved and released it) — or written since:
            // then it waits with them (below), not under this claim's lease until the lease runs out.
            if (this.isHeld(row.target)) {
              heldBack.push(row);
              continue;
            }
            const others = await this.gatherDigest(
              row,
              rows.slice(i + 1).some((r) => !taken.has(r.id) && r.target === row.target && r.platform === row.platform && this.kinds.coalesces(r.kind)),
            );
            if (others) {
              for (const t of others) taken.add(t.id);
              total += await this.deliverDigest(row, others);
              continue;
            }
            await this.deliver(row);
            total++;
          }
          await this.holdBack(heldBack);
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
   *
   * READ COMMITTED (issue 17): under REPEATABLE READ the locking read takes next-key locks on all it scans — on a small
   * table the whole primary key up to its supremum, the gap every new row goes into — and its UPDATE then waited for a
   * row a command had inserted and not yet committed, while that command's next outbox INSERT waited for the claim's
   * gap lock: a deadlock. Under READ COMMITTED there are no gap locks, rows that do not match are let go at once, and
   * the UPDATE passes over a row someone else is still writing (semi-consistent read) instead of waiting for it; the
   * claim takes exactly the rows it locked (test/security/outbox-claim-locks.test.ts).
   */
  private async claim(limit: number): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.outboxLeaseMs);
    const mysql = ['mysql', 'mariadb'].includes(this.db.options.type);
    const ids = await inTransaction(
      this.db,
      async (em) => {
        // Rows for a platform this instance has not switched on wait (pending) until one that has picks them up.
        const qb = em
          .createQueryBuilder(OutboxMessage, 'o')
          .select('o.id', 'id')
          .where("o.status = 'pending' AND o.due_at <= :now AND (o.locked_until IS NULL OR o.locked_until < :now)", { now })
          .andWhere('(o.platform IS NULL OR o.platform IN (:...enabled))', { enabled: [...this.platforms] })
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
      },
      { isolation: 'READ COMMITTED' },
    );
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
      .set({ dueAt: until, lastError: `${HELD_NOTE}等待 ${Math.ceil(wait / 1000)} 秒后发送`, lockedBy: null, lockedUntil: null })
      .where("status = 'pending' AND target = :target AND due_at < :until", { target: row.target, until })
      .andWhere('(locked_by IS NULL OR locked_by = :me OR locked_until < :now)', { me: this.instanceId, now })
      .execute();
    this.held.set(row.target, until.getTime());
  }

  /**
   * Issue 17: rows claimed while their target is held back — written after holdTarget moved its rows — wait with the
   * others until the slot frees, released. Before, they stayed under this claim's lease, skipped, and went only once
   * the lease had run out (a minute), behind everything written after them.
   */
  private async holdBack(rows: OutboxMessage[]): Promise<void> {
    for (const target of new Set(rows.map((r) => r.target))) {
      const until = this.held.get(target);
      if (until === undefined) continue;
      const wait = Math.max(0, until - this.clock.now().getTime());
      await this.db
        .getRepository(OutboxMessage)
        .update(
          { id: In(rows.filter((r) => r.target === target).map((r) => r.id)), lockedBy: this.instanceId, status: 'pending' },
          { dueAt: new Date(until), lastError: `${HELD_NOTE}等待 ${Math.ceil(wait / 1000)} 秒后发送`, lockedBy: null, lockedUntil: null },
        );
    }
  }

  private isHeld(target: string): boolean {
    const until = this.held.get(target);
    if (until === undefined) return false;
    if (until > this.clock.now().getTime()) return true;
    this.held.delete(target);
    return false;
  }

  private async release(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.getRepository(OutboxMessage).update({ id: In(ids), lockedBy: this.instanceId }, { lockedBy: null, lockedUntil: null });
  }

  /**
   * Issue 17 ("notices that cannot drain"): a notice of a kind that coalesces (MessageKinds) for a group or a person,
   * with more such notices due for the same target and platform, takes them along: the run of them from this one on,
   * in the order they would be sent, up to the first row of another kind (a card, a reply: it keeps its place, the
   * digest stops before it). They are taken as claim() takes rows — a locking read that skips what another instance
   * is claiming, then a lease — so no other instance sends them: the whole run (up to DIGEST_TAKE_MAX), as the digest
   * may stand for all of it (a flood); what it does not stand for is handed back once it is composed.
   * Only for a backlog: DIGEST_MIN_RUN notices waiting at once, a target already at its send limit (this row was held
   * back by it), or the rest of a backlog this instance has been sending as digests (DIGEST_TAIL_MS). A notice with
   * no fellow in its batch, and no backlog, is not even looked for company: the common case costs no statement more.
   * Null: this row goes on its own, exactly as before — a lone notice, a few, or another kind. Else the rows leased,
   * earliest first, this row the first of them.
   */
  private async gatherDigest(lead: OutboxMessage, fellowInBatch: boolean): Promise<{ id: number; attempts: number }[] | null> {
    if (!this.deliverer?.planDigest || !this.kinds.coalesces(lead.kind) || !/^(group|person):/.test(lead.target)) return null;
    const now = this.clock.now();
    if ((this.singly.get(lead.target) ?? 0) > now.getTime()) return null;
    const digested = this.digestedAt.get(lead.target);
    if (digested !== undefined && now.getTime() - digested >= DIGEST_TAIL_MS) this.digestedAt.delete(lead.target);
    // A backlog already: the target is at its send limit, or is being sent digests (the rest of its backlog).
    const backlog = (lead.lastError?.startsWith(HELD_NOTE) ?? false) || this.digestedAt.has(lead.target);
    if (!fellowInBatch && !backlog) return null;
    const until = new Date(now.getTime() + this.config.outboxLeaseMs);
    const mysql = ['mysql', 'mariadb'].includes(this.db.options.type);
    const leased = await inTransaction(
      this.db,
      async (em) => {
        const qb = em
          .createQueryBuilder(OutboxMessage, 'o')
          .select('o.id', 'id')
          .addSelect('o.kind', 'kind')
          .addSelect('o.platform', 'platform')
          .where("o.status = 'pending' AND o.target = :target AND o.due_at <= :now AND o.due_at >= :due", { target: lead.target, now, due: lead.dueAt })
          .andWhere('(o.locked_by = :me OR o.locked_until IS NULL OR o.locked_until < :now)', { me: this.instanceId })
          .orderBy('o.due_at', 'ASC')
          .addOrderBy('o.id', 'ASC')
          .limit(DIGEST_TAKE_MAX);
        if (mysql) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
        const found = await qb.getRawMany<{ id: number; kind: string; platform: string | null }>();
        const from = found.findIndex((f) => Number(f.id) === lead.id);
        if (from < 0) return [];
        const run: number[] = [];
        for (const f of found.slice(from)) {
          if ((f.platform ?? null) !== (lead.platform ?? null)) continue; // goes elsewhere: not in the way
          if (!this.kinds.coalesces(f.kind)) break;
          run.push(Number(f.id));
        }
        if (run.length < 2 || (run.length < DIGEST_MIN_RUN && !backlog)) return [];
        await em
          .createQueryBuilder()
          .update(OutboxMessage)
          .set({ lockedBy: this.instanceId, lockedUntil: until })
          .where({ id: In(run) })
          .andWhere("status = 'pending' AND (locked_by = :me OR locked_until IS NULL OR locked_until < :now)", { me: this.instanceId, now })
          .execute();
        return em.find(OutboxMessage, {
          select: { id: true, attempts: true },
          where: { id: In(run), lockedBy: this.instanceId, lockedUntil: until },
          order: { dueAt: 'ASC', id: 'ASC' },
        });
      },
      { isolation: 'READ COMMITTED' },
    );
    if (leased.length >= 2 && leased[0].id === lead.id) return leased.map((r) => ({ id: r.id, attempts: r.attempts }));
    // Only this row after all: the others are handed back; this one is still this instance's and goes on its own.
    await this.release(leased.filter((r) => r.id !== lead.id).map((r) => r.id));
    return null;
  }

  /**
   * Issue 17: each send's answer time is written into its rate windows (RateLimiter.settle) once the row's own outcome
   * is recorded — the answer time is taken when the answer comes, so writing it a moment later changes nothing but
   * how soon the slot is seen free; the row's 'sent' comes first.
   */
  private async deliver(row: OutboxMessage): Promise<void> {
    const answered: Answered[] = [];
    try {
      await this.deliverOnce(row, answered);
    } finally {
      await this.settleAll(row, answered);
    }
  }

  private async settleAll(row: OutboxMessage, answered: Answered[]): Promise<void> {
    for (const a of answered)
      await this.limiter
        .settle(a.limits, a.startedAt, a.answeredAt)
        .catch((e: unknown) =>
          this.log.warn(JSON.stringify({ event: 'rate_settle_failed', target: row.target, error: e instanceof Error ? e.message : String(e) })),
        );
  }

  private async deliverOnce(row: OutboxMessage, answered: Answered[]): Promise<void> {
    const repo = this.db.getRepository(OutboxMessage);
    const release = { lockedBy: null, lockedUntil: null };
    let sentAt: Date;
    try {
      const plan = await this.deliverer!.plan(row);
      if (plan.type === 'fan-out') return await this.fanOut(row, plan);
      if (plan.type === 'wait') {
        // Not a failure, no attempt counted: the row comes back when what it waits for may be there.
        await repo.update({ id: row.id }, { dueAt: plan.dueAt, lastError: plan.note, ...release });
        return;
      }
      if (plan.type === 'done') {
        await repo.update({ id: row.id }, { status: 'sent', sentAt: this.clock.now(), attempts: row.attempts + 1, lastError: plan.note, ...release });
        return;
      }
      if (!(await this.sendAll(row, plan.deliveries, answered))) return;
      sentAt = this.clock.now();
    } catch (e) {
      let err = e instanceof DeliveryError ? e : new DeliveryError('retry', e instanceof Error ? e.message : String(e));
      // Refused for good only because something it needs is still on its way (issue 11 D12: a card's create): that passes.
      if (err.kind === 'permanent' && (await this.deliverer!.notYet(row, err))) {
        err = new DeliveryError('retry', err.message);
      }
      const attempts = row.attempts + 1;
      const dead = err.kind === 'permanent' || attempts >= MAX_ATTEMPTS;
      const dueAt = new Date(this.clock.now().getTime() + (err.afterMs ?? backoff(attempts)));
      await repo.update({ id: row.id }, { status: dead ? 'dead' : 'pending', attempts, dueAt, lastError: err.message.slice(0, 500), ...release });
      this.log.warn(
        JSON.stringify({ event: dead ? 'outbox_dead_letter' : 'outbox_retry', id: row.id, kind: row.kind, target: row.target, attempts, error: err.message }),
      );
      return;
    }
    await this.recordSent(row, sentAt);
  }

  /**
   * Sends the deliveries one after the other, each inside its limits; false when a target's window is full — then the
   * target's rows, these among them, have been held back to when a slot frees (holdTarget) and nothing more is sent.
   */
  private async sendAll(row: OutboxMessage, deliveries: Delivery[], answered: Answered[]): Promise<boolean> {
    for (const d of deliveries) {
      const limits = await d.prepare();
      // Issue 6 §4: stay inside the platform's limit for this target (shared by all instances) instead of being throttled.
      const startedAt = this.clock.now();
      const wait = await this.limiter.acquire(limits, startedAt);
      if (wait > 0) {
        await this.holdTarget(row, wait);
        return false;
      }
      try {
        await d.send();
      } finally {
        // The platform counted this send somewhere between its start and now.
        if (limits.length) answered.push({ limits, startedAt, answeredAt: this.clock.now() });
      }
    }
    return true;
  }

  /**
   * Issue 17: the rows gatherDigest took, sent as one message — or, when the digest lists fewer than two of them, the
   * first on its own as before and the others handed back. P2: the rows it stands for are marked sent together once
   * the platform took it, in one transaction; if it fails they all go back together (one attempt each) — a retry, or,
   * refused for good, one by one from now on, so that each notice passes or fails on its own. Returns how many rows
   * it handled.
   */
  private async deliverDigest(lead: OutboxMessage, taken: { id: number; attempts: number }[]): Promise<number> {
    const answered: Answered[] = [];
    try {
      return await this.deliverDigestOnce(lead, taken, answered);
    } finally {
      await this.settleAll(lead, answered);
    }
  }

  private async deliverDigestOnce(lead: OutboxMessage, taken: { id: number; attempts: number }[], answered: Answered[]): Promise<number> {
    let covered = taken;
    let listed = 0;
    let sentAt: Date;
    let alone = false;
    try {
      const rows = await this.db
        .getRepository(OutboxMessage)
        .find({ where: { id: In(taken.slice(0, DIGEST_LIST_MAX).map((t) => t.id)) }, order: { dueAt: 'ASC', id: 'ASC' } });
      const digest = await this.deliverer!.planDigest!(rows, taken.length);
      listed = digest.listed;
      covered = taken.slice(0, digest.covers);
      // What it does not list, and does not count, waits for the next digest.
      await this.release(taken.slice(covered.length).map((t) => t.id));
      if (covered.length < 2 || digest.plan.type !== 'send') {
        // The first notice alone fills a message (or there is something else to do): it goes as it would alone.
        await this.release(covered.slice(1).map((t) => t.id));
        alone = true;
      } else {
        if (!(await this.sendAll(lead, digest.plan.deliveries, answered))) return covered.length;
        sentAt = this.clock.now();
      }
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError('retry', e instanceof Error ? e.message : String(e));
      const now = this.clock.now();
      const ids = covered.map((t) => t.id);
      const attempts = Math.max(...covered.map((t) => t.attempts)) + 1;
      // Refused for good as a digest (too long, a format the chat does not take): each notice is tried alone, at once.
      if (err.kind === 'permanent') this.singly.set(lead.target, now.getTime() + SINGLY_MS);
      const dueAt = err.kind === 'permanent' ? now : new Date(now.getTime() + (err.afterMs ?? backoff(attempts)));
      await inTransaction(this.db, async (em) => {
        await em
          .createQueryBuilder()
          .update(OutboxMessage)
          .set({ status: 'pending', attempts: () => 'attempts + 1', dueAt, lastError: err.message.slice(0, 500), lockedBy: null, lockedUntil: null })
          .where({ id: In(ids) })
          .execute();
        await em.update(OutboxMessage, { id: In(ids), attempts: MoreThanOrEqual(MAX_ATTEMPTS) }, { status: 'dead' });
      });
      this.log.warn(
        JSON.stringify({
          event: 'outbox_digest_retry',
          id: lead.id,
          rows: ids.length,
          target: lead.target,
          permanent: err.kind === 'permanent',
          error: err.message,
        }),
      );
      return covered.length;
    }
    if (alone) {
      await this.deliverOnce(lead, answered);
      return 1;
    }
    await this.recordDigestSent(covered, listed, sentAt!);
    this.digestedAt.set(lead.target, this.clock.now().getTime());
    this.log.log(JSON.stringify({ event: 'outbox_digest', instance: this.instanceId, id: lead.id, target: lead.target, rows: covered.length, listed }));
    return covered.length;
  }

  /**
   * The digest went out: every row it stands for becomes sent, in one transaction, each with a note of how (its last
   * error, which for a sent row says how it went). If that write fails, as recordSent: the notes are kept and written
   * first when the database answers again.
   */
  private async recordDigestSent(covered: { id: number; attempts: number }[], listed: number, sentAt: Date): Promise<void> {
    const done = { status: 'sent' as const, sentAt, attempts: () => 'attempts + 1', lockedBy: null, lockedUntil: null };
    const inList = covered.slice(0, listed).map((t) => t.id);
    const counted = covered.slice(listed).map((t) => t.id);
    try {
      await inTransaction(this.db, async (em) => {
        await em
          .createQueryBuilder()
          .update(OutboxMessage)
          .set({ ...done, lastError: `已在汇总消息中发出（共 ${covered.length} 条）` })
          .where({ id: In(inList) })
          .execute();
        if (counted.length)
          await em
            .createQueryBuilder()
            .update(OutboxMessage)
            .set({ ...done, lastError: `已计入汇总消息（共 ${covered.length} 条，未逐条列出）` })
            .where({ id: In(counted) })
            .execute();
      });
    } catch (e) {
      for (const t of covered) this.unrecorded.set(t.id, { sentAt, attempts: t.attempts + 1, failures: 0 });
      this.log.warn(
        JSON.stringify({
          event: 'outbox_sent_unrecorded',
          ids: covered.map((t) => t.id),
          error: e instanceof Error ? e.message : String(e),
        }),
      );
      throw e;
    }
  }

  /**
   * The platform took the message: the row becomes sent. When even that write fails (the database died just after
   * the platform's answer, issue 11), the message is not "failed" — a retry would show it twice (P2): the row stays
   * leased, this instance keeps the note and writes it first when the database answers again (recordLate). The error
   * goes on, so the drain stops while the database is away.
   */
  private async recordSent(row: OutboxMessage, sentAt: Date): Promise<void> {
    const attempts = row.attempts + 1;
    try {
      await this.db
        .getRepository(OutboxMessage)
        .update({ id: row.id }, { status: 'sent', sentAt, attempts, lastError: null, lockedBy: null, lockedUntil: null });
    } catch (e) {
      this.unrecorded.set(row.id, { sentAt, attempts, failures: 0 });
      this.log.warn(
        JSON.stringify({
          event: 'outbox_sent_unrecorded',
          id: row.id,
          kind: row.kind,
          target: row.target,
          error: e instanceof Error ? e.message : String(e),
        }),
      );
      throw e;
    }
  }

  /**
   * The rows that went out while their write failed (recordSent), marked sent now; throws while the database is still
   * away. A note the database keeps refusing for another reason is given up after a few drains, so it cannot hold the
   * relay up for ever: that row is then sent again after its lease, as before there were notes.
   */
  private async recordLate(): Promise<void> {
    for (const [id, note] of [...this.unrecorded]) {
      try {
        // Only a row still pending: one that another instance sent after the lease ran out (it could not know) keeps its record.
        await this.db
          .getRepository(OutboxMessage)
          .update(
            { id, status: 'pending' },
            { status: 'sent', sentAt: note.sentAt, attempts: note.attempts, lastError: null, lockedBy: null, lockedUntil: null },
          );
      } catch (e) {
        if (isDatabaseUnavailable(e) || ++note.failures < MAX_NOTE_FAILURES) throw e;
        this.unrecorded.delete(id);
        this.log.error(JSON.stringify({ event: 'outbox_sent_note_dropped', id, error: e instanceof Error ? e.message : String(e) }));
        continue;
      }
      this.unrecorded.delete(id);
      this.log.log(JSON.stringify({ event: 'outbox_sent_recorded_late', instance: this.instanceId, id }));
    }
  }

  /**
   * Issue 11 D12: a row that stands for several targets (a refresh of all an item's cards) becomes one row per target,
   * written in one transaction with this row's completion, so each is sent, retried and, if it must be, dead-lettered
   * on its own — one card refused no longer keeps the others stale. A target's row is never written twice for the
   * same cause (dedupe key).
   */
  private async fanOut(row: OutboxMessage, plan: Extract<DeliveryPlan, { type: 'fan-out' }>): Promise<void> {
    const now = this.clock.now();
    await inTransaction(this.db, async (em) => {
      const targets = await plan.targets(em);
      const cause = createHash('sha1').update(row.dedupeKey).digest('hex');
      const keyOf = (t: { target: string }) => `${t.target}:${cause}`;
      const existing = targets.length
        ? new Set((await em.findBy(OutboxMessage, { dedupeKey: In(targets.map(keyOf)) })).map((r) => r.dedupeKey))
        : new Set<string>();
      const rows = targets
        .filter((t) => !existing.has(keyOf(t)))
        .map((t): Partial<OutboxMessage> => ({
          kind: row.kind,
          target: t.target,
          platform: t.platform,
          itemId: row.itemId,
          payload: row.payload,
          dedupeKey: keyOf(t),
          status: 'pending',
          attempts: 0,
          dueAt: now,
        }));
      if (rows.length) await em.save(OutboxMessage, rows);
      await em.update(
        OutboxMessage,
        { id: row.id },
        { status: 'sent', sentAt: now, attempts: row.attempts + 1, lastError: null, lockedBy: null, lockedUntil: null },
      );
    });
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
