import type { FakeContext, RouteTable } from './context';
import { oapi } from './context';
import { errors, isPlainObject, oapiError } from './errors';

/**
 * Both token endpoints. The Node SDK's getAccessToken() uses the legacy GET /gettoken; adapters should use
 * POST /v1.0/oauth2/accessToken. They share one token, as DingTalk's do.
 */
export function tokenRoutes(ctx: FakeContext): RouteTable {
  const goodCredentials = (key: unknown, secret: unknown) => key === ctx.opts.clientId && secret === ctx.opts.clientSecret;

  return {
    'POST /v1.0/oauth2/accessToken': (req) => {
      const body = isPlainObject(req.body) ? req.body : {};
      if (!goodCredentials(body.appKey, body.appSecret)) return errors.invalidClientIdOrSecret();
      const { token, expiresIn } = ctx.tokens.issue();
      return { status: 200, body: { accessToken: token, expireIn: expiresIn } };
    },

    'GET /gettoken': (req) => {
      if (!goodCredentials(req.query.get('appkey'), req.query.get('appsecret'))) {
        // unverified: the errcode for bad app credentials on /gettoken (40089 is the corpid/corpsecret one).
        return oapiError(40089, '不合法的appKey或appSecret');
      }
      const { token, expiresIn } = ctx.tokens.issue();
      return { status: 200, body: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresIn } };
    },

    // A legacy call that needs the app token, so an adapter's oapi token handling can be exercised too.
    'POST /topapi/v2/user/get': oapi(ctx, (req) => {
      const userid = isPlainObject(req.body) ? req.body.userid : undefined;
      if (typeof userid !== 'string' || !userid) return oapiError(40035, '缺少参数 userid');
      const name = ctx.world.nicks.get(userid);
      if (name === undefined) return oapiError(60121, '找不到该用户');
      return { status: 200, body: { errcode: 0, errmsg: 'ok', result: { userid, name } } };
    }),
  };
}
