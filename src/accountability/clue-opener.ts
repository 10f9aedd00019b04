import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import { EventDispatcher } from '../events/event-dispatcher';
import { OutboxWriter } from '../outbox/outbox.writer';
import type { ItemEventRecorded } from '../cases/item.events';
import type { ObstructionRecorded } from '../scoring/scoring.events';
import { supervisionTargets, unitTargets } from '../org/message-targets';
import { QuietHold } from '../reminders/quiet-hold';
import { ClueSummaries } from '../reminders/clue-summaries';
import { formatItemNumber } from '../cases/item-number.rules';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { nextInSequence } from '../cases/numbering.service';
import { shanghaiYear } from '../shared/shanghai-time';
import { Unit } from '../org/unit.entity';
import { triggerClue } from './accountability.rules';
import type { ClueDraft, ProcedureState } from './accountability.types';
import { Clue, ClueEvent } from './clue.entity';
import { clueOfficeNotice, clueUnitNotice } from '../reminders/clue-notice.texts';
import { Reminder } from '../reminders/reminder.entity';

/** The prefix of clue numbers (XS = 线索): XS2026-0001. */
export const CLUE_PREFIX = 'XS';

/**
 * A1's write side, usable inside any transaction: the clue opener subscribes to the timeline ('item.event-recorded':
 * a result rated 不合格) and to the score ledger ('scoring.obstruction-recorded': an S10 obstruction), and opens clues
 * in the publisher's transaction. Kept apart from AccountabilityService, which also opens clues through it.
 */
