import { errors } from './errors';
import type { ApiThrottle } from './throttle';
import type { TokenBook } from './tokens';
import type { Clock, FakeRequest, FakeResponse, ResolvedOptions, Route } from './types';
import type { World } from './world';

/** What every route module needs: options, clock, shared state and the addresses the server ended up on. */
export interface FakeContext {
  opts: ResolvedOptions;
  clock: Clock;
  world: World;
  tokens: TokenBook;
  throttle: ApiThrottle;
  /** Filled in once the server listens. */
  apiBase: string;
  oapiBase: string;
}

export type RouteTable = Record<string, Route>;

export function header(req: FakeRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A new-style API (api.dingtalk.com): the token travels in `x-acs-dingtalk-access-token`; auth is checked before
 * flow control, as the gateway would, so a throttled call is still a well-authenticated one.
 */
export function newApi(ctx: FakeContext, api: string, handler: (req: FakeRequest) => FakeResponse): Route {
  return (req) => {
    if (ctx.tokens.check(header(req, 'x-acs-dingtalk-access-token')) !== 'ok') return errors.invalidAuthentication();
    return ctx.throttle.admit(api) ?? handler(req);
  };
}

/** A legacy oapi call: token in `?access_token=`, errors as HTTP 200 {errcode, errmsg}. */
export function oapi(ctx: FakeContext, handler: (req: FakeRequest) => FakeResponse): Route {
  return (req) => {
    if (ctx.tokens.check(req.query.get('access_token') ?? undefined) !== 'ok') return errors.oapiBadToken();
    return handler(req);
  };
}
