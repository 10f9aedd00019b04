import type { Platform } from '../shared/vocabulary';
import type { ChatGroup } from '../org/chat-group.entity';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import type { RateLimit } from '../outbox/rate-limiter';
import type { CardInstance, CardKind } from './card-instance.entity';
import type { CardView } from './cards';

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
 * One platform's way out (ARCHITECTURE principle 3): only chat/platforms/<platform>/ implements it. `deliver` sends
 * to a group or a person, updates a card (`to.type === 'card'`) or replies in a conversation (`'reply'`); failures
 * are DeliveryErrors (retry or permanent).
 */
export interface ChatPlatform {
  readonly platform: Platform;
  deliver(message: OutboxMessage, outbound: Outbound, to: Destination): Promise<void>;
  /** The platform's documented limits this delivery counts against (issue 6 §4); the relay waits instead of being throttled. */
  limits?(outbound: Outbound, to: Destination): RateLimit[];
}

/** Every platform switched on (multi-provided: an unconfigured platform provides nothing). */
export const CHAT_PLATFORMS = Symbol('CHAT_PLATFORMS');
