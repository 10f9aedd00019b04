import type { Channel, Role } from './vocabulary';

/** Who is acting, resolved once per request or chat event (P3: from a token or a platform id, never from typed text). */
export interface Actor {
  /** null for the bootstrap admin token, which is not a person. */
  personId: number | null;
  name: string;
  isAdmin: boolean;
  grants: ReadonlyArray<{ role: Role; unitId: number | null }>;
  channel: Channel;
  /** P2, P4: the person's home unit — for an owner, the office (科室) whose items the person may act on. */
  officeId?: number | null;
}

export const hasRole = (a: Actor, role: Role): boolean => (a.isAdmin && role === 'admin') || a.grants.some((g) => g.role === role);

/** Units this person speaks for (P1: contact or head). */
export const unitsOf = (a: Actor): number[] =>
  a.grants.filter((g) => (g.role === 'unit_contact' || g.role === 'unit_head') && g.unitId !== null).map((g) => g.unitId as number);

/**
 * P4: 谁立项、谁督办 — the 立项主体 is an office, any of whose owner-role people may act: the item's owner person, or
 * anyone holding the owner role whose home unit is the item's owner office.
 */
export const actsAsOwner = (a: Actor, item: { ownerId: number; ownerUnitId: number | null }): boolean =>
  a.personId !== null &&
  (a.personId === item.ownerId || (item.ownerUnitId !== null && a.officeId === item.ownerUnitId && a.grants.some((g) => g.role === 'owner')));

export const SYSTEM_ACTOR: Actor = { personId: null, name: '系统', isAdmin: false, grants: [], channel: 'system' };