@Injectable()
export class ClueOpener implements OnModuleInit {
  /** After the score ledger (order 10) on the timeline event, as when the timeline writer called both itself. */
  static readonly ORDER = 20;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly events: EventDispatcher,
    private readonly quiet: QuietHold,
    private readonly summaries: ClueSummaries,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    // Issue 14: the reminders' digest tells an overdue clue in the moment's one message; it reads the clue through this.
    this.summaries.provide(async (numbers) =>
      (await this.db.getRepository(Clue).findBy({ number: In(numbers) })).map((c) => ({ number: c.number, summary: c.summary })),
    );
    this.events.on('item.event-recorded', { order: ClueOpener.ORDER, name: 'accountability.clues' }, (em, e) => this.forItemEvent(em, e));
    this.events.on('scoring.obstruction-recorded', { order: ClueOpener.ORDER, name: 'accountability.clues' }, (em, e) => this.forObstruction(em, e));
  }

  /** A1, in the caller's transaction: one clue per trigger (dedupe key), numbered XS{year}-{seq}, the 督查室 told. */
  async open(em: EntityManager, draft: ClueDraft, actor: Actor, at: Date): Promise<Clue | null> {
    if (await em.findOneBy(Clue, { dedupeKey: draft.dedupeKey })) return null;
    const number = await nextClueNumber(em, shanghaiYear(at));
    await em.insert(Clue, {
      number,
      trigger: draft.trigger,
      unitId: draft.unitId,
      itemId: draft.itemId,
      dedupeKey: draft.dedupeKey,
      state: 'clue_opened',
      summary: draft.summary.slice(0, 500),
      data: {},
      version: 1,
      openedAt: at,
    });
    const clue = await em.findOneByOrFail(Clue, { dedupeKey: draft.dedupeKey });
    await recordClueEvent(em, clue, 'opened', null, 'clue_opened', actor, at, draft.summary);
    // R10 (issue 14): a clue opened in the night or on a rest day is told the next working morning.
    const dueAt = await this.quiet.sendAt(at, em);
    if (clue.trigger === 'overdue' && clue.itemId !== null) {
      await this.tellThroughReminders(em, clue, at, dueAt);
    } else {
      await tellSupervision(em, this.outbox, clue, clueOfficeNotice({ clueNumber: clue.number, summary: clue.summary, item: null }), 'opened', dueAt);
      await this.tellUnit(em, clue, dueAt);
    }
    new Logger('accountability').log(JSON.stringify({ event: 'clue_opened', number, trigger: draft.trigger, unitId: draft.unitId, itemId: draft.itemId }));
    return clue;
  }

  /**
   * Issue 14: the unit a clue concerns is told, in its groups, plainly and with what happens next — a clue is a fact to
   * verify, not a punishment (A1) — and what it can do: answer the item, or explain to the 督查室.
   */
  private async tellUnit(em: EntityManager, clue: Clue, dueAt: Date): Promise<void> {
    const item = clue.itemId === null ? null : await em.findOneBy(Item, { id: clue.itemId });
    const text = clueUnitNotice({
      clueNumber: clue.number,
      summary: clue.summary,
      item: item ? { number: item.number, title: item.title, signed: item.state !== 'assigned' } : null,
    });
    await this.outbox.enqueue(
      em,
      (await unitTargets(em, [clue.unitId])).map((t) => ({
        kind: 'clue_notice',
        target: t.target,
        platform: t.platform ?? null,
        itemId: clue.itemId,
        payload: { text },
        dedupeKey: `clue:${clue.id}:opened:unit:${t.target}`,
        dueAt,
      })),
    );
  }

  /**
   * Issue 14 (R10: one message per recipient per moment). An overdue clue opens at the very moment the item becomes 2
   * working days late — the moment R1/R4 urge the unit (and, without a coordinating leader, report to the 督查室). Sent
   * on its own, the notice was a second message about the same item in that moment. So it is not sent on its own: it
   * is stored as a reminder of that moment for the unit and for the 督查室, and the reminders' dispatch sends it in the
   * recipient's one digest — to the unit as a sentence added to the item's urge (or to its 重点督办 notice), or as the
   * full notice when nothing else is due for the item. The dispatch opens due clues itself before it claims (the
   * 'reminders.dispatching' event), so whichever job runs first in a moment, the clue and the urge leave together; an
   * urge is never dropped for it, and a clue notice never waits for an urge (it is due at once, held only by quiet hours).
   */
  private async tellThroughReminders(em: EntityManager, clue: Clue, at: Date, dueAt: Date): Promise<void> {
    const row = (audience: 'unit' | 'supervision_office', recipientKey: string) => ({
      // `${itemId}:${kind}:${audience}:…` as planned keys are (the digest reads the item and the audience from it).
      key: `${clue.itemId}:clue_opened:${audience}:${clue.number}`,
      itemId: clue.itemId!,
      kind: 'clue_opened',
      rule: 'A1',
      audience,
      recipientKey,
      plannedAt: at,
      dueAt,
      status: 'pending' as const,
      policyId: 'accountability',
      policyVersion: 0,
      sentAt: null,
    });
    await em.insert(Reminder, [row('unit', `unit:${clue.unitId}`), row('supervision_office', 'office')]);
  }

  /**
   * A1 from the timeline, in the event's transaction: a result rated 不合格 (D2) opens a review-finding clue for the lead
   * unit.
   */
  async forItemEvent(em: EntityManager, { event, actor }: ItemEventRecorded): Promise<void> {
    if (event.type !== 'rated' || event.data?.rating !== 'fail') return;
    const lead = await em.findOneBy(ItemUnit, { itemId: event.itemId, role: 'lead' });
    const item = await em.findOneBy(Item, { id: event.itemId });
    const unit = lead ? await em.findOneBy(Unit, { id: lead.unitId }) : null;
    if (!item || !unit) return;
    const draft = triggerClue({ kind: 'rated', unitId: unit.id, unitName: unit.name, itemId: item.id, itemNumber: item.number, rating: 'fail' });
    if (draft) await this.open(em, draft, actor, event.at);
  }

  /** A1 from S10: refusing or obstructing the 督查 opens a clue (it does not punish by itself), in the entry's transaction. */
  async forObstruction(em: EntityManager, e: ObstructionRecorded): Promise<void> {
    const unit = await em.findOneByOrFail(Unit, { id: e.unitId });
    const draft = triggerClue({
      kind: 'obstruction',
      incidentId: e.incidentId,
      unitId: unit.id,
      unitName: unit.name,
      itemId: e.itemId,
      description: e.description,
    });
    if (draft) await this.open(em, draft, e.actor, e.at);
  }
}

/** A 督查室 notice about a clue, to every supervision target, once per (clue, step) — A1 on opening, A2 on the leader's 审核. */
export async function tellSupervision(em: EntityManager, outbox: OutboxWriter, clue: Clue, text: string, step: string, at: Date): Promise<void> {
  await outbox.enqueue(
    em,
    (await supervisionTargets(em)).map((t) => ({
      kind: 'clue_notice',
      target: t.target,
      platform: t.platform ?? null,
      itemId: clue.itemId,
      payload: { text },
      dedupeKey: `clue:${clue.id}:${step}:${t.target}`,
      dueAt: at,
    })),
  );
}

export async function recordClueEvent(
  em: EntityManager,
  clue: Clue,
  action: string,
  from: ProcedureState | null,
  to: ProcedureState,
  actor: Actor,
  at: Date,
  summary: string,
  data?: Record<string, unknown>,
): Promise<void> {
  await em.save(ClueEvent, {
    clueId: clue.id,
    action,
    fromState: from,
    toState: to,
    actorId: actor.personId,
    actorName: actor.name,
    channel: actor.channel,
    at,
    summary,
    data: data ?? null,
  });
}

async function nextClueNumber(em: EntityManager, year: number): Promise<string> {
  return formatItemNumber(CLUE_PREFIX, year, await nextInSequence(em, CLUE_PREFIX, year));
}
