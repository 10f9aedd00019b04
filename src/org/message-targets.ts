import { EntityManager, In } from 'typeorm';
import { ChatGroup } from './chat-group.entity';
import { Person } from './person.entity';
import { RoleGrant } from './role-grant.entity';
import type { OutboxTarget } from '../outbox/outbox-message.entity';

export interface Target {
  target: OutboxTarget;
  platform?: string | null;
}

/** P1: a unit is reached in its own groups; a unit with no group, through its contacts one to one. */
export async function unitTargets(em: EntityManager, unitIds: number[]): Promise<Target[]> {
  if (unitIds.length === 0) return [];
  const groups = await em.findBy(ChatGroup, { unitId: In(unitIds), purpose: 'unit' });
  const out: Target[] = groups.map((g) => ({ target: `group:${g.id}`, platform: g.platform }));
  const withoutGroup = unitIds.filter((id) => !groups.some((g) => g.unitId === id));
  if (withoutGroup.length) {
    const contacts = await em.findBy(RoleGrant, { unitId: In(withoutGroup), role: In(['unit_contact', 'unit_head']) });
    for (const pid of await stillActive(
      em,
      contacts.map((c) => c.personId),
    ))
      out.push({ target: `person:${pid}` });
  }
  return out;
}

/**
 * unitTargets for many units at once (issue 17: a reminder claim reaches a hundred units): each unit's targets exactly
 * as unitTargets(em, [unit]) gives them, the groups of all of them in one read.
 */
export async function unitTargetsEach(em: EntityManager, unitIds: number[]): Promise<Map<number, Target[]>> {
  const out = new Map<number, Target[]>();
  if (unitIds.length === 0) return out;
  for (const g of await em.findBy(ChatGroup, { unitId: In(unitIds), purpose: 'unit' })) {
    const unit = g.unitId as number;
    out.set(unit, [...(out.get(unit) ?? []), { target: `group:${g.id}`, platform: g.platform }]);
  }
  for (const id of unitIds) if (!out.has(id)) out.set(id, await unitTargets(em, [id]));
  return out;
}

/** The 督查室: its supervision groups, or else its staff one to one. */
export async function supervisionTargets(em: EntityManager): Promise<Target[]> {
  const groups = await em.findBy(ChatGroup, { purpose: 'supervision' });
  if (groups.length) return groups.map((g) => ({ target: `group:${g.id}`, platform: g.platform }));
  const staff = await em.findBy(RoleGrant, { role: 'supervisor' });
  return (
    await stillActive(
      em,
      staff.map((s) => s.personId),
    )
  ).map((id) => ({ target: `person:${id}` as const }));
}

/** Issue 15: people retired (停用) are sent nothing; ids in the order given, once each. */
async function stillActive(em: EntityManager, ids: number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const active = new Set((await em.findBy(Person, { id: In(unique), active: true })).map((p) => p.id));
  return unique.filter((id) => active.has(id));
}

/**
 * P2, P4: the owner office (立项主体, a 科室) is reached through its people who hold the owner role, one to one; if it
 * has none (yet), through the item's owner person, so the message is never lost.
 */
export async function ownerOfficeTargets(em: EntityManager, officeId: number | null, ownerId: number): Promise<Target[]> {
  if (officeId === null) return [{ target: `person:${ownerId}` }];
  const rows: { id: number }[] = await em
    .createQueryBuilder(Person, 'p')
    .innerJoin(RoleGrant, 'g', 'g.person_id = p.id AND g.role = :role', { role: 'owner' })
    .select('p.id', 'id')
    .where('p.unit_id = :officeId AND p.active = :active', { officeId, active: true })
    .orderBy('p.id', 'ASC')
    .getRawMany();
  const ids = [...new Set(rows.map((r) => Number(r.id)))];
  return (ids.length ? ids : [ownerId]).map((id) => ({ target: `person:${id}` as const }));
}
