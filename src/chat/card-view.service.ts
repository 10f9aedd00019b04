import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { relationOf } from '../cases/command-runner';
import { ItemQueriesService } from '../cases/item-queries.service';
import { ItemRequest } from '../cases/item-request.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { Clock } from '../shared/clock';
import { CardInstance, CardKind } from './card-instance.entity';
import { MessageKinds } from '../outbox/message-kinds';
import { approvalCard, assignmentCard, CardView, reviewCard } from './cards';

/** Builds the platform-neutral card an item shows a given viewer (or nobody in particular, for a group's shared view). */
@Injectable()
export class CardViewService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly clock: Clock,
    private readonly kinds: MessageKinds,
  ) {}

  async forViewer(number: string, actor: Actor | null, outTrackId?: string, action?: string): Promise<CardView | null> {
    if (this.kinds.handlesDecision(number)) return this.kinds.buildDecision(number, actor);
    const item = await this.db.getRepository(Item).findOneBy({ number });
    // P4: a clicker outside the item's read scope is shown no card (as for a number that does not exist).
    if (!item || (actor && !(await this.queries.canSee(item, actor)))) return null;
    const kind = await this.kindOf(outTrackId, action);
    return this.build(item, kind, actor);
  }

  /** `groupUnitId`: the card sits in that unit's group, so it shows what a contact of that unit may do. */
  async build(item: Item, kind: CardKind, actor: Actor | null, groupUnitId?: number | null): Promise<CardView> {
    // Units first, then the item: the state shown is never older than the signatures it is shown with.
    const units = await this.db.getRepository(ItemUnit).findBy({ itemId: item.id });
    item = (await this.db.getRepository(Item).findOneBy({ id: item.id })) ?? item;
    const [view] = await this.queries.views([item]);
    const groupLink = groupUnitId ? units.find((u) => u.unitId === groupUnitId) : undefined;
    const who = actor ? relationOf(actor, item, units) : groupLink ? { isSupervisor: false, isOwner: false, isLeader: false, unitRole: groupLink.role } : null;
    // A unit that has signed is not offered 签收 again.
    const mine = actor ? units.filter((u) => unitsOf(actor).includes(u.unitId)) : groupLink ? [groupLink] : [];
    const signed = mine.length > 0 && mine.every((u) => u.signedAt !== null);
    const now = this.clock.now();
    if (kind === 'review' || kind === 'approval') {
      const closure = await this.db.getRepository(ItemRequest).findOne({ where: { itemId: item.id, kind: 'closure' }, order: { id: 'DESC' } });
      const summary = closure?.text ?? '';
      const viewer = who ?? { isSupervisor: false, isOwner: false, isLeader: false };
      return kind === 'review' ? reviewCard(view, summary, viewer, now) : approvalCard(view, summary, viewer, now);
    }
    return assignmentCard(view, who, now, signed);
  }

  private async kindOf(outTrackId?: string, action?: string): Promise<CardKind> {
    if (outTrackId) {
      const card = await this.db.getRepository(CardInstance).findOneBy({ outTrackId });
      if (card) return card.kind;
    }
    if (action === 'approve') return 'approval';
    if (action === 'return' || action?.startsWith('rate:')) return 'review';
    return 'assignment';
  }
}
