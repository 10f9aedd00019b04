import type { CardBook } from './cards';
import { wecomError } from './errors';
import type { ForcedFailures } from './limits';
import type { TokenBook } from './tokens';
import type { AgentConfig, Clock, FakeRequest, FakeResponse, ResolvedOptions, Route } from './types';
import type { World } from './world';

/** What every route module needs: options, clock, shared state and the address the server ended up on. */
export interface FakeContext {
  opts: ResolvedOptions;
  clock: Clock;
  world: World;
  tokens: TokenBook;
  forced: ForcedFailures;
  cardBook: CardBook;
  /** Filled in once the server listens. */
  apiBase: string;
}

export type RouteTable = Record<string, Route>;

/** A forced failure for this path, answered as WeCom would. */
export function forcedFailure(ctx: FakeContext, req: FakeRequest): FakeResponse | undefined {
  const f = ctx.forced.take(req.path);
  return f ? wecomError(f.errcode, req.remoteAddress, f.errmsg) : undefined;
}

/**
 * An API that takes `?access_token=`: missing → 41001, unknown → 40014, expired → 42001; then any failure a test
 * forced on this path; then the handler with the app the token belongs to.
 */
export function tokenApi(ctx: FakeContext, handler: (req: FakeRequest, agent: AgentConfig) => FakeResponse): Route {
  return (req) => {
    const { state, agentId } = ctx.tokens.check(req.query.get('access_token'));
    if (state === 'missing') return wecomError(41001, req.remoteAddress);
    if (state === 'invalid') return wecomError(40014, req.remoteAddress);
    if (state === 'expired') return wecomError(42001, req.remoteAddress);
    const forced = forcedFailure(ctx, req);
    if (forced) return forced;
    const agent = ctx.opts.agents.find((a) => a.agentId === agentId)!;
    return handler(req, agent);
  };
}

export function seconds(ctx: FakeContext): number {
  return Math.floor(ctx.clock() / 1000);
}
