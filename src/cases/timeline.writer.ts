import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { ItemEvent } from './item-event.entity';
import type { ItemState } from './item.types';

export interface TimelineEntry {
  itemId: number;
  type: string;
  at: Date;
  from: ItemState | null;
  to: ItemState | null;
  summary: string;
  data?: Record<string, unknown>;
}

/** C6: appends one line to an item's 一事一卷 file, inside the caller's transaction. */
@Injectable()
export class TimelineWriter {
  async append(em: EntityManager, actor: Actor, e: TimelineEntry): Promise<ItemEvent> {
    return em.save(ItemEvent, {
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
    });
  }
}
