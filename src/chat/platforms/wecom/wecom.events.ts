/**
 * WeCom inbound payloads → BotEvent. Pure. Event ids: the bot's msgid, the app's MsgId (kept as a string:
 * it exceeds 2^53), and for app events FromUserName + CreateTime + the event's own key (PLATFORMS.md "Retry").
 */
import type { BotEvent } from '../../bot-event';

/** 智能机器人 message or event, from the long connection or a decrypted API-mode callback. */
export interface BotPayload {
  msgid: string;
  aibotid?: string;
  chatid?: string;
  chattype?: 'single' | 'group';
  from?: { userid?: string; corpid?: string };
  response_url?: string;
  msgtype: string;
  text?: { content?: string };
  // The SDK's typings put event_key/task_id directly under `event`; the platform nests them: read both.
  event?: { eventtype?: string; event_key?: string; task_id?: string; template_card_event?: { event_key?: string; task_id?: string } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * Issue 11 D9/D11: a decrypted 智能机器人 payload (API mode or long connection) of any shape → a BotEvent, null
 * (nothing to do: enter_chat and the like), or a reason to ignore it — malformed, or addressed to another bot or corp.
 */
export function botInbound(raw: unknown, us: { corpId: string; botId: string }): { ok: true; event: BotEvent | null } | { ok: false; reason: string } {
  if (!isObject(raw)) return { ok: false, reason: 'malformed: not an object' };
  const p = raw;
  if (typeof p.msgid !== 'string' || !p.msgid || p.msgid.length > 120) return { ok: false, reason: 'malformed: msgid' };
  if (typeof p.msgtype !== 'string') return { ok: false, reason: 'malformed: msgtype' };
  for (const k of ['aibotid', 'chatid', 'chattype', 'response_url']) if (!optString(p[k])) return { ok: false, reason: `malformed: ${k}` };
  if (p.from !== undefined && (!isObject(p.from) || !optString(p.from.userid) || !optString(p.from.corpid))) return { ok: false, reason: 'malformed: from' };
  if (p.text !== undefined && (!isObject(p.text) || !optString(p.text.content))) return { ok: false, reason: 'malformed: text' };
  if (p.event !== undefined) {
    const e = p.event;
    if (!isObject(e) || !optString(e.eventtype) || !optString(e.event_key) || !optString(e.task_id)) return { ok: false, reason: 'malformed: event' };
    const card = e.template_card_event;
    if (card !== undefined && (!isObject(card) || !optString(card.event_key) || !optString(card.task_id)))
      return { ok: false, reason: 'malformed: template_card_event' };
  }
  if (p.aibotid && us.botId && p.aibotid !== us.botId) return { ok: false, reason: 'foreign bot' };
  const corp = isObject(p.from) ? p.from.corpid : undefined;
  if (corp && corp !== us.corpId) return { ok: false, reason: 'foreign corp' };
  return { ok: true, event: botPayloadToEvent(p as unknown as BotPayload, us.corpId) };
}

/** The same for a decrypted self-built-app message: every field read must be text (nested elements are not). */
export function appInbound(raw: unknown, corpId: string): { ok: true; event: BotEvent | null; msg: AppXml } | { ok: false; reason: string } {
  const x = isObject(raw) ? raw.xml : undefined;
  if (!isObject(x)) return { ok: false, reason: 'malformed: no <xml>' };
  for (const k of ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'AgentID', 'Event', 'EventKey', 'TaskId', 'ResponseCode']) {
    if (!optString(x[k])) return { ok: false, reason: `malformed: ${k}` };
  }
  if (x.ToUserName && x.ToUserName !== corpId) return { ok: false, reason: 'foreign corp' };
  const msg = x as AppXml;
  return { ok: true, event: appXmlToEvent(msg, corpId), msg };
}

export function botPayloadToEvent(p: BotPayload, corpId: string, replyHint?: Record<string, unknown>): BotEvent | null {
  const userId = p.from?.userid ?? '';
  const group = p.chattype === 'group' && !!p.chatid;
  const base = {
    platform: 'wecom' as const,
    corpId: p.from?.corpid ?? corpId,
    userId,
    conversation: { type: group ? ('group' as const) : ('direct' as const), id: group ? p.chatid! : userId },
    eventId: `bot:${p.msgid}`,
    replyHint: { via: 'bot', ...(p.response_url ? { responseUrl: p.response_url } : {}), ...(replyHint ?? {}) },
  };
  // The AI bot hears a group message only when it is @-mentioned: every text it gets was meant for it.
  if (p.msgtype === 'text' || p.msgtype === 'mixed') return { ...base, addressed: true, text: p.text?.content ?? '' };
  const card = p.event?.template_card_event ?? (p.event?.event_key ? { event_key: p.event.event_key, task_id: p.event.task_id } : undefined);
  if (p.msgtype === 'event' && p.event?.eventtype === 'template_card_event' && card?.event_key) {
    return { ...base, cardAction: { action: card.event_key, params: {}, outTrackId: card.task_id } };
  }
  return null; // enter_chat, feedback and the like: nothing to do
}

/** A decrypted self-built-app callback, already parsed from XML into strings. */
export interface AppXml {
  ToUserName?: string;
  FromUserName?: string;
  CreateTime?: string;
  MsgType?: string;
  Content?: string;
  MsgId?: string;
  AgentID?: string;
  Event?: string;
  EventKey?: string;
  TaskId?: string;
  ResponseCode?: string;
}

export function appXmlToEvent(x: AppXml, corpId: string): BotEvent | null {
  const userId = x.FromUserName ?? '';
  const base = { platform: 'wecom' as const, corpId: x.ToUserName ?? corpId, userId, conversation: { type: 'direct' as const, id: userId } };
  if (x.MsgType === 'text' && x.MsgId) {
    return { ...base, eventId: `app:${x.MsgId}`, text: x.Content ?? '', replyHint: { via: 'app' } };
  }
  if (x.MsgType === 'event' && x.Event === 'template_card_event' && x.EventKey) {
    return {
      ...base,
      eventId: `appev:${userId}:${x.CreateTime ?? ''}:${x.TaskId ?? ''}:${x.EventKey}`,
      cardAction: { action: x.EventKey, params: {}, outTrackId: x.TaskId },
      replyHint: { via: 'app', responseCode: x.ResponseCode },
    };
  }
  return null;
}
