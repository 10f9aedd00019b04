import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import { openCluesForEvent } from '../accountability/clue-opener';
import { recordScoreLines } from '../scoring/score-ledger';
import { ItemEvent } from './item-event.entity';
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

/** C6: appends one line to an item's 一事一卷 file, inside the caller's transaction — and its score lines (DOMAIN §5). */
@Injectable()
export class TimelineWriter {
  async append(em: EntityManager, actor: Actor, e: TimelineEntry): Promise<ItemEvent> {
    const saved = await em.save(ItemEvent, {
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
    // Issue 7 §1: the points this event causes, in the same transaction (nothing scored without its event).
    await recordScoreLines(em, saved);
    // A1: some events open an accountability clue (a result rated 不合格).
    await openCluesForEvent(em, saved, actor);
    return saved;
  }
}
