import type { EntityManager } from 'typeorm';
import type { DeliveryError } from './delivery';
import type { OutboxMessage, OutboxTarget } from './outbox-message.entity';
import type { RateLimit } from './rate-limiter';

/** One send of an outbox row (a row may need several: one per group a unit has). */
export interface Delivery {
  /**
   * Gets the send ready (it may record what must exist before it is tried, e.g. the card a later update refers to)
   * and names the send limits it counts against (issue 6 §4); throws a DeliveryError when it cannot go at all.
   */
  prepare(): Promise<RateLimit[]>;
  /** Sends it; a DeliveryError says whether to retry (and when) or give up. */
  send(): Promise<void>;
}

/** What the relay is to do with a claimed row. */
export type DeliveryPlan =
  /** Send these, one after the other, each inside its limits; the row is sent when all are. */
  | { type: 'send'; deliveries: Delivery[] }
  /** Not yet — not a failure, no attempt counted: the row comes back at `dueAt` (`note` is shown as its last error). */
  | { type: 'wait'; dueAt: Date; note: string }
  /** Nothing to send any more: the row counts as sent, `note` says why. */
  | { type: 'done'; note: string }
  /**
   * The row stands for several targets: one row per target is written (same kind and payload, never twice for the
   * same cause), in one transaction with this row's completion; `targets` reads them inside that transaction.
   */
  | { type: 'fan-out'; targets: (em: EntityManager) => Promise<{ target: OutboxTarget; platform: string | null }[]> };

/**
 * The outbox's way out (issue 12): the relay claims, limits, retries and dead-letters rows; what a row becomes and how
 * it reaches people is the deliverer's (chat implements it — targets, composing, cards, platforms).
 */
export interface OutboxDeliverer {
  /** The platforms switched on here: rows for another platform wait for an instance that has it. */
  readonly platforms: readonly string[];
  plan(row: OutboxMessage): Promise<DeliveryPlan>;
  /** A permanent failure that is only a matter of time (tried again instead of becoming a dead letter). */
  notYet(row: OutboxMessage, error: DeliveryError): Promise<boolean>;
  /**
   * Issue 17: notices of kinds that coalesce (MessageKinds), all for one target and platform, earliest first, as ONE
   * message (digest.rules.ts); `waiting` of them wait in all, `rows` the first of them. It lists `listed` of `rows` and
   * stands for the first `covers` of the waiting notices: the listed ones, or — a flood — all of them, the rest counted.
   * Without it every row goes on its own.
   */
  planDigest?(rows: OutboxMessage[], waiting: number): Promise<{ plan: DeliveryPlan; listed: number; covers: number }>;
}

export const OUTBOX_DELIVERER = Symbol('OUTBOX_DELIVERER');
