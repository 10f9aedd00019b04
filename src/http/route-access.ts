import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../shared/actor';

/**
 * Who may call a route, written on the route (P2). auth/auth.guard.ts reads these marks; they live here, with the other
 * HTTP plumbing, so that any controller — org's too, which auth builds on — may use them without importing auth.
 */
export const PUBLIC_ROUTE = 'duban:public';
export const REQUIRED_ROLES = 'duban:roles';
/** A route anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Only the admin token or a person holding one of these roles may call the route. Item commands check finer rules themselves. */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<Request & { actor: Actor }>().actor;
});
