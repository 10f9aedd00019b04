import type { Platform } from '../shared/vocabulary';
import type { ChatGroup } from '../org/chat-group.entity';
import type { CardInstance, CardKind } from '../chat/card-instance.entity';
import type { CardView } from '../chat/cards';
import type { OutboxMessage } from './outbox-message.entity';

/** A platform-neutral message, ready for a platform to render. */
export type Outbound =
  | { type: 'card'; kind: CardKind; card: CardView; itemId: number | null; subject?: string; outTrackId?: string }
  | { type: 'text'; title: string; text: string; mentionUserIds?: string[] };

/** Where it goes, resolved from the outbox target. */
export type Destination =
  | { type: 'group'; group: ChatGroup }
  | { type: 'person'; userId: string; personId: number }
  | { type: 'card'; card: CardInstance }
  | { type: 'reply'; replyTo: Record<string, unknown> };

/**
 * How a delivery failed: `retry` (throttled, busy, network — try again later, maybe after `afterMs`)
 * or `permanent` (bad request, quota gone — a dead letter an admin can look at and retry).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'retry' | 'permanent',
    message: string,
    readonly afterMs?: number,
  ) {
    super(message);
  }
}

/** One platform's way out (ARCHITECTURE principle 3): only bot/<platform>/ implements it. */
export interface PlatformSender {
  readonly platform: Platform;
  deliver(message: OutboxMessage, outbound: Outbound, to: Destination): Promise<void>;
  /** The platform's documented limits this delivery counts against (issue 6 §4); the relay waits instead of being throttled. */
  limits?(outbound: Outbound, to: Destination): { bucket: string; limit: number; windowMs: number }[];
}

export const PLATFORM_SENDERS = Symbol('PLATFORM_SENDERS');
