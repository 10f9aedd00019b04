/**
 * WeCom inbound payloads → BotEvent. Pure. Event ids: the bot's msgid, the app's MsgId (kept as a string:
 * it exceeds 2^53), and for app events FromUserName + CreateTime + the event's own key (PLATFORMS.md "Retry").
 */
import type { BotEvent } from '../bot-event';

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
  if (p.msgtype === 'text' || p.msgtype === 'mixed') return { ...base, text: p.text?.content ?? '' };
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
