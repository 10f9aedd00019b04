import type { FakeContext, RouteTable } from './context';
import { forcedFailure } from './context';
import { ok, wecomError } from './errors';

/** `GET /cgi-bin/gettoken?corpid=&corpsecret=`: one token per app, found by its secret. */
export function tokenRoutes(ctx: FakeContext): RouteTable {
  return {
    'GET /cgi-bin/gettoken': (req) => {
      const forced = forcedFailure(ctx, req);
      if (forced) return forced;
      if (req.query.get('corpid') !== ctx.opts.corpId) return wecomError(40013, req.remoteAddress);
      const agent = ctx.opts.agents.find((a) => a.secret === req.query.get('corpsecret'));
      if (!agent) return wecomError(40001, req.remoteAddress);
      const { token, expiresIn } = ctx.tokens.issue(agent.agentId);
      return ok({ access_token: token, expires_in: expiresIn });
    },
  };
}
