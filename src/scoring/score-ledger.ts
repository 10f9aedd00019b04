import { Injectable, OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ItemEvent } from '../cases/item-event.entity';
import type { ItemCommandOrigin, ItemEventRecorded } from '../cases/item.events';
import type { Item } from '../cases/item.entity';
import { EventDispatcher } from '../events/event-dispatcher';
import { ItemUnit } from '../cases/item-unit.entity';
import { shanghaiYear } from '../shared/shanghai-time';
import { FACT_EVENT_TYPES, SCORING_EVENT_TYPES, scoreFactsFromTimeline } from './score-facts.rules';
import { ScoreLineRow, ScoreSource, ScoreTableRow } from './score-line.entity';
import { linesForEvent, quarterOf, ScoreLine } from './score.rules';
import { DEFAULT_SCORE_TABLE, ScoreTable } from './score.table';

/**
 * Issue 7 §1: the score ledger subscribes to 'item.event-recorded' (published by TimelineWriter.append inside the
 * command's transaction) — order 10, first of the subscribers, as when the timeline writer called it itself before
 * the clue opener (A1, order 20).
 */
@Injectable()
export class ScoreLedger implements OnModuleInit {
  static readonly ORDER = 10;

  constructor(private readonly events: EventDispatcher) {}

  onModuleInit(): void {
    this.events.on('item.event-recorded', { order: ScoreLedger.ORDER, name: 'scoring.ledger' }, (em, { event, command }: ItemEventRecorded) =>
      recordScoreLines(em, event, command),
    );
  }
}

/**
 * Issue 7 §1: the ledger rows an item event causes, written by the same transaction as the event (through ScoreLedger,
 * a subscriber of TimelineWriter's 'item.event-recorded'). The facts come from the item's whole timeline (score-facts.rules.ts) — the same reading
 * the recompute does — and the table is the version in force at the event's instant.
 */
export async function recordScoreLines(em: EntityManager, event: ItemEvent, command?: ItemCommandOrigin): Promise<void> {
  if (!SCORING_EVENT_TYPES.has(event.type)) return;
  if (event.type === 'reported' && command && answeredBefore(command.item, event.at)) return;
  // Issue 17: only the events the replay reads, and the units the command already holds.
  const [events, units] = await Promise.all([
    em.find(ItemEvent, {
      where: { itemId: event.itemId, type: In([...FACT_EVENT_TYPES]) },
      select: { id: true, type: true, at: true, data: true },
      order: { id: 'ASC' },
    }),
    command?.units ?? em.find(ItemUnit, { where: { itemId: event.itemId }, select: { unitId: true, role: true } }),
  ]);
  const facts = scoreFactsFromTimeline(event.itemId, events, units).filter((f) => 'eventId' in f && f.eventId === event.id);
  if (facts.length === 0) return;
  const table = tableAt(await scoreTables(em), event.at);
  const lines = facts.flatMap((f) => {
    const r = linesForEvent(f, table);
    return Array.isArray(r) ? r : [];
  });
  await insertLines(
    em,
    lines.map((l) => ({ line: l, key: eventLineKey(l), source: 'event' as const, table })),
  );
}

/**
 * Issue 17, S5 without the timeline: a report on a node that was already answered before it (item.answered_at set at
 * an earlier instant — a report sets it only on an unanswered node) is never late (score-facts.rules: a report counts
 * only while the node is unanswered). This holds because every event that clears the replay's answer clears
 * answered_at too (a return, a 不合格, an approved extension, a refusal that takes the request's answer back, a
 * reassignment that does not let the answer stand), and answered_at is set only by what the replay counts as an answer.
 * Anything else — answered_at set by this very report — is replayed from the timeline.
 */
function answeredBefore(item: Pick<Item, 'answeredAt'>, at: Date): boolean {
  return item.answeredAt !== null && item.answeredAt.getTime() < at.getTime();
}

export const eventLineKey = (l: ScoreLine) => `e:${l.eventId}:${l.rule}:${l.unitId}`;

export async function insertLines(
  em: EntityManager,
  rows: { line: ScoreLine; key: string; source: ScoreSource; table: ScoreTable; reason?: string | null; createdById?: number | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await em
    .createQueryBuilder()
    .insert()
    .into(ScoreLineRow)
    .values(
      rows.map(({ line, key, source, table, reason, createdById }) => ({
        lineKey: key,
        rule: line.rule,
        unitId: line.unitId,
        itemId: line.itemId,
        pointsTenths: Math.round(line.points * 10),
        at: line.at,
        year: shanghaiYear(line.at),
        quarter: quarterOf(line.at).quarter,
        explanation: line.explanation.slice(0, 300),
        tableId: table.id,
        tableVersion: line.tableVersion,
        eventId: line.eventId,
        source,
        reason: reason ?? null,
        createdById: createdById ?? null,
      })),
    )
    .orIgnore()
    .updateEntity(false)
    .execute();
}

/** Every saved version of the scoring table, oldest first; the seed (DOMAIN §5) when none was saved. */
let cache: { at: number; tables: Promise<TableVersion[]> } | null = null;
const CACHE_MS = 30_000;

export interface TableVersion {
  table: ScoreTable;
  since: Date;
}

export function scoreTables(em: EntityManager): Promise<TableVersion[]> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.tables;
  const tables = em
    .find(ScoreTableRow, { order: { createdAt: 'ASC', version: 'ASC' } })
    .then((rows) => [
      { table: DEFAULT_SCORE_TABLE, since: new Date(0) },
      ...rows.map((r) => ({ table: { ...r.body, id: r.id, version: r.version }, since: r.createdAt })),
    ]);
  cache = { at: Date.now(), tables };
  tables.catch(() => (cache = null));
  return tables;
}

export function forgetScoreTables(): void {
  cache = null;
}

/** The table in force at `at`: the latest version saved before it. */
export function tableAt(versions: readonly TableVersion[], at: Date): ScoreTable {
  let current = versions[0]?.table ?? DEFAULT_SCORE_TABLE;
  for (const v of versions) if (v.since.getTime() <= at.getTime()) current = v.table;
  return current;
}
