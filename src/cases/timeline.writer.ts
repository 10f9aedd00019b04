import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRows } from '../database/plain-sql';
import type { Actor } from '../shared/actor';
import { EventDispatcher } from '../events/event-dispatcher';
import { ItemEvent } from './item-event.entity';
import type { ItemCommandOrigin, ItemEventRecorded } from './item.events';
import type { ItemState } from '../shared/vocabulary';

export interface TimelineEntry {
  itemId: number;
  type: string;
  at: Date;
  from: ItemState | null;
  to: ItemState | null;
  summary: string;
  data?: Record<string, unknown>;
}

/**
 * C6: appends one line to an item's 一事一卷 file, inside the caller's transaction, and publishes 'item.event-recorded'
 * in the same transaction: the score ledger (DOMAIN §5), the clue opener (A1) and the card refresher subscribe, so nothing is
 * scored, opened or refreshed without its event, and a subscriber that fails rolls the whole command back.
 */
@Injectable()
export class TimelineWriter {
  constructor(private readonly events: EventDispatcher) {}

  async append(em: EntityManager, actor: Actor, e: TimelineEntry, command?: ItemCommandOrigin): Promise<ItemEvent> {
    const row = {
      itemId: e.itemId,
      type: e.type,
      actorId: actor.personId,
      actorName: actor.name,
      channel: actor.channel,
      at: e.at,
      fromState: e.from,
      toState: e.to,
      summary: e.summary,
      data: e.data ?? null,
    };
    // Issue 17: a plain insert (the line is only ever appended; save() ran the whole persistence machinery per event).
    const saved = Object.assign(new ItemEvent(), row, { id: await insertRows(em, ItemEvent, [row]) });
    // Issue 7 §1 (the points this event causes), A1 (a 不合格 opens a clue): the subscribers, in order, on `em`.
    const recorded: ItemEventRecorded = command ? { event: saved, actor, command } : { event: saved, actor };
    await this.events.publish(em, 'item.event-recorded', recorded);
    return saved;
  }
}
