import { randomBytes } from 'node:crypto';
import { applyUpdate, checkTemplateCard, INTERACTIVE } from './cards';
import type { FakeContext, RouteTable } from './context';
import { tokenApi } from './context';
import { badParam, byteLength, isPlainObject, ok, truncateBytes, wecomError } from './errors';
import { SlidingWindow } from './limits';
import type { AgentConfig, FakeRequest, FakeResponse } from './types';

const TEXT_MAX = 2048;
const MARKDOWN_MAX = 2048;
const DUPLICATE_DEFAULT_S = 1800;
const DUPLICATE_MAX_S = 4 * 3600;

const split = (v: unknown): string[] => (typeof v === 'string' && v ? v.split('|').filter(Boolean) : []);

/** A long opaque message id, as message/send answers. */
export function newMsgId(): string {
  return randomBytes(36).toString('base64url');
}

function sameAgent(body: Record<string, unknown>, agent: AgentConfig): boolean {
  return Number(body.agentid) === agent.agentId;
}

/**
 * `message/send` (text, markdown, template_card and a few plain kinds) and `message/update_template_card`.
 * Recipients over the per-member limits (30/min, 1000/h) are dropped silently: errcode 0, nothing delivered.
 */
export function messageRoutes(ctx: FakeContext): RouteTable {
  const perMinute = new SlidingWindow(ctx.clock, 60_000);
  const perHour = new SlidingWindow(ctx.clock, 3_600_000);
  const sentOnce = new Map<string, { at: number; intervalMs: number; response: FakeResponse }>();
  const members = ctx.opts.members ? new Set(ctx.opts.members) : undefined;

  /** The payload of one message, or an error; text longer than 2048 bytes is cut, markdown is refused. */
  function content(req: FakeRequest, body: Record<string, unknown>): { payload: Record<string, unknown> } | { error: FakeResponse } {
    const ip = req.remoteAddress;
    const part = isPlainObject(body[String(body.msgtype)]) ? (body[String(body.msgtype)] as Record<string, unknown>) : undefined;
    switch (body.msgtype) {
      case 'text': {
        if (typeof part?.content !== 'string' || !part.content) return { error: wecomError(44004, ip) };
        return { payload: { ...part, content: truncateBytes(part.content, TEXT_MAX) } };
      }
      case 'markdown': {
        if (typeof part?.content !== 'string' || !part.content) return { error: wecomError(44004, ip) };
        if (byteLength(part.content) > MARKDOWN_MAX) return { error: badParam(ip, `markdown.content exceed max length ${MARKDOWN_MAX}`) };
        return { payload: part };
      }
      case 'template_card': {
        const problem = checkTemplateCard(part);
        if (problem) return { error: badParam(ip, problem) };
        return { payload: part! };
      }
      case 'textcard':
        if (!part || typeof part.title !== 'string' || typeof part.description !== 'string' || typeof part.url !== 'string') {
          return { error: badParam(ip, 'textcard.title, description and url required') };
        }
        return { payload: part };
      case 'news':
      case 'mpnews':
      case 'image':
      case 'file':
      case 'voice':
      case 'video':
        if (!part) return { error: badParam(ip, `${String(body.msgtype)} missing`) };
        return { payload: part };
      default:
        return { error: wecomError(40008, ip) };
    }
  }

  function send(req: FakeRequest, agent: AgentConfig): FakeResponse {
    const ip = req.remoteAddress;
    const body = req.body;
    if (!isPlainObject(body)) return wecomError(47001, ip);
    if (!sameAgent(body, agent)) return wecomError(40056, ip);
    const parsed = content(req, body);
    if ('error' in parsed) return parsed.error;

    const users = split(body.touser);
    const parties = split(body.toparty);
    const tags = split(body.totag);
    if (users.length > 1000) return badParam(ip, 'touser exceed max count 1000');
    if (parties.length > 100 || tags.length > 100) return badParam(ip, 'toparty/totag exceed max count 100');

    // enable_duplicate_check: the same message within the interval is accepted again but not delivered again.
    const dupKey = JSON.stringify([agent.agentId, body.touser ?? '', body.toparty ?? '', body.totag ?? '', body.msgtype, parsed.payload]);
    const now = ctx.clock();
    if (Number(body.enable_duplicate_check) === 1) {
      const prior = sentOnce.get(dupKey);
      if (prior && now - prior.at < prior.intervalMs) {
        ctx.world.drop({ reason: 'duplicate_check', agentId: agent.agentId, touser: body.touser, at: now });
        return prior.response; // unverified: WeCom may hand out a fresh msgid here
      }
    }

    const all = users.includes('@all');
    // Without a member list, '@all' lands under the pseudo-user '@all'.
    const recipients = all ? (members ? [...members] : ['@all']) : users;
    const valid = members ? recipients.filter((u) => members.has(u)) : recipients;
    const invalid = all ? [] : recipients.filter((u) => !valid.includes(u));
    if (!valid.length && !parties.length && !tags.length) return wecomError(81013, ip);

    let responseCode: string | undefined;
    const card = body.msgtype === 'template_card' ? parsed.payload : undefined;
    if (card) {
      const taskId = card.task_id as string | undefined;
      // unverified: the errcode for a task_id used before by this app (the doc only says it must be unique).
      if (taskId && ctx.cardBook.cards.has(taskId)) return badParam(ip, 'template_card.task_id already exists');
      if (taskId) ctx.cardBook.register({ taskId, via: 'app', agentId: agent.agentId, touser: String(body.touser ?? ''), card });
      if (taskId && INTERACTIVE.includes(String(card.card_type))) responseCode = ctx.cardBook.issueCode(taskId);
    }

    const msgid = newMsgId();
    for (const user of valid) {
      const key = `${agent.agentId}:${user}`;
      if (perMinute.count(key) >= ctx.opts.memberPerMinute || perHour.count(key) >= ctx.opts.memberPerHour) {
        ctx.world.drop({ reason: 'member-limit', agentId: agent.agentId, userId: user, msgid, at: now });
        continue;
      }
      perMinute.add(key);
      perHour.add(key);
      ctx.world.toUser(user, { via: 'app', agentId: agent.agentId, msgid, at: now, msgtype: body.msgtype, [String(body.msgtype)]: parsed.payload });
    }

    const response = ok({
      invaliduser: invalid.join('|'),
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid,
      ...(responseCode ? { response_code: responseCode } : {}),
    });
    if (Number(body.enable_duplicate_check) === 1) {
      const seconds = Math.min(Number(body.duplicate_check_interval) || DUPLICATE_DEFAULT_S, DUPLICATE_MAX_S);
      sentOnce.set(dupKey, { at: now, intervalMs: seconds * 1000, response });
    }
    return response;
  }

  function update(req: FakeRequest, agent: AgentConfig): FakeResponse {
    const ip = req.remoteAddress;
    const body = req.body;
    if (!isPlainObject(body)) return wecomError(47001, ip);
    if (!sameAgent(body, agent)) return wecomError(40056, ip);
    // unverified: the errcode for a used, expired or unknown response_code; the fake answers 40058 with the reason.
    const found = ctx.cardBook.lookup(body.response_code);
    if ('error' in found) return badParam(ip, found.error);
    const card = found.card;
    if (card.via !== 'app' || card.agentId !== agent.agentId) return badParam(ip, 'response_code invalid');

    const replaceName = isPlainObject(body.button) ? body.button.replace_name : undefined;
    let templateCard: Record<string, unknown> | undefined;
    if (body.template_card !== undefined) {
      const problem = checkTemplateCard(body.template_card);
      if (problem) return badParam(ip, problem);
      templateCard = body.template_card as Record<string, unknown>;
      if (templateCard.task_id !== card.taskId) return badParam(ip, 'template_card.task_id not match');
    } else if (typeof replaceName !== 'string' || !replaceName) {
      return badParam(ip, 'button.replace_name or template_card required');
    }

    const userids = Array.isArray(body.userids) ? body.userids.map(String) : undefined;
    const invaliduser = members && userids ? userids.filter((u) => !members.has(u)) : [];
    ctx.cardBook.spend(body.response_code as string);
    applyUpdate(card, {
      at: ctx.clock(),
      via: 'update_template_card',
      ...(userids ? { userids } : {}),
      ...(templateCard ? { templateCard } : { replaceName: replaceName as string }),
    });
    ctx.world.cardChanged(card.taskId);
    return ok({ invaliduser });
  }

  return {
    'POST /cgi-bin/message/send': tokenApi(ctx, send),
    'POST /cgi-bin/message/update_template_card': tokenApi(ctx, update),
  };
}
