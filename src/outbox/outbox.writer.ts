import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRowsLater } from '../database/plain-sql';
import { OutboxMessage, OutboxTarget } from './outbox-message.entity';
import { Clock } from '../shared/clock';
import { QUIET_HOURS, type QuietHours } from './quiet-hours.port';

export interface OutgoingMessage {
  /** What to render: assignment_card, review_card, approval_card, notice… */
  kind: string;
  target: OutboxTarget;
  platform?: string | null;
  itemId?: number | null;
  payload: Record<string, unknown>;
  /** Unique per cause and target, so a retried command never queues a message twice. */
  dedupeKey: string;
  dueAt: Date;
  /**
   * R10 (issue 14): every message is held out of quiet hours and rest days (QUIET_HOURS) unless this says `false`:
   * - the answer to a person's own chat command or card click (bot_reply) — he is awake and waiting for it;
   * - a silent redraw of cards already delivered (card_refresh) — it notifies nobody, and a card left stale overnight
   *   would offer buttons that no longer apply; a card not yet delivered (its create held) is not touched by it;
   * - a message whose time its feature already chose with a policy of its own (the reminder digests: the item's
   *   reminder policy, which may have other quiet hours than the default one).
   * Nothing a person asks for is sent in the night to someone else: there is no "send now" for notices.
   */
  hold?: boolean;
}

/** Principle 2: rows written in the command's transaction; the relay sends them after commit. */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly clock: Clock,
    @Optional() @Inject(QUIET_HOURS) private readonly quiet?: QuietHours,
  ) {}

  /** Issue 17: rows enqueued on a transaction inside gather(), waiting to be written together. */
  private readonly gathered = new WeakMap<EntityManager, Partial<OutboxMessage>[]>();

  /**
   * Issue 17: runs `work`; the rows it enqueues on `em` (its transaction) are written at its end, all in one INSERT —
   * a WeCom click's card refresh and its chat reply are one statement, not two. Nothing inside may read the outbox
   * rows it queued (none does: the relay reads them after commit). If `work` fails nothing is written (its
   * transaction rolls back anyway).
   */
  async gather<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
    if (this.gathered.has(em)) return work();
    const rows: Partial<OutboxMessage>[] = [];
    this.gathered.set(em, rows);
    try {
      const result = await work();
      this.gathered.delete(em);
      // Held in a chat event's transaction: sent with its COMMIT (issue 17).
      if (rows.length > 0) await insertRowsLater(em, OutboxMessage, rows);
      return result;
    } finally {
      this.gathered.delete(em);
    }
  }

  async enqueue(em: EntityManager, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // R10 at the one place every message passes: a notice written at 23:00 (a command, a job) is due the next working
    // morning. Its dedupeKey stays; the relay sends due rows by (due_at, id), so rows held to the same morning keep the
    // order they were written in (a card's create before its later notices).
    const held = new Map<number, Date>();
    for (const m of messages) {
      if (m.hold === false || !this.quiet || held.has(m.dueAt.getTime())) continue;
      held.set(m.dueAt.getTime(), await this.quiet.sendAt(m.dueAt, em));
    }
    // Principle 6: written at the service's time (the 死信 list shows it), not the database server's.
    const now = this.clock.now();
    // A plain insert that reads nothing back (issue 17: save() selected every row it had just written, for its defaults;
    // the query builder cost more than the statement). The JSON transformer still runs on the payload.
    const rows = messages.map((m): Partial<OutboxMessage> => ({
      kind: m.kind,
      target: m.target,
      platform: m.platform ?? null,
      itemId: m.itemId ?? null,
      payload: m.payload,
      dedupeKey: m.dedupeKey,
      status: 'pending' as const,
      attempts: 0,
      dueAt: m.hold === false ? m.dueAt : (held.get(m.dueAt.getTime()) ?? m.dueAt),
      createdAt: now,
    }));
    const gathering = this.gathered.get(em);
    if (gathering) gathering.push(...rows);
    else await insertRowsLater(em, OutboxMessage, rows);
  }
}
