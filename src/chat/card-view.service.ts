import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { relationOf } from '../cases/command-runner';
import { ItemQueriesService } from '../cases/item-queries.service';
import { ItemRequest } from '../cases/item-request.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { Clock } from '../shared/clock';
import { ChatGroup } from '../org/chat-group.entity';
import { CardInstance, CardKind } from './card-instance.entity';
import { MessageKinds } from '../outbox/message-kinds';
import { approvalCard, assignmentCard, CardView, extensionCard, reviewCard } from './cards';
import { SettingsService } from '../settings/settings.service';
import { CalendarService } from '../calendar/calendar.service';
import { lastExtensionDay } from '../cases/deadline.rules';
import { formatShanghai, shanghaiDate } from '../shared/shanghai-time';

/** Builds the platform-neutral card an item shows a given viewer (or nobody in particular, for a group's shared view). */
@Injectable()
export class CardViewService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly clock: Clock,
    private readonly kinds: MessageKinds,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
  ) {}

  async forViewer(number: string, actor: Actor | null, outTrackId?: string, action?: string): Promise<CardView | null> {
    if (this.kinds.handlesDecision(number)) return this.kinds.buildDecision(number, actor);
    const item = await this.db.getRepository(Item).findOneBy({ number });
    // P4: a clicker outside the item's read scope is shown no card (as for a number that does not exist).
    if (!item || (actor && !(await this.queries.canSee(item, actor)))) return null;
    const instance = outTrackId ? await this.db.getRepository(CardInstance).findOneBy({ outTrackId }) : null;
    const kind = instance?.kind ?? this.kindOf(action);
    // Issue 14: a card in a unit's group shows everyone there the same thing — what that unit may do — so a click is
    // answered with that view, not the clicker's own (which the platform would then show the whole group).
    if (instance?.target.startsWith('group:')) {
      const group = await this.db.getRepository(ChatGroup).findOneBy({ id: Number(instance.target.slice('group:'.length)) });
      return this.build(item, kind, null, group?.unitId ?? null);
    }
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
    if (kind === 'extension') {
      const req = await this.db.getRepository(ItemRequest).findOne({ where: { itemId: item.id, kind: 'extension' }, order: { id: 'DESC' } });
      const viewer = who ?? { isSupervisor: false, isOwner: false, isLeader: false };
      return extensionCard(view, { proposed: formatShanghai(req?.proposedDeadline ?? null), reason: req?.text ?? '', status: req?.status ?? '' }, viewer, now);
    }
    if (kind === 'review' || kind === 'approval') {
      const closure = await this.db.getRepository(ItemRequest).findOne({ where: { itemId: item.id, kind: 'closure' }, order: { id: 'DESC' } });
      const summary = closure?.text ?? '';
      const viewer = who ?? { isSupervisor: false, isOwner: false, isLeader: false };
      return kind === 'review' ? reviewCard(view, summary, viewer, now) : approvalCard(view, summary, viewer, now);
    }
    // E1 (issue 14): 申请延期 is offered only until the last day one may ask (deadline.rules lastExtensionDay).
    const policy = await this.settings.deadlinePolicy();
    const extensionOpen = shanghaiDate(now) <= lastExtensionDay(item.deadlineAt, await this.calendar.calendar(), policy);
    return assignmentCard({ ...view, extensionOpen }, who, now, signed);
  }

  private kindOf(action?: string): CardKind {
    if (action === 'approve') return 'approval';
    if (action?.startsWith('ext:')) return 'extension';
    if (action === 'return' || action?.startsWith('rate:')) return 'review';
    return 'assignment';
  }
}
