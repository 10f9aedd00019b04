import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import { OutboxWriter } from '../outbox/outbox.writer';
import { supervisionTargets } from '../org/message-targets';
import { formatItemNumber } from '../cases/item-number.rules';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { nextInSequence } from '../cases/numbering.service';
import { shanghaiYear } from '../shared/shanghai-time';
import { Unit } from '../org/unit.entity';
import { triggerClue } from './accountability.rules';
import type { ClueDraft, ProcedureState } from './accountability.types';
import { Clue, ClueEvent } from './clue.entity';

/**
 * A1's write side, usable inside any transaction without the Nest container: the timeline (a 不合格 rating) and the
 * score ledger (an S10 obstruction) open clues through it in their own transaction. Kept apart from
 * AccountabilityService, which depends on the scoring service that itself opens clues here.
 */

/** The prefix of clue numbers (XS = 线索): XS2026-0001. */
export const CLUE_PREFIX = 'XS';

/** A1, in the caller's transaction: one clue per trigger (dedupe key), numbered XS{year}-{seq}, the 督查室 told. */
export async function openClue(em: EntityManager, draft: ClueDraft, actor: Actor, at: Date): Promise<Clue | null> {
  if (await em.findOneBy(Clue, { dedupeKey: draft.dedupeKey })) return null;
  const number = await nextClueNumber(em, shanghaiYear(at));
  await em.insert(Clue, { number, trigger: draft.trigger, unitId: draft.unitId, itemId: draft.itemId, dedupeKey: draft.dedupeKey, state: 'clue_opened', summary: draft.summary.slice(0, 500), data: {}, version: 1, openedAt: at });
  const clue = await em.findOneByOrFail(Clue, { dedupeKey: draft.dedupeKey });
  await recordClueEvent(em, clue, 'opened', null, 'clue_opened', actor, at, draft.summary);
  await new OutboxWriter().enqueue(
    em,
    (await supervisionTargets(em)).map((t) => ({
      kind: 'clue_notice',
      target: t.target,
      platform: t.platform ?? null,
      itemId: clue.itemId,
      payload: { text: `【问题线索】${clue.number}：${clue.summary}\n请按程序移交处理（A2）。` },
      dedupeKey: `clue:${clue.id}:opened:${t.target}`,
      dueAt: at,
    })),
  );
  new Logger('accountability').log(JSON.stringify({ event: 'clue_opened', number, trigger: draft.trigger, unitId: draft.unitId, itemId: draft.itemId }));
  return clue;
}

export async function recordClueEvent(em: EntityManager, clue: Clue, action: string, from: ProcedureState | null, to: ProcedureState, actor: Actor, at: Date, summary: string, data?: Record<string, unknown>): Promise<void> {
  await em.save(ClueEvent, { clueId: clue.id, action, fromState: from, toState: to, actorId: actor.personId, actorName: actor.name, channel: actor.channel, at, summary, data: data ?? null });
}

async function nextClueNumber(em: EntityManager, year: number): Promise<string> {
  return formatItemNumber(CLUE_PREFIX, year, await nextInSequence(em, CLUE_PREFIX, year));
}

/**
 * A1 from the timeline, in the event's transaction: a result rated 不合格 (D2) opens a review-finding clue for the lead
 * unit. Called by TimelineWriter like the score ledger.
 */
export async function openCluesForEvent(em: EntityManager, event: { itemId: number; type: string; at: Date; data: Record<string, unknown> | null }, actor: Actor): Promise<void> {
  if (event.type !== 'rated' || event.data?.rating !== 'fail') return;
  const lead = await em.findOneBy(ItemUnit, { itemId: event.itemId, role: 'lead' });
  const item = await em.findOneBy(Item, { id: event.itemId });
  const unit = lead ? await em.findOneBy(Unit, { id: lead.unitId }) : null;
  if (!item || !unit) return;
  const draft = triggerClue({ kind: 'rated', unitId: unit.id, unitName: unit.name, itemId: item.id, itemNumber: item.number, rating: 'fail' });
  if (draft) await openClue(em, draft, actor, event.at);
}
