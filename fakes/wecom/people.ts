import { randomBytes } from 'node:crypto';
import type { FakeContext } from './context';
import { seconds } from './context';
import { isPlainObject } from './errors';
import type { CardRecord } from './types';
import { toXml, type XmlObject } from './xml';

/** Builders for what WeCom sends when a person types or clicks (PLATFORMS.md, WeCom). */

/** App MsgId: a 64-bit number, above 2^53, so only a string keeps it whole. */
export function msgId64(): string {
  return (BigInt(2) ** BigInt(62) + (randomBytes(8).readBigUInt64BE(0) % BigInt(2) ** BigInt(62))).toString();
}

export function botMsgId(): string {
  return randomBytes(16).toString('hex');
}

/** The selection a click carries when the card has a button_selection (its selected_id, else the first option). */
function selection(card: CardRecord): { questionKey: string; optionId: string } | undefined {
  const sel = card.current.button_selection;
  if (!isPlainObject(sel) || typeof sel.question_key !== 'string') return undefined;
  const options = Array.isArray(sel.option_list) ? sel.option_list : [];
  const first = isPlainObject(options[0]) ? String(options[0].id) : '';
  return { questionKey: sel.question_key, optionId: typeof sel.selected_id === 'string' ? sel.selected_id : first };
}

/** An AI bot message: in a group `text.content` keeps the @-mention as typed. */
export function botTextBody(ctx: FakeContext, p: { chatId?: string; userId: string; text: string; msgId?: string }): Record<string, unknown> {
  return {
    msgid: p.msgId ?? botMsgId(),
    aibotid: ctx.opts.aibot!.botId,
    ...(p.chatId ? { chatid: p.chatId } : {}),
    chattype: p.chatId ? 'group' : 'single',
    from: { userid: p.userId },
    msgtype: 'text',
    text: { content: p.text },
  };
}

/** template_card_event for a card the bot sent; event_key and task_id sit under event.template_card_event. */
export function botCardEventBody(ctx: FakeContext, card: CardRecord, userId: string, eventKey: string): Record<string, unknown> {
  const sel = selection(card);
  return {
    msgid: botMsgId(),
    create_time: seconds(ctx),
    aibotid: ctx.opts.aibot!.botId,
    ...(card.chatId ? { chatid: card.chatId } : {}),
    chattype: card.chatId ? 'group' : 'single',
    from: { userid: userId },
    msgtype: 'event',
    event: {
      eventtype: 'template_card_event',
      template_card_event: {
        card_type: card.current.card_type,
        event_key: eventKey,
        task_id: card.taskId,
        // unverified: the JSON shape of a selection in the bot's event.
        ...(sel ? { selected_items: { selected_item: [{ question_key: sel.questionKey, option_ids: { option_id: [sel.optionId] } }] } } : {}),
      },
    },
  };
}

export function appTextXml(ctx: FakeContext, p: { agentId: number; userId: string; text: string; msgId: string }): string {
  return toXml({
    ToUserName: ctx.opts.corpId,
    FromUserName: p.userId,
    CreateTime: seconds(ctx),
    MsgType: 'text',
    Content: p.text,
    // Bare digits, as in Tencent's samples; a bigint keeps all 64 bits.
    MsgId: /^\d+$/.test(p.msgId) ? BigInt(p.msgId) : p.msgId,
    AgentID: p.agentId,
  });
}

export function appCardEventXml(ctx: FakeContext, card: CardRecord, p: { userId: string; eventKey: string; responseCode: string }): string {
  const sel = selection(card);
  const fields: XmlObject = {
    ToUserName: ctx.opts.corpId,
    FromUserName: p.userId,
    CreateTime: seconds(ctx),
    MsgType: 'event',
    Event: 'template_card_event',
    EventKey: p.eventKey,
    TaskId: card.taskId,
    CardType: String(card.current.card_type),
    ResponseCode: p.responseCode,
    AgentID: card.agentId!,
  };
  if (sel) fields.SelectedItems = { SelectedItem: { QuestionKey: sel.questionKey, OptionIds: { OptionId: sel.optionId } } };
  return toXml(fields);
}

/** The POST body around an encrypted app callback. */
export function appEnvelope(corpId: string, encrypt: string, agentId: number): string {
  return toXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: String(agentId) });
}
