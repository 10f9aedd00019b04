import { Injectable, OnModuleInit } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { EventDispatcher } from '../events/event-dispatcher';
import type { PersonRetiring, UnitRetiring } from '../org/org.events';
import { conflict } from '../shared/errors';
import { OPEN_STATES } from '../shared/vocabulary';
import { Item } from './item.entity';
import { ItemUnit } from './item-unit.entity';

const SHOWN = 5;

/**
 * Issue 15: a unit or person still carrying open items is not retired — the items would be left with nobody to sign,
 * report, rate or approve (P1, P2, P4). The refusal names the items and what to do first: 调整 them on the item page
 * (the 督查室's reassign moves the lead or co-unit, the owner and the leader) or wait until they are closed.
 */
@Injectable()
export class OrgRetirementGuard implements OnModuleInit {
  constructor(private readonly events: EventDispatcher) {}

  onModuleInit(): void {
    this.events.on('org.unit-retiring', { order: 10, name: 'cases.open-items' }, (em, e) => this.unitRetiring(em, e));
    this.events.on('org.person-retiring', { order: 10, name: 'cases.open-items' }, (em, e) => this.personRetiring(em, e));
  }

  async unitRetiring(em: EntityManager, { unitId, unitName }: UnitRetiring): Promise<void> {
    const handled = (await em.findBy(ItemUnit, { unitId })).map((u) => u.itemId);
    const open = await em.find(Item, {
      where: [...(handled.length ? [{ id: In(handled), state: In([...OPEN_STATES]) }] : []), { ownerUnitId: unitId, state: In([...OPEN_STATES]) }],
      order: { id: 'ASC' },
    });
    if (!open.length) return;
    throw conflict(
      'ORG.UNIT_HAS_OPEN_ITEMS',
      `「${unitName}」还有 ${open.length} 件未办结的督办事项（${numbers(open)}），暂不能停用。` +
        '请先在这些事项页面用「调整承办」改由其他单位承办（或另选立项主体），或待事项办结后再停用。',
      { items: open.map((i) => i.number) },
    );
  }

  async personRetiring(em: EntityManager, { personId, personName }: PersonRetiring): Promise<void> {
    const open = await em.find(Item, {
      where: [
        { ownerId: personId, state: In([...OPEN_STATES]) },
        { leaderId: personId, state: In([...OPEN_STATES]) },
      ],
      order: { id: 'ASC' },
    });
    if (!open.length) return;
    throw conflict(
      'ORG.PERSON_HAS_OPEN_ITEMS',
      `「${personName}」还是 ${open.length} 件未办结事项的立项主体或分管领导（${numbers(open)}），暂不能停用。` +
        '请先在这些事项页面用「调整承办」另选立项主体或分管领导，再停用。',
      { items: open.map((i) => i.number) },
    );
  }
}

const numbers = (items: Item[]) =>
  items
    .slice(0, SHOWN)
    .map((i) => i.number)
    .join('、') + (items.length > SHOWN ? ' 等' : '');
