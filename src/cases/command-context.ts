import type { EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import type { OutboxTarget } from '../outbox/outbox-message.entity';
import { OutboxWriter } from '../outbox/outbox.writer';
import { updateWhereLater } from '../database/plain-sql';
import { ownerOfficeTargets, Target, unitTargets } from '../org/message-targets';
import { conflict } from '../shared/errors';
import { Item } from './item.entity';
import type { ItemEvent } from './item-event.entity';
import type { ItemUnit } from './item-unit.entity';
import type { ItemState } from '../shared/vocabulary';
import type { ActorRelation } from './item.rules';
import { TimelineWriter } from './timeline.writer';

export interface EventInput {
  type: string;
  summary: string;
  data?: Record<string, unknown>;
}

/**
 * What a command sees inside its transaction: the item, its units, the actor — and the only three ways to
 * change anything: `transition`/`record` (state + C6 timeline) and `send` (outbox rows). All through one EntityManager.
 */
export class CommandContext {
  constructor(
    readonly em: EntityManager,
    readonly item: Item,
    readonly units: ItemUnit[],
    readonly actor: Actor,
    readonly relation: ActorRelation,
    readonly now: Date,
    private readonly timeline: TimelineWriter,
    private readonly outbox: OutboxWriter,
  ) {}

  get leadUnit(): ItemUnit {
    return this.units.find((u) => u.role === 'lead')!;
  }

  /** C5 + C6: move the item (guarded by its version: a concurrent click loses with a clear message) and log it. */
  async transition(to: ItemState, patch: Partial<Item>, event: EventInput): Promise<ItemEvent> {
    const from = this.item.state;
    // Plain SQL (issue 17): the query builder cost more than the statement.
    // Issue 17: held back in a chat event's transaction (sent with the timeline line below); the version guard is
    // checked before it commits.
    await updateWhereLater(
      this.em,
      Item,
      { ...patch, state: to, version: () => 'version + 1', remindersPlannedUntil: null },
      { id: this.item.id, version: this.item.version },
      1,
      () => conflict('CASE.CONCURRENT_UPDATE', `事项 ${this.item.number} 刚被他人更新，请刷新后重试。`),
    );
    Object.assign(this.item, patch, { state: to, version: this.item.version + 1, remindersPlannedUntil: null });
    // Cards already in groups are refreshed by CardRefresher, a subscriber of the event (it needs the item and the actor's unit role).
    return this.timeline.append(
      this.em,
      this.actor,
      {
        itemId: this.item.id,
        type: event.type,
        at: this.now,
        from,
        to,
        summary: event.summary,
        data: event.data,
      },
      { item: this.item, unitRole: this.relation.unitRole, units: this.units },
    );
  }

  /** An event that leaves the state as it is (a report, a co-unit's signature, a refused extension). */
  record(event: EventInput): Promise<ItemEvent> {
    return this.transition(this.item.state, {}, event);
  }

  /** Outbox rows caused by `cause`; one per target, de-duplicated by (event, target). */
  async send(cause: ItemEvent, kind: string, targets: { target: OutboxTarget; platform?: string | null }[], payload: Record<string, unknown>): Promise<void> {
    await this.outbox.enqueue(
      this.em,
      targets.map((t) => ({
        kind,
        target: t.target,
        platform: t.platform ?? null,
        itemId: this.item.id,
        payload: { itemNumber: this.item.number, eventId: cause.id, ...payload },
        dedupeKey: `evt:${cause.id}:${kind}:${t.target}`,
        dueAt: this.now,
      })),
    );
  }

  /** P1: a unit is reached in its own groups; a unit with no group, through its contacts one to one. */
  unitTargets(unitIds: number[]): Promise<Target[]> {
    return unitTargets(this.em, unitIds);
  }

  /** P2, P4: the 立项主体 is an office — its owner-role people, one to one (or the owner person if it has none). */
  ownerOffice(): Promise<Target[]> {
    return ownerOfficeTargets(this.em, this.item.ownerUnitId, this.item.ownerId);
  }

  allUnitIds(): number[] {
    return this.units.map((u) => u.unitId);
  }

  person(id: number): { target: OutboxTarget }[] {
    return [{ target: `person:${id}` }];
  }
}
