import { createHash, randomBytes } from 'node:crypto';
import type { FakeContext } from './context';

/** Builders for what DingTalk sends when a person types to the robot or clicks a card button (PLATFORMS.md). */

export interface GroupTextInput {
  conversationId: string;
  conversationTitle?: string;
  senderStaffId: string;
  senderNick?: string;
  text: string;
  atBot?: boolean;
  msgId?: string;
}

export interface DirectTextInput {
  senderStaffId: string;
  senderNick?: string;
  text: string;
  msgId?: string;
}

const SESSION_LIFE_MS = 90 * 60 * 1000;

/** DingTalk's opaque per-corp ids look like `$:LWCP_v1:$…`; derive them stably so repeats match. */
function opaqueId(seed: string): string {
  return `$:LWCP_v1:$${createHash('sha256').update(seed).digest('base64').slice(0, 32)}`;
}

export function chatbotUserId(ctx: FakeContext): string {
  return opaqueId(`bot:${ctx.opts.robotCode}`);
}

/** The one-to-one conversation between a user and the robot has its own stable cid. */
export function directConversationId(userId: string): string {
  return `cid${createHash('sha256')
    .update(`direct:${userId}`)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 22)}`;
}

function common(ctx: FakeContext, p: { senderStaffId: string; senderNick?: string; msgId?: string; text: string }) {
  const createAt = ctx.clock();
  const session = randomBytes(16).toString('hex');
  return {
    chatbotCorpId: ctx.opts.corpId,
    chatbotUserId: chatbotUserId(ctx),
    msgId:
      p.msgId ??
      `msg${randomBytes(12)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, '')}`,
    senderNick: p.senderNick ?? p.senderStaffId,
    isAdmin: false,
    // senderStaffId is absent for people outside the corp.
    ...(p.senderStaffId ? { senderStaffId: p.senderStaffId } : {}),
    senderId: opaqueId(`user:${p.senderStaffId}`),
    senderCorpId: ctx.opts.corpId,
    createAt,
    session,
    sessionWebhook: `${ctx.oapiBase}/robot/sendBySession?session=${session}`,
    sessionWebhookExpiredTime: createAt + SESSION_LIFE_MS,
    robotCode: ctx.opts.robotCode,
  };
}

/** A group message that @-mentions the robot: the mention is cut out of the text, leaving its trailing space. */
export function groupTextMessage(ctx: FakeContext, p: GroupTextInput): Record<string, unknown> {
  const { session, ...c } = common(ctx, p);
  ctx.world.sessions.set(session, { conversationId: p.conversationId, conversationType: '2', userId: p.senderStaffId, expiresAt: c.sessionWebhookExpiredTime });
  if (p.senderNick) ctx.world.nicks.set(p.senderStaffId, p.senderNick);
  return {
    conversationId: p.conversationId,
    conversationType: '2',
    conversationTitle: p.conversationTitle ?? p.conversationId,
    ...c,
    isInAtList: true,
    atUsers: [{ dingtalkId: c.chatbotUserId }],
    msgtype: 'text',
    text: { content: ` ${p.text}` },
  };
}

/** A one-to-one message: no title, no mention list. */
export function directTextMessage(ctx: FakeContext, p: DirectTextInput): Record<string, unknown> {
  const conversationId = directConversationId(p.senderStaffId);
  const { session, ...c } = common(ctx, p);
  ctx.world.sessions.set(session, { conversationId, conversationType: '1', userId: p.senderStaffId, expiresAt: c.sessionWebhookExpiredTime });
  if (p.senderNick) ctx.world.nicks.set(p.senderStaffId, p.senderNick);
  return { conversationId, conversationType: '1', ...c, msgtype: 'text', text: { content: p.text } };
}

/** Card button click: the action id and params travel in `content`, itself a JSON string. */
export function cardActionCallback(
  ctx: FakeContext,
  p: { outTrackId: string; userId: string; actionId: string; params?: Record<string, string>; spaceType: string; spaceId: string },
): Record<string, unknown> {
  return {
    type: 'actionCallback',
    outTrackId: p.outTrackId,
    corpId: ctx.opts.corpId,
    userId: p.userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: [p.actionId], params: p.params ?? {} } }),
    spaceType: p.spaceType,
    spaceId: p.spaceId,
    userIdType: 1,
  };
}
