import { createHash } from 'node:crypto';
import type { BotEvent } from '../../bot-event';

/** The robot message a user sent (topic /v1.0/im/bot/messages/get, or the HTTP callback body). */
export interface DingTalkRobotMessage {
  conversationId: string;
  conversationType: '1' | '2';
  msgId: string;
  senderStaffId?: string;
  senderId?: string;
  senderNick?: string;
  senderCorpId?: string;
  chatbotCorpId?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  msgtype?: string;
  text?: { content?: string };
  /** Groups only: whether the robot was @-mentioned (the robot hears only such group messages). */
  isInAtList?: boolean;
}

export interface DingTalkCardCallback {
  type?: string;
  outTrackId: string;
  corpId?: string;
  userId: string;
  content?: string;
}

/** What an inbound DingTalk callback turned out to be: an event for the router, or a reason to ignore it. */
export type Inbound = { ok: true; event: BotEvent } | { ok: false; reason: 'malformed' | 'foreign_corp' | 'foreign_robot'; detail: string };

/** Who we are: a callback naming another corp (when ours is configured) or another robot is not for us. */
export interface Addressee {
  corpId: string;
  robotCode: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';
const malformed = (detail: string): Inbound => ({ ok: false, reason: 'malformed', detail });

/**
 * Issue 11 D9/D11: a robot message (Stream frame data or HTTP body, as parsed JSON of any shape) is checked field by
 * field before anything reads it, and one naming another corp or robot is not resolved to our people.
 */
export function robotInbound(raw: unknown, us: Addressee): Inbound {
  if (!isObject(raw)) return malformed('not an object');
  const m = raw;
  if (typeof m.msgId !== 'string' || !m.msgId || m.msgId.length > 120) return malformed('msgId');
  if (m.conversationType !== '1' && m.conversationType !== '2') return malformed('conversationType');
  if (m.conversationType === '2' && (typeof m.conversationId !== 'string' || !m.conversationId)) return malformed('conversationId');
  for (const k of ['conversationId', 'senderStaffId', 'senderId', 'senderNick', 'senderCorpId', 'chatbotCorpId', 'robotCode', 'msgtype', 'sessionWebhook']) {
    if (!optString(m[k])) return malformed(k);
  }
  if (m.sessionWebhookExpiredTime !== undefined && typeof m.sessionWebhookExpiredTime !== 'number') return malformed('sessionWebhookExpiredTime');
  if (m.text !== undefined && (!isObject(m.text) || !optString(m.text.content))) return malformed('text');
  const corp = (m.chatbotCorpId as string | undefined) || (m.senderCorpId as string | undefined);
  if (us.corpId && corp && corp !== us.corpId) return { ok: false, reason: 'foreign_corp', detail: corp };
  if (m.robotCode && m.robotCode !== us.robotCode) return { ok: false, reason: 'foreign_robot', detail: String(m.robotCode) };
  return { ok: true, event: robotMessageToEvent(m as unknown as DingTalkRobotMessage) };
}

/** The same for a card button click: its content must name an action; a click from another corp is not ours. */
export function cardInbound(raw: unknown, us: Addressee): Inbound {
  if (!isObject(raw)) return malformed('not an object');
  const c = raw;
  if (typeof c.outTrackId !== 'string' || !c.outTrackId || c.outTrackId.length > 64) return malformed('outTrackId');
  if (typeof c.userId !== 'string' || !c.userId) return malformed('userId');
  if (!optString(c.corpId) || !optString(c.type)) return malformed('corpId');
  if (typeof c.content !== 'string') return malformed('content');
  let content: unknown;
  try {
    content = JSON.parse(c.content);
  } catch {
    return malformed('content is not JSON');
  }
  const data = isObject(content) ? content.cardPrivateData : undefined;
  if (!isObject(data) || !Array.isArray(data.actionIds) || typeof data.actionIds[0] !== 'string' || !data.actionIds[0]) return malformed('actionIds');
  if (data.params !== undefined && (!isObject(data.params) || Object.values(data.params).some((v) => v !== null && typeof v === 'object')))
    return malformed('params');
  if (us.corpId && c.corpId && c.corpId !== us.corpId) return { ok: false, reason: 'foreign_corp', detail: c.corpId };
  return { ok: true, event: cardCallbackToEvent(c as unknown as DingTalkCardCallback) };
}

/** A robot message → BotEvent. In groups the bot only gets messages that @ it; the parser strips what is left of the mention. */
export function robotMessageToEvent(m: DingTalkRobotMessage): BotEvent {
  const group = m.conversationType === '2';
  const userId = m.senderStaffId ?? ''; // empty for external contacts: they get the binding hint
  return {
    platform: 'dingtalk',
    corpId: m.chatbotCorpId ?? m.senderCorpId ?? '',
    userId,
    userName: m.senderNick,
    conversation: { type: group ? 'group' : 'direct', id: group ? m.conversationId : userId },
    eventId: `msg:${m.msgId}`,
    addressed: !group || m.isInAtList !== false,
    text: m.msgtype === undefined || m.msgtype === 'text' ? (m.text?.content ?? '') : '',
    replyHint: m.sessionWebhook ? { sessionWebhook: m.sessionWebhook, sessionWebhookExpiredTime: m.sessionWebhookExpiredTime } : undefined,
  };
}

/**
 * A card button click → BotEvent. PLATFORMS.md: de-duplicate card callbacks on outTrackId + userId + content —
 * the same click pushed again carries the same three.
 */
export function cardCallbackToEvent(c: DingTalkCardCallback): BotEvent {
  let parsed: { cardPrivateData?: { actionIds?: string[]; params?: Record<string, unknown> } } = {};
  try {
    parsed = JSON.parse(c.content ?? '{}');
  } catch {
    parsed = {};
  }
  const action = parsed.cardPrivateData?.actionIds?.[0] ?? '';
  const params = Object.fromEntries(Object.entries(parsed.cardPrivateData?.params ?? {}).map(([k, v]) => [k, String(v ?? '')]));
  const digest = createHash('sha256')
    .update(`${c.outTrackId}\n${c.userId}\n${c.content ?? ''}`)
    .digest('hex')
    .slice(0, 40);
  return {
    platform: 'dingtalk',
    corpId: c.corpId ?? '',
    userId: c.userId,
    conversation: { type: 'direct', id: c.userId },
    eventId: `card:${digest}`,
    cardAction: { action, params, outTrackId: c.outTrackId },
  };
}
