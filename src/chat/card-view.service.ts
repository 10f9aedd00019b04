import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { HeldItem, relationOf } from '../cases/command-runner';
import { ItemRequest } from '../cases/item-request.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { Clock } from '../shared/clock';
import { DirectoryCache } from '../org/directory-cache';
import { mayReadItem } from '../auth/read-scope';
import { itemView, ItemView } from '../cases/item.view';
import { CardInstance, CardKind } from './card-instance.entity';
import { MessageKinds } from '../outbox/message-kinds';
import { approvalCard, assignmentCard, CardView, extensionCard, reviewCard } from './cards';
import { SettingsService } from '../settings/settings.service';
import { CalendarService } from '../calendar/calendar.service';
import { lastExtensionDay } from '../cases/deadline.rules';
import { formatShanghai, shanghaiDate } from '../shared/shanghai-time';

/** What a click's card row says about where the card sits (card_instance: written once, never changed). */
export interface CardPlace {
  kind: CardKind;
  target: CardInstance['target'];
}

/** Builds the platform-neutral card an item shows a given viewer (or nobody in particular, for a group's shared view). */
@Injectable()
export class CardViewService {
  constructor(
    private readonly db: DataSource,
    private readonly directory: DirectoryCache,
    private readonly clock: Clock,
    private readonly kinds: MessageKinds,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
  ) {}

  /**
   * The card as the clicker sees it now, read from the database (a click whose command did not run: a refusal, a hint).
   * `place`: the clicked card's row when the caller has it, else it is looked up by `outTrackId`.
   */
  async forViewer(number: string, actor: Actor | null, outTrackId?: string, action?: string, place?: CardPlace | null): Promise<CardView | null> {
    if (this.kinds.handlesDecision(number)) return this.kinds.buildDecision(number, actor);
    // Units first, then the item: the state shown is never older than the signatures it is shown with.
    const units = await this.db
      .getRepository(ItemUnit)
      .createQueryBuilder('iu')
      .innerJoin(Item, 'i', 'i.id = iu.item_id')
      .where('i.number = :number', { number })
      .getMany();
    const item = await this.db.getRepository(Item).findOneBy({ number });
    if (!item) return null;
    const instance = place !== undefined ? place : outTrackId ? await this.db.getRepository(CardInstance).findOneBy({ outTrackId }) : null;
    return this.answer({ item, units: units.filter((u) => u.itemId === item.id) }, actor, instance, action);
  }

  /**
   * Issue 17: the card as the clicker's own command left the item — what it held under the item's lock when it ended,
   * which is what it committed — so the answer reads nothing of the item again.
   */
  fromCommand(held: Pick<HeldItem, 'item' | 'units'>, actor: Actor | null, place: CardPlace | null, action?: string): Promise<CardView | null> {
    return this.answer(held, actor, place, action);
  }

  private async answer(
    { item, units }: Pick<HeldItem, 'item' | 'units'>,
    actor: Actor | null,
    place: CardPlace | null,
    action?: string,
  ): Promise<CardView | null> {
    // P4: a clicker outside the item's read scope is shown no card (as for a number that does not exist).
    if (actor && !mayReadItem(actor, item, units)) return null;
    const kind = place?.kind ?? this.kindOf(action);
    // Issue 14: a card in a unit's group shows everyone there the same thing — what that unit may do — so a click is
    // answered with that view, not the clicker's own (which the platform would then show the whole group).
    if (place?.target.startsWith('group:')) {
      const group = await this.directory.group(Number(place.target.slice('group:'.length)));
      return this.render(item, units, kind, null, group?.unitId ?? null);
    }
    return this.render(item, units, kind, actor);
  }

  /** `groupUnitId`: the card sits in that unit's group, so it shows what a contact of that unit may do. */
  async build(item: Item, kind: CardKind, actor: Actor | null, groupUnitId?: number | null): Promise<CardView> {
    // Units first, then the item: the state shown is never older than the signatures it is shown with.
    const units = await this.db.getRepository(ItemUnit).findBy({ itemId: item.id });
    item = (await this.db.getRepository(Item).findOneBy({ id: item.id })) ?? item;
    return this.render(item, units, kind, actor, groupUnitId);
  }

  private async render(item: Item, units: ItemUnit[], kind: CardKind, actor: Actor | null, groupUnitId?: number | null): Promise<CardView> {
    const view = await this.view(item, units);
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

  /** The item as a card shows it (ItemQueriesService.views for one item whose units are at hand; names from the directory cache). */
  private async view(item: Item, units: ItemUnit[]): Promise<ItemView> {
    const unitIds = [...units.map((u) => u.unitId), ...(item.ownerUnitId === null ? [] : [item.ownerUnitId])];
    const [unitsById, people, parent] = await Promise.all([
      this.directory.units(unitIds),
      this.directory.people([item.ownerId, item.leaderId]),
      item.parentId === null ? null : this.parentNumber(item.parentId),
    ]);
    const numbers = new Map<number, string>(item.parentId !== null && parent ? [[item.parentId, parent]] : []);
    return itemView(item, units, { units: unitsById, people, numbers }, this.clock.now());
  }

  /** An item's number never changes once given: parents' numbers are kept (bounded). */
  private readonly parents = new Map<number, string>();
  private async parentNumber(id: number): Promise<string | null> {
    const known = this.parents.get(id);
    if (known !== undefined) return known;
    const row = await this.db.getRepository(Item).findOne({ where: { id }, select: { id: true, number: true } });
    if (!row) return null;
    if (this.parents.size >= 10_000) this.parents.clear();
    this.parents.set(id, row.number);
    return row.number;
  }

  private kindOf(action?: string): CardKind {
    if (action === 'approve') return 'approval';
    if (action?.startsWith('ext:')) return 'extension';
    if (action === 'return' || action?.startsWith('rate:')) return 'review';
    return 'assignment';
  }
}
