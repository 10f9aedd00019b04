import type { Platform } from '../shared/vocabulary';
import type { ChatGroup } from '../org/chat-group.entity';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import type { MessageText } from '../outbox/message-views';
import type { RateLimit } from '../outbox/rate-limiter';
import type { CardInstance, CardKind } from './card-instance.entity';
import type { CardView } from './cards';
import type { ChatReceiver } from './receiver';

/** A platform-neutral message, ready for a platform to render. */
export type Outbound =
  | { type: 'card'; kind: CardKind; card: CardView; itemId: number | null; subject?: string; outTrackId?: string }
  | {
      type: 'text';
      title: string;
      text: string;
      mentionUserIds?: string[];
      mentionNames?: string[];
      image?: MessageText['image'];
      /** Issue 17: a key of its own where the platform de-duplicates by one (a digest stands for several rows, not its first). */
      key?: string;
    };

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
export interface ChatSender {
  readonly platform: Platform;
  deliver(message: OutboxMessage, outbound: Outbound, to: Destination): Promise<void>;
  /** The platform's documented limits this delivery counts against (issue 6 §4); the relay waits instead of being throttled. */
  limits?(outbound: Outbound, to: Destination): RateLimit[];
  /** Issue 17: how many bytes of text one message to `to` may carry (a digest is composed to fit; longer texts are cut). */
  textBytes?(to: Destination): number;
}

/**
 * One chat platform (issue 12 §4): its way out (send, update a card, reply, limits) and its way in (its receivers, see
 * receiver.ts). Each platform folder's parts file provides its one ChatPlatform, composed from its sender and receivers.
 */
export interface ChatPlatform extends ChatSender {
  /** The receivers the platform holds open (started and stopped by the receiver host); HTTP receivers are controllers. */
  readonly receivers: readonly ChatReceiver[];
}

/** A platform from its sender and its receivers: delivering and limits go to the sender. */
export function chatPlatform(sender: ChatSender, receivers: readonly ChatReceiver[]): ChatPlatform {
  return {
    platform: sender.platform,
    deliver: (message, outbound, to) => sender.deliver(message, outbound, to),
    ...(sender.limits ? { limits: (outbound: Outbound, to: Destination) => sender.limits!(outbound, to) } : {}),
    ...(sender.textBytes ? { textBytes: (to: Destination) => sender.textBytes!(to) } : {}),
    receivers,
  };
}

/**
 * Every platform switched on, one entry each (multi-provided: the chat module collects each platform's parts file's
 * ChatPlatform; an unconfigured platform provides nothing). The deliverer sends through it, the receiver host opens and
 * closes its receivers.
 */
export const CHAT_PLATFORMS = Symbol('CHAT_PLATFORMS');
