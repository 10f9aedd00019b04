import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../shared/errors';
import type { Actor } from '../shared/actor';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../http/route-access';
import { TokenService } from './token.service';

// The route marks (Public, RequireRoles, CurrentActor) are in src/http/route-access.ts; re-exported for the controllers that import them from here.
export { CurrentActor, Public, RequireRoles } from '../http/route-access';

/** `Authorization: Bearer <token>` on every /api route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new DomainError('AUTH.MISSING_TOKEN', '缺少访问令牌：请在请求头中加上 Authorization: Bearer <令牌>。', 'unauthenticated');
    const actor = await this.tokens.resolve(m[1]);
    if (!actor) throw new DomainError('AUTH.BAD_TOKEN', '访问令牌无效或已吊销，请向管理员重新申请。', 'unauthenticated');
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !actor.isAdmin && !actor.grants.some((g) => roles.includes(g.role))) {
      throw new DomainError('AUTH.FORBIDDEN', '您没有执行此操作的权限。', 'forbidden');
    }
    return true;
  }
}
