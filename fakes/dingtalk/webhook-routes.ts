import type { FakeContext, RouteTable } from './context';
import { isPlainObject, oapiError } from './errors';
import { sameSignature, webhookSign } from './signing';
import type { CustomRobotConfig } from './types';

const PER_MINUTE = 20;
const THROTTLE_MS = 10 * 60 * 1000;
const TIMESTAMP_WINDOW_MS = 60 * 60 * 1000;

export type CheckedBody = { msgtype: string } & Record<string, unknown>;
export interface BodyError {
  ok: false;
  errcode: number;
  errmsg: string;
}

const str = (v: unknown) => typeof v === 'string' && v.length > 0;

/**
 * A custom-robot body (also what a sessionWebhook takes). unverified: DingTalk's errcode for a malformed body;
 * 40035 is its generic "缺少参数".
 */
export function checkCustomRobotBody(body: unknown): { ok: true; body: CheckedBody } | BodyError {
  const bad = (what: string): BodyError => ({ ok: false, errcode: 40035, errmsg: `缺少参数 ${what}` });
  if (!isPlainObject(body) || typeof body.msgtype !== 'string') return bad('msgtype');
  const part = body[body.msgtype];
  const p = isPlainObject(part) ? part : {};
  switch (body.msgtype) {
    case 'text':
      if (!str(p.content)) return bad('text.content');
      break;
    case 'markdown':
      if (!str(p.title) || !str(p.text)) return bad('markdown.title / markdown.text');
      break;
    case 'actionCard':
      if (!str(p.title) || !str(p.text)) return bad('actionCard.title / actionCard.text');
      if (!(str(p.singleTitle) && str(p.singleURL)) && !Array.isArray(p.btns)) return bad('actionCard.singleURL 或 btns');
      break;
    case 'link':
      if (!str(p.title) || !str(p.text) || !str(p.messageUrl)) return bad('link.title / text / messageUrl');
      break;
    case 'feedCard':
      if (!Array.isArray(p.links) || !p.links.length) return bad('feedCard.links');
      break;
    default:
      return { ok: false, errcode: 40035, errmsg: `不支持的 msgtype ${body.msgtype}` };
  }
  // `at` (text and markdown): atUserIds / atMobiles string lists, isAtAll a boolean. A mention notifies only when it is
  // also written in the text as @userId / @mobile (PLATFORMS: "mention also in the text").
  if (body.at !== undefined) {
    const at = body.at;
    const list = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!isPlainObject(at) || !list(at.atUserIds) || !list(at.atMobiles) || (at.isAtAll !== undefined && typeof at.isAtAll !== 'boolean'))
      return { ok: false, errcode: 40035, errmsg: '参数 at 不合法' };
  }
  return { ok: true, body: body as CheckedBody };
}

/** Who a custom-robot post really @-mentions: the ids in `at.atUserIds` that the text also names as @id. */
export function mentionedUserIds(body: Record<string, unknown>): string[] {
  const at = isPlainObject(body.at) ? body.at : {};
  const ids = Array.isArray(at.atUserIds) ? (at.atUserIds as string[]) : [];
  const part = body[String(body.msgtype)];
  const text = isPlainObject(part) ? String(part.text ?? part.content ?? '') : '';
  return ids.filter((id) => text.includes(`@${id}`));
}

/** All text a reader would see, for the "custom keywords" security setting. */
function visibleText(body: CheckedBody): string {
  return JSON.stringify(body[body.msgtype] ?? '');
}

interface RobotState {
  config: CustomRobotConfig;
  sentAt: number[];
  throttledUntil: number;
  seenUuids: Set<string>;
}

/** The custom group robot webhook: sign + timestamp, keywords, msgUuid de-duplication, 20 a minute then 10 min off. */
export function webhookRoutes(ctx: FakeContext): RouteTable {
  const robots = new Map<string, RobotState>();
  for (const config of ctx.opts.customRobots) {
    robots.set(config.accessToken, { config, sentAt: [], throttledUntil: 0, seenUuids: new Set() });
  }

  return {
    'POST /robot/send': (req) => {
      const robot = robots.get(req.query.get('access_token') ?? '');
      if (!robot) return oapiError(300005, 'token is not exist');
      const now = ctx.clock();

      // 310000 covers every security check; only errmsg tells them apart.
      const timestamp = Number(req.query.get('timestamp'));
      if (!Number.isFinite(timestamp) || Math.abs(now - timestamp) > TIMESTAMP_WINDOW_MS) {
        return oapiError(310000, 'invalid timestamp');
      }
      // URLSearchParams has already undone the caller's urlencode; a sign sent unencoded arrives with '+' as ' '.
      const sign = req.query.get('sign') ?? '';
      if (!sameSignature(sign, webhookSign(robot.config.secret, req.query.get('timestamp')!))) {
        return oapiError(310000, 'sign not match');
      }

      const checked = checkCustomRobotBody(req.body);
      if (!checked.ok) return oapiError(checked.errcode, checked.errmsg);
      const body = checked.body;
      const keywords = robot.config.keywords ?? [];
      if (keywords.length && !keywords.some((k) => visibleText(body).includes(k))) {
        return oapiError(310000, 'keywords not in content');
      }

      const msgUuid = typeof body.msgUuid === 'string' ? body.msgUuid : undefined;
      if (msgUuid && robot.seenUuids.has(msgUuid)) return { status: 200, body: { errcode: 0, errmsg: 'ok' } };

      robot.sentAt = robot.sentAt.filter((t) => now - t < 60_000);
      if (now < robot.throttledUntil) return oapiError(410100, 'send too fast, exceed 20 times per minute');
      if (robot.sentAt.length >= PER_MINUTE) {
        robot.throttledUntil = now + THROTTLE_MS;
        return oapiError(410100, 'send too fast, exceed 20 times per minute');
      }

      robot.sentAt.push(now);
      if (msgUuid) robot.seenUuids.add(msgUuid);
      const group = robot.config.conversationId ?? `webhook:${robot.config.accessToken}`;
      // The record's `at` is when it landed; the body's own `at` (the mention list) is kept as `atList`.
      const { at: atList, ...rest } = body as Record<string, unknown>;
      ctx.world.toGroup(group, { via: 'webhook', at: now, ...rest, ...(atList !== undefined ? { atList } : {}), mentioned: mentionedUserIds(body) });
      return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    },
  };
}
