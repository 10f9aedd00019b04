import { SetMetadata } from '@nestjs/common';

/** Route metadata the auth guard reads (src/auth/auth.guard.ts enforces it); declared here so infrastructure controllers can state who may call them without importing auth. */
export const PUBLIC_ROUTE = 'duban:public';
export const ROUTE_ROLES = 'duban:roles';
/** A route anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Only the admin token or a person holding one of these roles may call the route. Item commands check finer rules themselves. */
export const RequireRoles = (...roles: string[]) => SetMetadata(ROUTE_ROLES, roles);
