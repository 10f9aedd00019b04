import type { Channel, Role } from './vocabulary';

/** Who is acting, resolved once per request or chat event (P3: from a token or a platform id, never from typed text). */
export interface Actor {
  /** null for the bootstrap admin token, which is not a person. */
  personId: number | null;
  name: string;
  isAdmin: boolean;
  grants: ReadonlyArray<{ role: Role; unitId: number | null }>;
  channel: Channel;
}

export const hasRole = (a: Actor, role: Role): boolean => (a.isAdmin && role === 'admin') || a.grants.some((g) => g.role === role);

/** Units this person speaks for (P1: contact or head). */
export const unitsOf = (a: Actor): number[] =>
  a.grants.filter((g) => (g.role === 'unit_contact' || g.role === 'unit_head') && g.unitId !== null).map((g) => g.unitId as number);

export const SYSTEM_ACTOR: Actor = { personId: null, name: '系统', isAdmin: false, grants: [], channel: 'system' };
