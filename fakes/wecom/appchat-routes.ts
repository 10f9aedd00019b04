import { randomBytes } from 'node:crypto';
import type { FakeContext, RouteTable } from './context';
import { tokenApi } from './context';
import { badParam, byteLength, isPlainObject, ok, truncateBytes, wecomError } from './errors';
import { SlidingWindow } from './limits';
import { newMsgId } from './message-routes';

const CHAT_ID = /^[0-9a-zA-Z]{1,32}$/;
const SENDABLE = ['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown'];
const PER_MEMBER_PER_MINUTE = 200;

interface AppChat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
  agentId: number;
}

/**
 * Groups a self-built app creates (`appchat/create`) and sends into (`appchat/send`): send-only, no template_card.
 * What lands shows in groupMessages(chatid) with via 'appchat'.
 */
export function appchatRoutes(ctx: FakeContext): RouteTable {
  const chats = new Map<string, AppChat>();
  const perMinute = new SlidingWindow(ctx.clock, 60_000);

  return {
    'POST /cgi-bin/appchat/create': tokenApi(ctx, (req, agent) => {
      const ip = req.remoteAddress;
      const b = req.body;
      if (!isPlainObject(b)) return wecomError(47001, ip);
      const userlist = Array.isArray(b.userlist) ? b.userlist.map(String) : [];
      if (userlist.length < 2 || userlist.length > 2000) return badParam(ip, 'userlist count must be 2..2000');
      const name = typeof b.name === 'string' ? b.name : '';
      if ([...name].length > 50) return badParam(ip, 'name exceed max length 50');
      if (b.chatid !== undefined && (typeof b.chatid !== 'string' || !CHAT_ID.test(b.chatid))) return badParam(ip, 'chatid invalid');
      const chatid = typeof b.chatid === 'string' ? b.chatid : randomBytes(16).toString('hex');
      if (chats.has(chatid)) return wecomError(86215, ip);
      const owner = typeof b.owner === 'string' && b.owner ? b.owner : userlist[0];
      chats.set(chatid, { chatid, name, owner, userlist, agentId: agent.agentId });
      ctx.world.knownGroups.add(chatid);
      return ok({ chatid });
    }),

    'POST /cgi-bin/appchat/send': tokenApi(ctx, (req, agent) => {
      const ip = req.remoteAddress;
      const b = req.body;
      if (!isPlainObject(b)) return wecomError(47001, ip);
      const chat = typeof b.chatid === 'string' ? chats.get(b.chatid) : undefined;
      if (!chat) return wecomError(86003, ip);
      // No buttons in app groups: template_card is not a type appchat/send knows (unverified: the exact errcode).
      if (typeof b.msgtype !== 'string' || !SENDABLE.includes(b.msgtype)) return wecomError(40008, ip);
      let part = isPlainObject(b[b.msgtype]) ? (b[b.msgtype] as Record<string, unknown>) : undefined;
      if (!part) return badParam(ip, `${b.msgtype} missing`);
      if (b.msgtype === 'text' || b.msgtype === 'markdown') {
        if (typeof part.content !== 'string' || !part.content) return wecomError(44004, ip);
        if (b.msgtype === 'markdown' && byteLength(part.content) > 2048) return badParam(ip, 'markdown.content exceed max length 2048');
        if (b.msgtype === 'text') part = { ...part, content: truncateBytes(part.content, 2048) };
      }
      const now = ctx.clock();
      const msgid = newMsgId();
      // Per member 200 a minute in app groups, excess silently dropped; counted per group here.
      if (perMinute.count(chat.chatid) >= PER_MEMBER_PER_MINUTE) {
        ctx.world.drop({ reason: 'appchat-limit', chatid: chat.chatid, msgid, at: now });
      } else {
        perMinute.add(chat.chatid);
        ctx.world.toGroup(chat.chatid, { via: 'appchat', agentId: agent.agentId, msgid, at: now, msgtype: b.msgtype, [b.msgtype]: part, safe: b.safe ?? 0 });
      }
      return ok();
    }),
  };
}
