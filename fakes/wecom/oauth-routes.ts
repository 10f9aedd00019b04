import { randomBytes } from 'node:crypto';
import type { FakeContext, RouteTable } from './context';
import { tokenApi } from './context';
import { ok, wecomError } from './errors';
import type { Clock, FakeResponse } from './types';

/** A code from the authorize page: good for one getuserinfo within 5 minutes ("只能使用一次，5分钟未被使用自动过期"). */
export const OAUTH_CODE_TTL_MS = 5 * 60_000;

/** Who is "on the phone" when the authorize page is opened: a corp member (userid) or an outsider (openid). */
export type PhoneUser = { userId: string } | { openId: string };

interface IssuedCode {
  who: PhoneUser;
  expiresAt: number;
  used: boolean;
}

/** The codes the authorize page handed out, each redeemable once before it expires. */
export class OAuthCodeBook {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly clock: Clock) {}

  issue(who: PhoneUser): string {
    // Real codes are opaque url-safe strings of up to 512 bytes; 43 characters stand in.
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { who, expiresAt: this.clock() + OAUTH_CODE_TTL_MS, used: false });
    return code;
  }

  /** The person behind a code, once; unknown, used and expired codes all answer null (WeCom: 40029 invalid code). */
  redeem(code: string | null): PhoneUser | null {
    const c = code ? this.codes.get(code) : undefined;
    if (!c || c.used || this.clock() >= c.expiresAt) return null;
    c.used = true;
    return c.who;
  }
}

const page = (status: number, title: string, text: string): FakeResponse => ({
  status,
  contentType: 'text/html; charset=utf-8',
  body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head><body><h3>${title}</h3><p>${text}</p></body></html>`,
});

/**
 * WeCom's web authorisation (OAuth2, 网页授权登录): the authorize page open.weixin.qq.com serves inside the WeCom client,
 * and qyapi's `GET /cgi-bin/auth/getuserinfo` that turns its code into the member's userid (or an outsider's openid).
 * The page redirects straight back with a code for whoever the test put "on the phone" (FakeWeCom.putOnPhone); with
 * nobody there it answers as WeCom does outside its client: a page asking to open the link in WeCom.
 */
export function oauthRoutes(ctx: FakeContext, codes: OAuthCodeBook, onPhone: () => PhoneUser | null): RouteTable {
  return {
    'GET /connect/oauth2/authorize': (req) => {
      const q = req.query;
      const redirect = q.get('redirect_uri') ?? '';
      const state = q.get('state') ?? '';
      if (q.get('appid') !== ctx.opts.corpId) return page(200, '参数错误', 'appid 不是本企业的 CorpID。');
      if (q.get('response_type') !== 'code') return page(200, '参数错误', 'response_type 必须为 code。');
      const scope = q.get('scope');
      if (scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo') return page(200, '参数错误', 'scope 不合法。');
      const agentId = q.get('agentid');
      if (scope === 'snsapi_privateinfo' && !agentId) return page(200, '参数错误', 'snsapi_privateinfo 必须填写 agentid。');
      if (agentId && !ctx.opts.agents.some((a) => String(a.agentId) === agentId)) return page(200, '参数错误', 'agentid 不是本企业的应用。');
      if (!/^[A-Za-z0-9]{0,128}$/.test(state)) return page(200, '参数错误', 'state 只能是 a-zA-Z0-9，长度不超过 128 字节。');
      let target: URL;
      try {
        target = new URL(redirect);
      } catch {
        return page(200, 'redirect_uri 参数错误', '请使用 urlencode 对回调链接进行处理。');
      }
      const who = onPhone();
      if (!who) return page(200, '请在企业微信客户端打开链接', '');
      target.searchParams.set('code', codes.issue(who));
      target.searchParams.set('state', state);
      return { status: 302, body: '', contentType: 'text/html; charset=utf-8', headers: { Location: target.toString() } };
    },

    'GET /cgi-bin/auth/getuserinfo': tokenApi(ctx, (req) => {
      const who = codes.redeem(req.query.get('code'));
      if (!who) return wecomError(40029, req.remoteAddress, 'invalid code');
      return 'userId' in who ? ok({ userid: who.userId }) : ok({ openid: who.openId });
    }),
  };
}
