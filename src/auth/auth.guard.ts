import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../shared/errors';
import type { Actor } from '../shared/actor';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../http/route-access';
import { TokenService } from './token.service';
import { SessionService } from './session.service';
import { crossSite, sameSite, sessionCookie, sessionFromCookieHeader } from './session.rules';

// The route marks (Public, RequireRoles, CurrentActor) are in src/http/route-access.ts; re-exported for the controllers that import them from here.
export { CurrentActor, Public, RequireRoles } from '../http/route-access';

/**
 * `Authorization: Bearer <token>` on every /api route — or (issue 15) the console's session cookie, which resolves the
 * same Actor; a cookie request that changes state must come from the console's own origin (CSRF).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = await this.actorOf(req, ctx.switchToHttp().getResponse<Response>());
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !actor.isAdmin && !actor.grants.some((g) => roles.includes(g.role))) {
      throw new DomainError('AUTH.FORBIDDEN', '您没有执行此操作的权限。', 'forbidden');
    }
    return true;
  }

  /** The Bearer header first (programs); else the session cookie (the console). */
  private async actorOf(req: Request, res: Response): Promise<Actor> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (m) {
      const actor = await this.tokens.resolve(m[1]);
      if (!actor) throw new DomainError('AUTH.BAD_TOKEN', '访问令牌无效或已吊销，请向管理员重新申请。', 'unauthenticated');
      return actor;
    }
    const value = sessionFromCookieHeader(req.headers.cookie);
    if (!value)
      throw new DomainError(
        'AUTH.MISSING_TOKEN',
        '尚未登录：请先登录督办系统再操作（程序调用请在请求头中带上访问令牌：Authorization: Bearer <令牌>）。',
        'unauthenticated',
      );
    const found = await this.sessions.resolve(value);
    if (!found) throw new DomainError('AUTH.SESSION_EXPIRED', '登录已过期或已退出，请重新登录督办系统。', 'unauthenticated');
    if (!sameSite({ method: req.method, origin: req.headers.origin, referer: req.headers.referer, host: req.headers.host }, this.sessions.publicBaseUrl)) {
      throw crossSite();
    }
    // Sliding: each recorded use gives the browser's cookie another 8 hours, as the server does.
    if (found.renewed) res.append('Set-Cookie', sessionCookie(value, this.sessions.secure));
    return found.actor;
  }
}
