import { applyUpdate, checkTemplateCard } from './cards';
import type { FakeContext } from './context';
import { byteLength, isPlainObject } from './errors';

/**
 * What the AI bot says, however it says it (long-connection frames, API-mode passive replies, response_url, proactive
 * aibot_send_msg), lands in the same places: groupMessages(chatid) for a group, userMessages(userid) one-to-one.
 */

/** The message or event a reply answers. */
export interface BotOrigin {
  kind: 'msg' | 'event';
  msgid: string;
  chatId?: string;
  userId: string;
  eventtype?: string;
  taskId?: string;
  /** When it was pushed (fake clock), for the 5 s card-update window. */
  at: number;
}

const STREAM_MAX = 20480;
const REPLY_TYPES = ['stream', 'template_card', 'stream_with_template_card', 'markdown', 'text', 'image', 'file', 'voice', 'video'];
const SEND_TYPES = ['markdown', 'template_card', 'image', 'file', 'voice', 'video'];
const MEDIA_TYPES = ['image', 'file', 'voice', 'video'];

function place(ctx: FakeContext, chatId: string | undefined, userId: string, message: Record<string, unknown>): void {
  const stream = isPlainObject(message.stream) ? message.stream : undefined;
  const [target, id] = chatId ? (['group', chatId] as const) : (['user', userId] as const);
  if (stream && typeof stream.id === 'string') return ctx.world.upsertStream(target, id, stream.id, message);
  if (target === 'group') ctx.world.toGroup(id, message);
  else ctx.world.toUser(id, message);
}

/** Validate and register a card the bot posts (task_id unique, like the app's: unverified for the bot). */
function botCard(ctx: FakeContext, card: unknown, chatId: string | undefined, userId: string): string | undefined {
  const problem = checkTemplateCard(card);
  if (problem) return problem;
  const c = card as Record<string, unknown>;
  const taskId = typeof c.task_id === 'string' ? c.task_id : undefined;
  if (taskId && ctx.cardBook.cards.has(taskId)) return 'template_card.task_id already exists';
  if (taskId) ctx.cardBook.register({ taskId, via: 'bot', touser: chatId ?? userId, ...(chatId ? { chatId } : {}), card: c });
  return undefined;
}

function checkBody(ctx: FakeContext, body: Record<string, unknown>, allowed: string[], chatId: string | undefined, userId: string): string | undefined {
  const type = body.msgtype;
  if (typeof type !== 'string' || !allowed.includes(type)) return `msgtype invalid: ${String(type)}`;
  if (type === 'stream' || type === 'stream_with_template_card') {
    const s = isPlainObject(body.stream) ? body.stream : undefined;
    if (!s || typeof s.id !== 'string') return 'stream.id missing';
    if (typeof s.content === 'string' && byteLength(s.content) > STREAM_MAX) return `stream.content exceed max length ${STREAM_MAX}`;
  }
  if (type === 'markdown' || type === 'text') {
    const part = body[type];
    if (!isPlainObject(part) || typeof part.content !== 'string' || !part.content) return `${type}.content missing`;
  }
  if (MEDIA_TYPES.includes(type)) {
    // A media message names temporary media uploaded before (aibot_upload_media_*), of its own type.
    const part = body[type];
    const id = isPlainObject(part) && typeof part.media_id === 'string' ? part.media_id : '';
    if (!id) return `${type}.media_id missing`;
    const media = ctx.world.media.get(id);
    if (!media) return `invalid media_id ${id}`;
    if (media.type !== type) return `media_id ${id} is ${media.type}, not ${type}`;
  }
  if (type === 'template_card' || (type === 'stream_with_template_card' && body.template_card !== undefined)) {
    return botCard(ctx, body.template_card, chatId, userId);
  }
  return undefined;
}

/** A reply to a message (aibot_respond_msg, passive reply, response_url): an error detail, or undefined when it landed. */
export function applyBotReply(ctx: FakeContext, origin: BotOrigin, body: unknown, via: string): string | undefined {
  if (!isPlainObject(body)) return 'body missing';
  const problem = checkBody(ctx, body, REPLY_TYPES, origin.chatId, origin.userId);
  if (problem) return problem;
  place(ctx, origin.chatId, origin.userId, { via, at: ctx.clock(), replyTo: origin.msgid, ...body });
  return undefined;
}

/** `{response_type:"update_template_card", userids?, template_card}` for a template_card_event. */
export function applyBotCardUpdate(ctx: FakeContext, origin: BotOrigin, body: unknown, via: 'aibot_respond_update_msg' | 'passive-reply'): string | undefined {
  if (!isPlainObject(body)) return 'body missing';
  if (origin.eventtype !== 'template_card_event') return 'req_id is not a template_card_event';
  if (body.response_type !== 'update_template_card') return 'response_type must be update_template_card';
  const problem = checkTemplateCard(body.template_card);
  if (problem) return problem;
  const templateCard = body.template_card as Record<string, unknown>;
  // The SDK: "task_id 需跟回调收到的 task_id 一致".
  if (templateCard.task_id !== origin.taskId) return 'template_card.task_id not match the event';
  const card = ctx.cardBook.cards.get(origin.taskId ?? '');
  if (!card || card.via !== 'bot') return 'card not found';
  const userids = Array.isArray(body.userids) ? body.userids.map(String) : undefined;
  applyUpdate(card, { at: ctx.clock(), via, templateCard, ...(userids ? { userids } : {}) });
  ctx.world.cardChanged(card.taskId);
  place(ctx, card.chatId, card.touser, { via: 'bot-update', at: ctx.clock(), taskId: card.taskId, ...body });
  return undefined;
}

/**
 * aibot_send_msg `{chatid, msgtype, …}` (chatid = a group's chatid, or a userid for the one-to-one chat): a known
 * group is a group, a member or someone who has talked to the bot is a person, anything else is taken as a group.
 */
export function applyBotSend(ctx: FakeContext, body: unknown): string | undefined {
  if (!isPlainObject(body) || typeof body.chatid !== 'string' || !body.chatid) return 'chatid missing';
  const person = ctx.world.knownUsers.has(body.chatid) || (ctx.opts.members?.includes(body.chatid) ?? false);
  const isGroup = ctx.world.knownGroups.has(body.chatid) || !person;
  const chatId = isGroup ? body.chatid : undefined;
  const problem = checkBody(ctx, body, SEND_TYPES, chatId, body.chatid);
  if (problem) return problem;
  const { chatid: _c, ...message } = body;
  place(ctx, chatId, body.chatid, { via: 'bot-send', at: ctx.clock(), ...message });
  return undefined;
}
