import { hasRole, unitsOf, type Actor } from '../shared/actor';

/**
 * P4, the one read-scope rule for items (lists, single reads, timelines, dossiers, the 台账 and its export, chat answers)
 * and for unit-level figures (scores):
 *   - admin, supervisor (督查室), owner (立项主体: "谁立项、谁督办", an office supervising items) and leader (领导: signs
 *     off, coordinates, receives the B4 statistics) see everything;
 *   - anyone else — unit contacts and heads — sees the items its units lead or co-handle, plus any item the person is
 *     named on as owner or leader;
 *   - nobody else sees anything.
 * Outside the scope an item is answered exactly like a number that does not exist (its existence is not revealed).
 */
export type ReadScope = { all: true } | { all: false; unitIds: number[]; personId: number | null };

export const seesEverything = (a: Actor): boolean => a.isAdmin || hasRole(a, 'supervisor') || hasRole(a, 'owner') || hasRole(a, 'leader');

export function readScope(a: Actor): ReadScope {
  if (seesEverything(a)) return { all: true };
  return { all: false, unitIds: [...new Set(unitsOf(a))], personId: a.personId };
}

/** Unit-level figures (scores): everything, or the own units. */
export const mayReadUnit = (a: Actor, unitId: number): boolean => seesEverything(a) || unitsOf(a).includes(unitId);

/**
 * P4 for one item whose units are at hand (issue 17: a click's card is answered from what its command held) — the same
 * rule as ItemQueriesService.scoped, without asking the database.
 */
export function mayReadItem(a: Actor, item: { ownerId: number; leaderId: number }, units: ReadonlyArray<{ unitId: number }>): boolean {
  const scope = readScope(a);
  if (scope.all) return true;
  if (scope.personId !== null && (item.ownerId === scope.personId || item.leaderId === scope.personId)) return true;
  return units.some((u) => scope.unitIds.includes(u.unitId));
}
