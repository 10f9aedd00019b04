import { createHash } from 'node:crypto';
import type { BotEvent } from '../bot-event';

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
}

export interface DingTalkCardCallback {
  type?: string;
  outTrackId: string;
  corpId?: string;
  userId: string;
  content?: string;
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
  const digest = createHash('sha256').update(`${c.outTrackId}\n${c.userId}\n${c.content ?? ''}`).digest('hex').slice(0, 40);
  return {
    platform: 'dingtalk',
    corpId: c.corpId ?? '',
    userId: c.userId,
    conversation: { type: 'direct', id: c.userId },
    eventId: `card:${digest}`,
    cardAction: { action, params, outTrackId: c.outTrackId },
  };
}
