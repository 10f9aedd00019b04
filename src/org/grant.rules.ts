import { ROLE_LABELS, type Role } from '../shared/vocabulary';
import { forbidden } from '../shared/errors';
import type { Actor } from '../shared/actor';

/**
 * Who may change whom (P2, P3). The directory is kept by the 督查室, but the roles that decide or see across units —
 * admin, supervisor (督查室), owner (立项主体), leader (领导) — are "privileged", and only an admin may
 *   - grant or take away a privileged role (a new person's, an existing person's, by form or by import), and
 *   - change anything about a person who holds one: bind a chat account to them (P3: every click and command is
 *     authorised from that account), or alter their row through an import.
 * The 督查室 may still create units and groups and create, bind and re-role unit contacts and heads.
 *
 * `by` undefined means the service itself (demo seed, the import CLI run on the server): trusted, as an admin.
 */
export const PRIVILEGED_ROLES: readonly Role[] = ['admin', 'supervisor', 'owner', 'leader'];

/** What each role is called (kept in the shared vocabulary, where the 400 messages read it too). */
export const ROLE_NAMES: Record<Role, string> = ROLE_LABELS;

export const isPrivileged = (roles: readonly Role[]): boolean => roles.some((r) => PRIVILEGED_ROLES.includes(r));

export const mayManagePrivileged = (by: Actor | undefined): boolean => by === undefined || by.isAdmin;

/** The names of the privileged roles among these, for a sentence. */
export const privilegedNames = (roles: readonly Role[]): string =>
  [...new Set(roles.filter((r) => PRIVILEGED_ROLES.includes(r)))].map((r) => ROLE_NAMES[r]).join('、');

/** 403 with what was refused and the next step. */
export const adminOnly = (code: string, what: string) => forbidden(code, `${what}只能由管理员办理，请联系管理员。`);
