import { EntityManager, In } from 'typeorm';
import { ChatGroup } from './chat-group.entity';
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
    for (const pid of new Set(contacts.map((c) => c.personId))) out.push({ target: `person:${pid}` });
  }
  return out;
}

/** The 督查室: its supervision groups, or else its staff one to one. */
export async function supervisionTargets(em: EntityManager): Promise<Target[]> {
  const groups = await em.findBy(ChatGroup, { purpose: 'supervision' });
  if (groups.length) return groups.map((g) => ({ target: `group:${g.id}`, platform: g.platform }));
  const staff = await em.findBy(RoleGrant, { role: 'supervisor' });
  return [...new Set(staff.map((s) => s.personId))].map((id) => ({ target: `person:${id}` as const }));
}
