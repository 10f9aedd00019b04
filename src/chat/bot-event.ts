import type { Platform } from '../shared/vocabulary';

/**
 * Every inbound chat event, whatever the transport (DingTalk Stream, DingTalk HTTP, WeCom callbacks),
 * becomes one of these before anything else looks at it (ARCHITECTURE principle 3).
 */
export interface BotEvent {
  platform: Platform;
  corpId: string;
  /** P3: the stable platform user id (DingTalk staffId / WeCom userid) — authorisation comes from this, never from text. */
  userId: string;
  userName?: string;
  conversation: { type: 'group' | 'direct'; id: string };
  /** The platform's id for this delivery (robot msgId, card callback id…): repeats are recognised by it. */
  eventId: string;
  /**
   * Issue 14: the message was meant for the bot — a one-to-one message, or a group message that @-mentions it (DingTalk
   * `isInAtList`, the WeCom AI bot's group messages). Unset: one-to-one counts as addressed, a group message does not.
   * Text addressed to the bot that is no command gets a short answer; ordinary group chat stays unanswered.
   */
  addressed?: boolean;
  /** A typed command, as received (mentions and full-width characters are dealt with by the parser). */
  text?: string;
  /** A card button: the action id and the card's parameters (the item number travels in `params.number`). */
  cardAction?: {
    action: string;
    params: Record<string, string>;
    outTrackId?: string;
    /** Set by the router from the card's own record: the card sits in a group (a DingTalk click arrives as one-to-one). */
    inGroup?: boolean;
  };
  /** Where to answer when there is no known group or person (e.g. DingTalk's sessionWebhook). */
  replyHint?: Record<string, unknown>;
}

export interface BotResult {
  /** true when this event id was seen before: acknowledged, nothing done. */
  duplicate: boolean;
  /** What the person is told (queued to the outbox for text commands; returned for card clicks). */
  reply?: string;
  itemNumber?: string;
  /** For a card click: the card as the clicker should now see it (answered in the platform's ACK). */
  card?: import('./cards').CardView;
}
