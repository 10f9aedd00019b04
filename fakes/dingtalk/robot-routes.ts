import { randomBytes } from 'node:crypto';
import { newApi, type FakeContext, type RouteTable } from './context';
import { apiError, byteLength, errors, isPlainObject, oapiError } from './errors';
import { checkCustomRobotBody } from './webhook-routes';
import type { FakeResponse } from './types';

const GROUP_SEND = '/v1.0/robot/groupMessages/send';
const BATCH_SEND = '/v1.0/robot/oToMessages/batchSend';

/** The parameters each message template needs, for the templates an adapter is likely to use; others pass as is. */
const REQUIRED_PARAMS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleLink: ['title', 'text', 'messageUrl', 'picUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
};
const OTHER_KEYS = [
  'sampleImageMsg',
  'sampleAudio',
  'sampleFile',
  'sampleVideo',
  'sampleActionCard2',
  'sampleActionCard3',
  'sampleActionCard4',
  'sampleActionCard5',
  'sampleActionCard6',
];

type Checked = { msgKey: string; msgParam: Record<string, unknown> } | FakeResponse;

/**
 * msgKey + msgParam as the app-robot APIs take them: msgParam is a JSON *string* of at most 15000 bytes.
 * unverified: the exact codes for these parameter errors; `invalidParameter` / `chatbotNotFound` are DingTalk's
 * generic ones.
 */
function checkMessage(ctx: FakeContext, b: Record<string, unknown>): Checked {
  if (typeof b.robotCode !== 'string' || !b.robotCode) return errors.invalidParameter('robotCode 为空');
  if (b.robotCode !== ctx.opts.robotCode) return apiError(400, 'chatbotNotFound', '不存在的机器人');
  const msgKey = b.msgKey;
  if (typeof msgKey !== 'string' || !(msgKey in REQUIRED_PARAMS || OTHER_KEYS.includes(msgKey))) {
    return errors.invalidParameter('msgKey 不支持');
  }
  if (typeof b.msgParam !== 'string') return errors.invalidParameter('msgParam 必须是 JSON 字符串');
  if (byteLength(b.msgParam) > 15000) return errors.invalidParameter('msgParam 超过 15000 字节');
  let msgParam: unknown;
  try {
    msgParam = JSON.parse(b.msgParam);
  } catch {
    return errors.invalidParameter('msgParam 不是合法的 JSON');
  }
  if (!isPlainObject(msgParam)) return errors.invalidParameter('msgParam 必须是 JSON 对象');
  const missing = (REQUIRED_PARAMS[msgKey] ?? []).filter((k) => typeof msgParam[k] !== 'string');
  if (missing.length) return errors.invalidParameter(`msgParam 缺少 ${missing.join(', ')}`);
  return { msgKey, msgParam };
}

const processQueryKey = () => randomBytes(24).toString('base64');

/** App-robot sends (group and one-to-one) and the reply-by-session webhook handed out with each robot message. */
export function robotRoutes(ctx: FakeContext): RouteTable {
  return {
    [`POST ${GROUP_SEND}`]: newApi(ctx, GROUP_SEND, (req) => {
      if (!isPlainObject(req.body)) return errors.invalidParameter('入参为空');
      const checked = checkMessage(ctx, req.body);
      if ('status' in checked) return checked;
      const cid = req.body.openConversationId;
      if (typeof cid !== 'string' || !cid) return errors.invalidParameter('openConversationId 为空');
      if (ctx.world.undeliverable.has(cid)) return errors.invalidParameter('机器人不在该群中');
      ctx.world.toGroup(cid, { via: 'robot', at: ctx.clock(), ...checked });
      return { status: 200, body: { processQueryKey: processQueryKey() } };
    }),

    [`POST ${BATCH_SEND}`]: newApi(ctx, BATCH_SEND, (req) => {
      if (!isPlainObject(req.body)) return errors.invalidParameter('入参为空');
      const checked = checkMessage(ctx, req.body);
      if ('status' in checked) return checked;
      const userIds = req.body.userIds;
      if (!Array.isArray(userIds) || !userIds.length || !userIds.every((u) => typeof u === 'string' && u)) {
        return errors.invalidParameter('userIds 为空');
      }
      if (userIds.length > 20) return errors.invalidParameter('userIds 最多 20 个');
      const invalidStaffIdList: string[] = [];
      const flowControlledStaffIdList: string[] = [];
      for (const userId of userIds as string[]) {
        const throttledTimes = ctx.world.flowControlled.get(userId) ?? 0;
        if (ctx.world.undeliverable.has(userId)) {
          invalidStaffIdList.push(userId);
        } else if (throttledTimes > 0) {
          // Per-user flow control is reported with HTTP 200: the caller must resend to these users later.
          ctx.world.flowControlled.set(userId, throttledTimes - 1);
          flowControlledStaffIdList.push(userId);
        } else {
          ctx.world.toUser(userId, { via: 'robot', at: ctx.clock(), ...checked });
        }
      }
      return { status: 200, body: { processQueryKey: processQueryKey(), invalidStaffIdList, flowControlledStaffIdList } };
    }),

    // sessionWebhook from a robot message: custom-robot bodies (no interactive cards), valid ~90 min after createAt.
    'POST /robot/sendBySession': (req) => {
      const session = ctx.world.sessions.get(req.query.get('session') ?? '');
      // unverified: the errcode DingTalk gives for an unknown or expired session.
      if (!session || ctx.clock() > session.expiresAt) return oapiError(300001, 'session 不存在或已过期');
      const checked = checkCustomRobotBody(req.body);
      if (!checked.ok) return oapiError(checked.errcode, checked.errmsg);
      const message = { via: 'session', at: ctx.clock(), ...checked.body };
      if (session.conversationType === '2') ctx.world.toGroup(session.conversationId, message);
      else ctx.world.toUser(session.userId, message);
      return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    },
  };
}
