import { randomBytes } from 'node:crypto';
import type { FakeContext, RouteTable } from './context';
import { oapi } from './context';
import { isPlainObject, oapiError } from './errors';
import type { Clock } from './types';

/** A 免登 auth code is good for one exchange within 5 minutes (DingTalk: "有效期为5分钟", "只能使用一次"). */
export const AUTH_CODE_TTL_MS = 5 * 60_000;

interface IssuedCode {
  userId: string;
  expiresAt: number;
  used: boolean;
}

/** Auth codes the JSAPI handed out, each redeemable once before it expires. */
export class AuthCodeBook {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly clock: Clock) {}

  issue(userId: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { userId, expiresAt: this.clock() + AUTH_CODE_TTL_MS, used: false });
    return code;
  }

  /** The user behind a code, once; unknown, used and expired codes all answer null (40078 不存在的临时授权码). */
  redeem(code: unknown): string | null {
    const c = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!c || c.used || this.clock() >= c.expiresAt) return null;
    c.used = true;
    return c.userId;
  }
}

const CORS = { 'Access-Control-Allow-Origin': '*' };

/**
 * A stand-in for dingtalk.open.js (the JSAPI a page inside DingTalk loads): `dd.runtime.permission.requestAuthCode({corpId,
 * onSuccess, onFail})` and `dd.getAuthCode({corpId, success, fail})` give a code for the user the test put "on the phone"
 * (the real client asks its own login; the stand-in asks the fake at /jsapi/requestAuthCode). Outside DingTalk (no
 * "DingTalk" in the user agent) or with nobody on the phone, they fail as the client would.
 */
function jsapiScript(base: string): string {
  return `/* fake dingtalk.open.js: a stand-in for DingTalk's JSAPI, served by the fake DingTalk */
(function () {
  var base = ${JSON.stringify(base)};
  var ua = navigator.userAgent || '';
  var inClient = /DingTalk/i.test(ua);
  function ask(corpId, ok, fail) {
    if (!inClient) { if (fail) fail({ errorCode: '-1', errorMessage: '请在钉钉客户端内打开' }); return; }
    fetch(base + '/jsapi/requestAuthCode?corpId=' + encodeURIComponent(corpId || ''))
      .then(function (r) { return r.json(); })
      .then(function (b) { if (b && b.code) ok({ code: b.code }); else if (fail) fail(b); },
            function (e) { if (fail) fail({ errorCode: '-1', errorMessage: String(e) }); });
  }
  var readyFns = [];
  window.dd = {
    version: 'fake',
    env: { platform: inClient ? (/iPhone|iPad/.test(ua) ? 'ios' : /Android/.test(ua) ? 'android' : 'pc') : 'notInDingTalk' },
    ready: function (cb) { setTimeout(cb, 0); },
    error: function (cb) { readyFns.push(cb); },
    runtime: { permission: { requestAuthCode: function (o) { ask(o.corpId, o.onSuccess, o.onFail); } } },
    getAuthCode: function (o) {
      ask(o.corpId, function (r) { var x = { code: r.code, authCode: r.code }; if (o.success) o.success(x); if (o.complete) o.complete(x); },
        function (e) { if (o.fail) o.fail(e); if (o.complete) o.complete(e); });
    }
  };
})();
`;
}

/**
 * 免登 (sign-in without a password inside DingTalk): the JSAPI script and its code, and the oapi exchange
 * `POST /topapi/v2/user/getuserinfo?access_token=` `{code}` → `{errcode:0, result:{userid, name, …}}`, 40078 for a code
 * that is unknown, used or past its 5 minutes.
 */
export function authCodeRoutes(ctx: FakeContext, codes: AuthCodeBook, onPhone: () => string | null): RouteTable {
  return {
    'GET /jsapi/dingtalk.open.js': () => ({ status: 200, contentType: 'application/javascript; charset=utf-8', body: jsapiScript(ctx.apiBase), headers: CORS }),

    // The fake's own: what the client does inside requestAuthCode. Errors are the fake's guess (unverified: the client's errorCode values).
    'GET /jsapi/requestAuthCode': (req) => {
      if (req.query.get('corpId') !== ctx.opts.corpId) return { status: 200, body: { errorCode: '3', errorMessage: 'corpId 不匹配' }, headers: CORS };
      const userId = onPhone();
      if (!userId) return { status: 200, body: { errorCode: '7', errorMessage: '用户未登录钉钉' }, headers: CORS };
      return { status: 200, body: { code: codes.issue(userId) }, headers: CORS };
    },

    'POST /topapi/v2/user/getuserinfo': oapi(ctx, (req) => {
      const code = isPlainObject(req.body) ? req.body.code : undefined;
      const userid = codes.redeem(code);
      if (!userid) return oapiError(40078, '不存在的临时授权码');
      const name = ctx.world.nicks.get(userid) ?? userid;
      return {
        status: 200,
        body: {
          errcode: 0,
          errmsg: 'ok',
          result: { userid, name, device_id: 'fake-device', sys: false, sys_level: 0, associated_unionid: '', unionid: `union-${userid}` },
        },
      };
    }),
  };
}
