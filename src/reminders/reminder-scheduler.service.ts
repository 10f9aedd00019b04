import { UNSET_INSTANT } from '../database/columns';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { SYSTEM_ACTOR } from '../shared/actor';
import { OutboxWriter } from '../outbox/outbox.writer';
import { ownerOfficeTargets, supervisionTargets, Target, unitTargets, unitTargetsEach } from '../org/message-targets';
import { Unit } from '../org/unit.entity';
import { CalendarService } from '../calendar/calendar.service';
import { ItemRequest } from '../cases/item-request.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { OPEN_STATES } from '../shared/vocabulary';
import { Report } from '../cases/report.entity';
import { TimelineWriter } from '../cases/timeline.writer';
import { ItemEvent } from '../cases/item-event.entity';
import { keySupervisionSummary } from '../cases/urging.rules';
import { inTransaction } from '../database/transaction';
import { Setting } from '../settings/setting.entity';
import { DEFAULT_FOLLOW_UP, DEFAULT_MAX_URGES_PER_DAY, policyFor, policyLabel, PolicyRow, ReminderPolicy } from './reminder.policy';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { nextWorkingMorning } from '../calendar/working-time';
import { DAY_MS } from '../shared/shanghai-time';
import { ReminderPolicyService } from './reminder-policy.service';
import { EventDispatcher } from '../events/event-dispatcher';
import { clueUnitTail } from './clue-notice.texts';
import { Reminder } from './reminder.entity';
import type { Audience } from './schedule.types';
import {
  catchUp,
  coalesce,
  diffPlans,
  holdForQuiet,
  NODE_URGES,
  PlanChange,
  PlannedReminder,
  planReminders,
  planWithNext,
  ScheduleInput,
  WorkingCalendarLike,
} from './schedule.rules';

const HOUR = 3600_000;
/** Local midnight (Asia/Shanghai, UTC+8, no daylight saving) of the day `at` falls on, in ms. */
const startOfShanghaiDay = (at: Date) => Math.floor((at.getTime() + 8 * HOUR) / DAY_MS) * DAY_MS - 8 * HOUR;
/**
 * Planning looks this far ahead; an item is planned again when less than half is left. Short enough that an
 * overdue item (an urge every 2–3 h) stores a handful of rows at a time, long enough that a tick rarely plans it.
 */
const HORIZON_MS = 12 * HOUR;
/**
 * Issue 17: how far planning looks for an item's next reminder. The reminders of the next HORIZON_MS are stored; the
 * item's mark (reminders_planned_until) then moves to its first reminder not stored — or, with nothing in between, to
 * at most this far ahead (spread over its second half by the item's id, so a register planned at one moment does not
 * come back at one moment). An item whose deadline is weeks away is planned again when its next reminder is near,
 * not every few hours. Commands clear the mark, a policy or calendar change clears them all; the bound only limits
 * how long a change that reached the item some other way could go unseen.
 */
export const PLAN_LOOKAHEAD_MS = 7 * DAY_MS;
/** A never-planned or just-changed item is planned from this long ago: what fell due in between is sent late, not lost. */
const GRACE_MS = 1 * HOUR;
const BATCH = 500;
/**
 * Reminders one dispatch claims. Issue 17: 2,000, not 500 — a claim pays for its reads of items and facts, its
 * recipients and its commit whatever its size (100,000 due reminders were 200 claims, now 50). A recipient's
 * reminders are not split between claims; a digest still carries at most BATCH lines (the outbox payload's size).
 */
const CLAIM = 2000;
/** Issue 17: a claim marks what it sent in UPDATEs of this many reminders, each written while the next are re-checked. */
const MARK_CHUNK = 500;
/** Items planned per transaction: fewer round trips per item; the locks are held for ~0.2 s. */
const PLAN_BATCH = 1000;
/** The tick's transactions (planning, the dispatching hook, claims): READ COMMITTED, retried 3 times. */
const PLANNING_TX = { attempts: 3, isolation: 'READ COMMITTED' } as const;
/**
 * Planning lanes side by side on MySQL/MariaDB (planBatches). Issue 17: 4, not 2 — with two, both lanes were often
 * waiting for the server or both computing at once; with four a core is idle less often. 100,000 new items planned in
 * 4.1–4.3 s against 4.5–4.7 s (bench:reminders' comparison, back to back).
 */
const PLAN_LANES = 4;
/**
 * Claims of one dispatch at once on MySQL/MariaDB (dispatch). Issue 17: 3, not 2 — 100,000 reminders fired in 3.9 s
 * against 4.1–4.5 s (back to back), for the same reason as the lanes.
 */
const CLAIMS_AT_ONCE = 3;
/**
 * Issue 17: what planning reads of an item — the rules' facts (schedule.rules), the policy's choice (board, source,
 * kind), the recipients (owner, office, leader), the stored plan's end and the version its mark is guarded by.
 */
const PLAN_COLUMNS = [
  'id',
  'version',
  'kind',
  'board',
  'source',
  'state',
  'registeredAt',
  'deadlineAt',
  'answeredAt',
  'ownerId',
  'ownerUnitId',
  'leaderId',
  'remindersPlannedUntil',
] as const satisfies readonly (keyof Item)[];
/** An item as planning reads it (PLAN_COLUMNS). */
type PlanItem = Pick<Item, (typeof PLAN_COLUMNS)[number]>;
/** Issue 17: what a claim reads of a due reminder (no entity: a claim holds up to CLAIM of them). */
const CLAIM_COLUMNS = ['id', 'key', 'itemId', 'kind', 'rule', 'audience', 'recipientKey', 'plannedAt', 'dueAt'] as const satisfies readonly (keyof Reminder)[];
type ClaimedReminder = Pick<Reminder, (typeof CLAIM_COLUMNS)[number]>;
/** What dispatch reads of an item: what planning reads, and its number and 重点督办 flag (the R5 notice). */
const DISPATCH_ITEM_COLUMNS: (keyof Item)[] = [...PLAN_COLUMNS, 'number', 'keySupervision'];
/** The setting row that records which policy versions and holiday overrides the stored reminders were planned with. */
const PLAN_STAMP = 'reminders.plan_stamp';
/** MySQL/MariaDB named lock that keeps one claim of due reminders from interleaving with another instance's. */
const CLAIM_LOCK = 'duban_reminder_claim';

/** Published before a dispatch claims what is due: what opens at this moment and is told by reminders (an overdue clue) opens first. */
export interface RemindersDispatching {
  now: Date;
}
declare module '../events/event-dispatcher' {
  interface DomainEvents {
    'reminders.dispatching': RemindersDispatching;
  }
}

/**
 * Issue 6 §3, the tick: `plan` stores the reminders the next hours bring (idempotent by key), `dispatch` claims
 * due ones — FOR UPDATE SKIP LOCKED on MySQL/MariaDB, so several instances never take the same row — re-checks
 * each against the item as it is now (R3: a report cancels what it makes pointless), groups them per recipient
 * (R10: one digest) and writes the messages into the outbox in the same transaction.
 */
@Injectable()
export class ReminderScheduler {
  private readonly log = new Logger('reminders');
  private lastStamp: string | null = null;
  /** What the latest plan() on this instance did: how many items it planned and how many reminders were new. */
  lastPlan: { items: number; created: number } = { items: 0, created: 0 };

  constructor(
    private readonly db: DataSource,
    private readonly calendar: CalendarService,
    private readonly outbox: OutboxWriter,
    private readonly timeline: TimelineWriter,
    private readonly policyService: ReminderPolicyService,
    private readonly events: EventDispatcher,
  ) {}

  policies(): Promise<PolicyRow[]> {
    return this.policyService.current();
  }

  /**
   * Issue 6 §5: what a policy would send, to whom, over the next `days` — for one item or all open items —
   * computed with a candidate policy before it is saved. Nothing is stored. `held`: why a reminder goes out
   * later than planned (night, or a weekend / holiday — R10 with quiet days).
   */
  async preview(input: { candidate?: PolicyRow; itemIds?: number[]; from: Date; days: number; limit?: number }) {
    const { cal, policies, items, facts, until } = await this.previewFacts(input);
    const inForce = input.candidate ? withCandidate(policies, input.candidate) : policies;
    return items.flatMap((item) => {
      const policy = policyFor(item, inForce);
      return this.planFor(item, policy, cal, facts, input.from, until).map((r) => ({
        number: item.number,
        kind: r.kind,
        rule: r.rule,
        audience: r.audience,
        plannedAt: r.dueAt,
        sendAt: r.sendAt,
        held: r.held,
        policy: policyLabel(policy),
      }));
    });
  }

  /**
   * Issue 13 (R10): what a candidate policy CHANGES for the open items over the next `days`, before it is saved —
   * per item, the reminders added, removed or moved (to whom, planned instant, send instant, held and why), against
   * the policies in force. Items the change does not touch are left out. Nothing is stored.
   */
  async previewChanges(input: { candidate: PolicyRow; itemIds?: number[]; from: Date; days: number; limit?: number }) {
    const { cal, policies, items, facts, until } = await this.previewFacts(input);
    const inForce = withCandidate(policies, input.candidate);
    const out: { item: Item; policyBefore: string; policyAfter: string; changes: PlanChange[] }[] = [];
    for (const item of items) {
      const before = policyFor(item, policies);
      const after = policyFor(item, inForce);
      if (before === after) continue; // the candidate is not the item's policy, now or after
      const changes = diffPlans(this.planFor(item, before, cal, facts, input.from, until), this.planFor(item, after, cal, facts, input.from, until));
      if (changes.length)
        out.push({
          item,
          policyBefore: policyLabel(before),
          policyAfter: after === input.candidate ? `${after.id}（待保存）` : policyLabel(after),
          changes,
        });
    }
    return out;
  }

  private async previewFacts(input: { itemIds?: number[]; from: Date; days: number; limit?: number }) {
    const cal = await this.calendar.calendar();
    const policies = await this.policies();
    const qb = this.db
      .getRepository(Item)
      .createQueryBuilder('i')
      .where('i.state IN (:...open)', { open: OPEN_STATES })
      .orderBy('i.id', 'ASC')
      .take(input.limit ?? 1000);
    if (input.itemIds) qb.andWhere('i.id IN (:...ids)', { ids: input.itemIds.length ? input.itemIds : [-1] });
    const items = await qb.getMany();
    const facts = await this.facts(this.db.manager, items);
    const until = new Date(input.from.getTime() + input.days * 86_400_000);
    return { cal, policies, items, facts, until };
  }

  /**
   * Stores the reminders due in [now, now + horizon) for the open items that need it: those never planned, changed
   * since (every command clears `reminders_planned_until`), or whose mark is less than half a horizon ahead. Issue 17:
   * the mark is the item's next reminder not stored (or a little before it), or its look-ahead's end when nothing comes
   * sooner (nextMark) — so a tick reads the items whose next reminder comes near, and an item whose deadline is weeks
   * away is not read again for days. Planning is idempotent (INSERT IGNORE on the reminder key), so two instances
   * planning the same batch add nothing twice. Returns how many reminders were new.
   */
  async plan(now: Date, horizonMs = HORIZON_MS, budgetMs = Infinity): Promise<number> {
    const started = Date.now();
    const cal = await this.calendar.calendar();
    const policies = await this.policies();
    await this.replanIfRulesChanged(policies, cal.stamp);
    const mysql = ['mysql', 'mariadb'].includes(this.db.options.type);
    // No row locks: planning must never hold up a person's command on an item (it did, at 1,000 items a batch —
    // bench:core lost a fifth of its speed). Instances start at different points of the register instead, so they
    // mostly plan different items; where they meet, INSERT IGNORE and the version guard make the overlap harmless.
    const maxId = Number((await this.db.getRepository(Item).createQueryBuilder('i').select('MAX(i.id)', 'm').getRawOne<{ m: number | null }>())?.m ?? 0);
    const run: PlanRun = {
      maxId,
      now,
      until: new Date(now.getTime() + horizonMs),
      stale: new Date(now.getTime() + horizonMs / 2),
      cal,
      policyOf: memoPolicies(policies),
      start: Math.floor(Math.random() * (maxId + 1)),
      deadline: started + budgetMs,
      mysql,
      created: 0,
      items: 0,
      stopped: false,
    };
    await this.planBatches(run);
    this.lastPlan = { items: run.items, created: run.created };
    if (run.stopped) {
      this.log.log(JSON.stringify({ event: 'reminders_planning_continues', items: run.items, created: run.created, hint: '余下事项在下一次 tick 继续规划' }));
    }
    if (run.created || run.items) this.log.log(JSON.stringify({ event: 'reminders_planned', items: run.items, created: run.created }));
    return run.created;
  }

  /**
   * A planning run: the register's ids, from this instance's starting point round to it again, cut into PLAN_LANES
   * parts planned side by side (issue 17) — while a lane waits for the server, another computes, so the two cores
   * both work (a cold plan of 10^6 items, or the 100,000 reminders of bench:reminders' comparison). Lanes plan different
   * items, so they never write the same rows. On SQLite (one connection) one lane.
   */
  private async planBatches(run: PlanRun): Promise<void> {
    const lanes = run.mysql ? PLAN_LANES : 1;
    await Promise.all(Array.from({ length: lanes }, (_, k) => this.planLane(run, laneRanges(run.start, run.maxId, k, lanes))));
  }

  /** One lane: its id ranges one after the other, batch after batch, until they are empty or the time budget is spent. */
  private async planLane(run: PlanRun, ranges: { from: number; to: number | null }[]): Promise<void> {
    const { now, until, stale, cal, policyOf, mysql } = run;
    let pass = 0;
    // Items a batch read but could not mark (a command changed them meanwhile): left for the next tick, not read again now.
    const skipped = new Set<number>();
    const columns = PLAN_COLUMNS.map((p) => this.db.getMetadata(Item).findColumnWithPropertyName(p)!);
    const driver = this.db.driver;
    while (pass < ranges.length) {
      const range = ranges[pass];
      const n = await inTransaction(
        this.db,
        async (em) => {
          // Issue 17: what is due to plan is a range of ix_item_plan — (open state, a mark before `stale`: never planned or
          // changed since, stored as the epoch, or a stored plan ending before `stale`) — read in the index's order with no sort, so a steady tick reads the few
          // items whose next reminder comes near, never a slice of the register. A planned item leaves the range (its
          // mark moves to `until` or later), so the next batch is again the range's first rows. Only the columns planning needs.
          const qb = em
            .createQueryBuilder(Item, 'i')
            .select([])
            .where('i.state IN (:...open)', { open: OPEN_STATES })
            // Unset (the epoch) as an interval of its own, so that the index finds the lane's first id in it — an
            // interval merged with the rest below `stale` is scanned from its start, other lanes' items too.
            .andWhere('(i.reminders_planned_until = :unset OR (i.reminders_planned_until > :unset AND i.reminders_planned_until < :stale))', {
              unset: UNSET_INSTANT,
              stale,
            })
            .andWhere('i.id >= :from', { from: range.from })
            .limit(PLAN_BATCH);
          // The last range has no end: items registered since the run began are planned too.
          if (range.to !== null) qb.andWhere('i.id < :to', { to: range.to });
          if (skipped.size) qb.andWhere('i.id NOT IN (:...skipped)', { skipped: [...skipped] });
          if (mysql) qb.useIndex('ix_item_plan');
          // Issue 17: raw rows mapped by hand (each value through the driver's own conversion), not getMany: building
          // entities cost more than the read.
          for (const c of columns) qb.addSelect(`i.${c.propertyName}`, c.propertyName);
          const batch = (await qb.getRawMany<Record<string, unknown>>()).map((raw) => {
            const item: Record<string, unknown> = {};
            for (const c of columns) item[c.propertyName] = driver.prepareHydratedValue(raw[c.propertyName], c);
            return item as PlanItem;
          });
          if (batch.length === 0) return 0;
          // Issue 17: the lead units only for the items that store a reminder to their unit (below): the rules do not
          // need them, and each is a page of ix_item_unit_item_role, mostly not in a 128 MiB buffer pool.
          const facts = await this.facts(em, batch, false);
          const marks = new Map<number, Date>();
          const planned = batch.map((item) => {
            const policy = policyOf(item);
            // From where the stored plan ends — or, for an item never planned or just changed, from a little before
            // now, so a reminder whose moment came between the change and this tick is sent late, not lost.
            const from = new Date(Math.max(now.getTime() - GRACE_MS, item.remindersPlannedUntil?.getTime() ?? 0));
            // Issue 14 (sent late, not lost): the ticks stopped (downtime, a clock jump) after the item was last planned.
            // What fell in the gap is planned now, due at once: the escalation steps (R4 report, R5 重点督办, R6 核查, R9
            // 未整改), each once by its key, and of the unit's urges only the latest — one summary, not one per missed slot.
            const gap = item.remindersPlannedUntil && item.remindersPlannedUntil.getTime() < from.getTime() ? item.remindersPlannedUntil : null;
            const missed = gap ? catchUp(this.planFor(item, policy, cal, facts, gap, from)) : [];
            // Issue 17: the plan looks ahead up to the item's bound; what falls before `until` is stored, and the mark moves
            // to the first reminder that is not (its instant is where the next planning starts, so it is never skipped) —
            // or to the bound when nothing comes before it.
            // Only the first instant past `until` is kept of the look-ahead, so it is found by a scan (planWithNext), not by
            // building a week of reminders: that was most of a cold plan's CPU.
            const ahead = planWithNext({ ...this.scheduleInput(item, policy, cal, facts, from, lookaheadEnd(item.id, now, until)), storeUntil: until });
            marks.set(item.id, nextMark(item.id, ahead.next, now, until));
            return { item, policy, reminders: [...missed, ...ahead.reminders] };
          });
          await this.readLeadUnits(
            em,
            planned.filter((p) => p.reminders.some((r) => byLeadUnit(r.audience))).map((p) => p.item.id),
            facts.leadUnit,
          );
          const rows = planned.flatMap(({ item, policy, reminders }) =>
            reminders.map((r) => ({
              key: r.key,
              itemId: item.id,
              kind: r.kind,
              rule: r.rule,
              audience: r.audience,
              recipientKey: recipientKey(item, r.audience, facts),
              // The rule's instant, and when it goes out: held out of the night and off weekends and holidays (R10).
              plannedAt: r.dueAt,
              dueAt: r.sendAt,
              status: 'pending' as const,
              // The base policy's id, or the composed label of base and add-ons ('key_task@1+work_report@2'); the
              // version is the base's.
              policyId: policy.composedOf ? policyLabel(policy) : policy.id,
              policyVersion: policy.version,
              sentAt: null,
            })),
          );
          // Issue 17: an item planned again (changed by a command, or its rules) mostly yields rows already stored; their
          // keys are looked up on the unique index first and only the new ones inserted — a read instead of a write that
          // the server undoes row by row. The insert stays INSERT IGNORE on (item, key): another instance planning the same
          // item at the same moment adds nothing twice. Only the rows of items whose mark was cleared (or never set) are
          // looked up: an item with a mark has every stored reminder before it (the mark is never before the stored
          // horizon's end), and planning starts at the mark, so none of its rows can be stored yet.
          const unmarked = new Set(batch.filter((i) => !i.remindersPlannedUntil).map((i) => i.id));
          const stored = await this.storedKeys(em, [...unmarked]);
          const fresh = stored.size ? rows.filter((r) => !stored.has(r.key)) : rows;
          if (mysql) {
            // The driver's own bulk form: a large register plans ~10^5 rows a minute at start; TypeORM's builder
            // spends more CPU per row than the server does.
            for (let i = 0; i < fresh.length; i += 2000) {
              const values = fresh
                .slice(i, i + 2000)
                .map((r) => [r.key, r.itemId, r.kind, r.rule, r.audience, r.recipientKey, r.plannedAt, r.dueAt, r.status, r.policyId, r.policyVersion]);
              const r = await em.query(
                'INSERT IGNORE INTO reminder (reminder_key, item_id, kind, rule, audience, recipient_key, planned_at, due_at, status, policy_id, policy_version) VALUES ?',
                [values],
              );
              run.created += Number(r?.affectedRows ?? 0);
            }
          } else {
            for (let i = 0; i < fresh.length; i += BATCH) {
              const r = await em
                .createQueryBuilder()
                .insert()
                .into(Reminder)
                .values(fresh.slice(i, i + BATCH))
                .orIgnore()
                .updateEntity(false)
                .execute();
              run.created += typeof r.raw?.affectedRows === 'number' ? r.raw.affectedRows : (r.raw?.changes ?? 0);
            }
          }
          // Only items nobody changed meanwhile: a command's cleared mark must survive.
          const marked = await this.markPlanned(em, batch, marks, mysql);
          if (marked < batch.length) {
            // Those still in the range were changed meanwhile: the next tick plans them (their mark stays cleared).
            const left = await em
              .createQueryBuilder(Item, 'i')
              .select('i.id', 'id')
              .where('i.id IN (:...ids)', { ids: batch.map((i) => i.id) })
              .andWhere('i.reminders_planned_until < :stale', { stale })
              .getRawMany<{ id: number }>();
            for (const { id } of left) skipped.add(Number(id));
          }
          return batch.length;
          // READ COMMITTED: planning locks nothing it reads, and names its level so a pooled connection whose session
          // runs READ COMMITTED needs no SET TRANSACTION first.
        },
        PLANNING_TX,
      );
      if (n === 0) {
        pass++;
        continue;
      }
      // A batch short of PLAN_BATCH took what was left of its range: no empty read to find that out (a steady tick
      // was mostly such reads). An item that enters the range meanwhile (a command) is planned by the next tick.
      if (n < PLAN_BATCH) pass++;
      run.items += n;
      // A tick must get on to dispatching: a large backlog (the first start, a policy change over 10^6 items) is
      // planned over several ticks; what falls due meanwhile is planned late, within the grace, not lost.
      if (run.stopped || Date.now() > run.deadline) {
        run.stopped = true;
        return;
      }
      if (run.items % 50_000 < PLAN_BATCH) this.log.log(JSON.stringify({ event: 'reminders_planning', items: run.items, created: run.created }));
    }
  }

  /**
   * Issue 17: moves each planned item's mark to its own instant, only where the item's version is still the one the
   * batch read (a command meanwhile bumps it and clears the mark, which must survive). One statement for the batch:
   * a join on the batch's (id, version, mark), the primary key finding each row, instead of a CASE over the batch's ids
   * for the mark and another for the version, which grow with the batch for every row. On MySQL/MariaDB the batch is
   * one JSON parameter read as a table (JSON_TABLE, MySQL 8 and MariaDB 10.6): measured on MariaDB 10.11, 100,000 marks
   * in 1,000-row statements took 1.12–1.24 s, against 1.34–1.56 s as a derived table of 1,000 SELECTs joined by UNION
   * ALL, which the server parsed and planned one by one. On SQLite a VALUES list of literals: ids and versions are
   * integers, marks UTC instants in the form it stores ('YYYY-MM-DD HH:MM:SS.mmm'). Returns the rows matched.
   */
  private async markPlanned(em: EntityManager, batch: PlanItem[], marks: Map<number, Date>, mysql: boolean): Promise<number> {
    if (batch.length === 0) return 0;
    const rows = batch.map((i) => [Math.trunc(i.id), Math.trunc(i.version), sqlInstant(marks.get(i.id)!)] as const);
    if (mysql) {
      // updated_at kept as it is: planning is not a change of the item.
      return affected(
        em,
        `UPDATE item i JOIN JSON_TABLE(?, '$[*]' COLUMNS (id INT PATH '$[0]', v INT PATH '$[1]', m DATETIME(3) PATH '$[2]')) t
         ON i.id = t.id AND i.version = t.v SET i.reminders_planned_until = t.m, i.updated_at = i.updated_at`,
        [JSON.stringify(rows)],
      );
    }
    // SQLite (3.33+: UPDATE … FROM): a VALUES list, which its limit on compound selects (500 terms) does not apply to.
    const values = rows.map(([id, v, m]) => `(${id}, ${v}, '${m}')`).join(', ');
    return affected(
      em,
      `UPDATE item SET reminders_planned_until = t.column3 FROM (VALUES ${values}) AS t WHERE item.id = t.column1 AND item.version = t.column2`,
    );
  }

  /**
   * The keys of the reminders stored for these items (uq_reminder_item_key, read from the index alone: an item's keys
   * lie side by side). By item, not by key: a list of keys would need a range of the index per key.
   */
  private async storedKeys(em: EntityManager, itemIds: number[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let i = 0; i < itemIds.length; i += 1000) {
      const found = await em
        .createQueryBuilder(Reminder, 'r')
        .select('r.key', 'k')
        .where('r.itemId IN (:...ids)', { ids: itemIds.slice(i, i + 1000) })
        .getRawMany<{ k: string }>();
      for (const { k } of found) stored.add(k);
    }
    return stored;
  }

  /**
   * A saved policy version or a changed holiday override changes what every item should get: the first tick that
   * sees the change (on any instance) clears every open item's mark, so this and the following batches plan them
   * all again. What was planned under the old rules and no longer applies is cancelled at dispatch (the re-check).
   */
  private async replanIfRulesChanged(policies: PolicyRow[], calendarStamp: string): Promise<void> {
    const stamp = createHash('sha1')
      .update(JSON.stringify([policies.map((p) => `${p.id}@${p.version}`), calendarStamp]))
      .digest('hex');
    if (this.lastStamp === stamp) return;
    await inTransaction(this.db, async (em) => {
      await em.createQueryBuilder().insert().into(Setting).values({ key: PLAN_STAMP, value: '', version: 1 }).orIgnore().updateEntity(false).execute();
      const qb = em.createQueryBuilder(Setting, 's').where('s.key = :k', { k: PLAN_STAMP });
      if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
      const row = await qb.getOneOrFail();
      if (row.value === stamp) return;
      const r = await em
        .createQueryBuilder()
        .update(Item)
        .set({ remindersPlannedUntil: null, updatedAt: () => 'updated_at' })
        .where('state IN (:...open)', { open: OPEN_STATES })
        .execute();
      await em.update(Setting, { key: PLAN_STAMP }, { value: stamp, version: row.version + 1 });
      if (row.value !== '') this.log.log(JSON.stringify({ event: 'reminders_replan_all', reason: '提醒策略或节假日调整已变更', items: r.affected ?? null }));
    });
    this.lastStamp = stamp;
  }

  /** Claims and sends what is due, batch after batch. Returns the number of reminders handled (sent or cancelled). */
  async dispatch(now: Date): Promise<number> {
    // Issue 14 (R10 with A1): the A1 scan runs on its own job too, in any order with this one. Run here first, a clue
    // that opens at this moment stores its notices as reminders due now (ClueOpener), so this claim sends them with the
    // urges of the moment, as one message. In its own transaction: a failing scan never holds up the reminders.
    try {
      await inTransaction(this.db, (em) => this.events.publish(em, 'reminders.dispatching', { now }), PLANNING_TX);
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'reminders_dispatching_hook_failed', error: e instanceof Error ? e.message : String(e) }));
    }
    // Issue 17: on MySQL/MariaDB the next claim begins while this one is still re-checking and writing what it claimed
    // (CLAIMS_AT_ONCE at most), so node works on one claim while the server works on another — but only once this one's claim
    // is settled: right after its claiming SELECT when it sends everything it locked, after its commit when it held a
    // recipient's last reminders back (they stay locked until then, and the next claim would skip them and split that
    // recipient's digest). Claims stay contiguous and each recipient's reminders due together leave as one message.
    const mysql = ['mysql', 'mariadb'].includes(this.db.options.type);
    let handled = 0;
    const inflight: { claim: Promise<unknown>; ended: boolean }[] = [];
    const claims: Promise<unknown>[] = [];
    try {
      for (;;) {
        const overlapped = inflight.some((c) => !c.ended);
        let settled!: (s: { more: boolean; empty: boolean }) => void;
        const claimSettled = new Promise<{ more: boolean; empty: boolean }>((resolve) => (settled = resolve));
        // READ COMMITTED: the claim locks its reminders (FOR UPDATE SKIP LOCKED) and the re-check must see a report
        // committed the moment before (R3); no gap locks between instances' claims.
        const current = {
          ended: false,
          claim: inTransaction(
            this.db,
            (em) =>
              this.dispatchBatch(em, now, (more, leftLocked) => {
                if (mysql && !leftLocked) settled({ more, empty: false });
              }),
            PLANNING_TX,
          ).then(
            (r) => {
              handled += r.handled;
              current.ended = true;
              settled({ more: r.more, empty: r.handled === 0 });
            },
            (e: unknown) => {
              current.ended = true;
              settled({ more: false, empty: true });
              throw e;
            },
          ),
        };
        claims.push(current.claim);
        current.claim.catch(() => undefined); // awaited below; a failure while the next claim runs must not go unhandled
        const { more, empty } = await claimSettled;
        // At most CLAIMS_AT_ONCE claims at once: the oldest must have ended before the next begins (and its failure is
        // this dispatch's).
        while (inflight.length >= CLAIMS_AT_ONCE - 1) await inflight.shift()!.claim;
        inflight.push(current);
        if (!more) {
          // A claim begun beside the one before can come back empty while rows are still due (seen in
          // dispatch-claims.test.ts, 1 run in 3: the first claim's locks covered more than it took): asked again
          // alone, once the one before has committed.
          if (overlapped && empty) {
            await current.claim;
            continue;
          }
          break;
        }
      }
      for (const c of inflight) await c.claim;
    } catch (e) {
      // A claim failed: the others still running end first (their reminders are sent or rolled back whole).
      await Promise.allSettled(claims);
      throw e;
    }
    return handled;
  }

  /** One claim: how many reminders it handled, and whether more are waiting (the claim came back full, and more is due). */
  private async dispatchBatch(
    em: EntityManager,
    now: Date,
    claimed: (more: boolean, leftLocked: boolean) => void = () => undefined,
  ): Promise<{ handled: number; more: boolean }> {
    // Recipient by recipient (R10): one contact's reminders due together are claimed together and leave as one digest.
    // Issue 17: only the columns dispatch reads, as plain rows — hydrating 2,000 entities a claim cost more CPU than the
    // query.
    const qb = em
      .createQueryBuilder(Reminder, 'r')
      .select(CLAIM_COLUMNS.map((c) => `r.${c}`))
      .where("r.status = 'pending' AND r.due_at <= :now", { now })
      .orderBy('r.due_at', 'ASC')
      .addOrderBy('r.recipient_key', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(CLAIM);
    const mysql = ['mysql', 'mariadb'].includes(em.connection.options.type);
    if (mysql) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
    // SKIP LOCKED alone keeps instances off each other's rows, but two scans running at once interleave and split
    // every recipient's reminders between them. A named lock held only for the claiming SELECT (milliseconds, and
    // released by the server if this instance dies) makes claims contiguous; if it cannot be had in 5 s, the claim
    // goes ahead anyway — SKIP LOCKED still guarantees nothing is taken twice.
    if (mysql) await em.query('SELECT GET_LOCK(?, 5)', [CLAIM_LOCK]);
    let due: ClaimedReminder[];
    // A full claim: the recipient of the first due reminder past it, if any (undefined: nothing more is due now).
    let next: string | undefined;
    try {
      due = plainRows(em, Reminder, 'r', CLAIM_COLUMNS, await qb.getRawMany());
      if (due.length === CLAIM) next = await this.nextRecipient(em, now, due[due.length - 1]);
    } finally {
      if (mysql) await em.query('SELECT RELEASE_LOCK(?)', [CLAIM_LOCK]);
    }
    if (due.length === 0) return { handled: 0, more: false };
    // Issue 17: no empty claim after a full one that took the last of what is due.
    const more = next !== undefined;
    const heldBack = next === due[due.length - 1].recipientKey;
    if (heldBack) {
      // The last recipient's reminders go on past the batch: leave them whole for the next one (unless the batch is
      // nothing but that recipient). Issue 17: only when they do — a claim that ends where a recipient ends is sent
      // whole (100,000 reminders to 100 groups of 1,000 were 100 claims of 1,000, now 50 of 2,000).
      const last = due[due.length - 1];
      const whole = due.filter((r) => r.recipientKey !== last.recipientKey);
      if (whole.length > 0) due = whole;
    }
    // Settled: the next claim (dispatch) may begin — unless this one locked reminders it leaves for the next (held back).
    claimed(more, heldBack && due[due.length - 1].recipientKey !== next);
    // Only what the re-check, the recipients and the 重点督办 mark read of an item.
    const items = plainRows(
      em,
      Item,
      'i',
      DISPATCH_ITEM_COLUMNS,
      await em
        .createQueryBuilder(Item, 'i')
        .select(DISPATCH_ITEM_COLUMNS.map((c) => `i.${c}`))
        .where('i.id IN (:...ids)', { ids: [...new Set(due.map((r) => r.itemId))] })
        .getRawMany(),
    );
    const facts = await this.facts(em, items);
    const cal = await this.calendar.calendar(em);
    const policies = await this.policies();
    const policyOf = memoPolicies(policies);
    const itemById = new Map(items.map((i) => [i.id, i]));
    const still: (PlannedReminder & { recipient: string; item: Item; target: Target; who: string })[] = [];
    const cancelled: number[] = [];
    const heldAgain: { id: number; dueAt: Date }[] = [];
    // A batch holds many reminders for the same few recipients: resolve each one's chats once.
    const recipientsOf = new Map<string, Target[]>();
    // Items entering 重点督办 in this claim: their unit is told by the 重点督办 notice, which asks for the report itself.
    const entering = new Set<number>();
    const sentToday = new Map<string, number>();
    // Issue 17: the units this claim may reach, their chats and today's reminder messages to them, read for all of them
    // at once (one query each, not two per unit); people and the 督查室 are still resolved as met.
    const units = new Set<number>();
    for (const r of due) {
      const item = itemById.get(r.itemId);
      const who = r.kind === 'clue_opened' ? r.recipientKey : item ? recipientKey(item, r.audience, facts) : '';
      if (who.startsWith('unit:')) units.add(Number(who.slice(5)));
    }
    const unitChats = await unitTargetsEach(em, [...units]);
    const today = await this.messagesTodayEach(
      em,
      [...unitChats.values()].filter((t) => t.length > 0).map((t) => t[0].target),
      now,
    );
    for (const [unit, targets] of unitChats) {
      recipientsOf.set(`unit:${unit}`, targets);
      sentToday.set(`unit:${unit}`, targets.length ? (today.get(targets[0].target) ?? 0) : 0);
    }
    // R5 sets 重点督办 once per item: an item that has been in it (by R5 or by hand, even if the 督查室 cleared it since)
    // is not entered again. Issue 17: read once for the claim's 重点督办 reminders, not once per reminder; an item this
    // claim enters is added as it is entered.
    const everInKeySupervision = await this.everInKeySupervision(em, [...new Set(due.filter((r) => r.kind === 'key_supervision').map((r) => r.itemId))]);
    // Issue 14: overdue clues told by this claim to the unit, by item — folded into the item's 重点督办 notice when it enters now.
    const clueToUnit = new Map(due.filter((r) => r.kind === 'clue_opened' && r.audience === 'unit').map((r) => [r.itemId, r.key.split(':')[3]]));
    // Issue 17 (R3): the rules are asked once per item and planned instant, not once per reminder — an item's reminders
    // of one instant (the owner's, the coordinating leader's and the unit's) share one answer, over the same 1 ms window.
    // By item, each instant asked and the answer (a handful of reminders, found by key).
    const replanned = new Map<number, { at: number; plan: PlannedReminder[] }[]>();
    const stillPlannedAt = (item: Item, r: ClaimedReminder): PlannedReminder | undefined => {
      const at = r.plannedAt.getTime();
      let asked = replanned.get(item.id);
      if (!asked) replanned.set(item.id, (asked = []));
      let answer = asked.find((a) => a.at === at);
      if (!answer) asked.push((answer = { at, plan: this.planFor(item, policyOf(item), cal, facts, r.plannedAt, new Date(at + 1)) }));
      return answer.plan.find((p) => p.key === r.key);
    };
    // The claim's own moment held by each policy's quiet hours and days (the same for every reminder of a policy).
    const quietNow = new Map<ReminderPolicy, ReturnType<typeof holdForQuiet>>();
    // Issue 17: what is sent is marked every MARK_CHUNK reminders, each UPDATE awaited before the next statement. They
    // were sent off without waiting, to overlap with the re-check — but a deadlock makes InnoDB roll the whole
    // transaction back at once, and the statements already queued behind it (the rest of the marks, the digests' outbox
    // INSERT) then ran and committed on their own, outside it; the retried claim sent those reminders again. A CI run
    // with three instances saw 2,759 of 10,000 items in 2 or 3 messages (test/reminders/instances.test.ts).
    let sentIds: number[] = [];
    let sentCount = 0;
    const markSent = async (): Promise<void> => {
      if (sentIds.length === 0) return;
      const ids = sentIds;
      sentIds = [];
      sentCount += ids.length;
      await em.createQueryBuilder().update(Reminder).set({ status: 'sent', sentAt: now }).where('id IN (:...ids)', { ids }).execute();
    };
    for (const r of due) {
      if (sentIds.length >= MARK_CHUNK) await markSent();
      const item = itemById.get(r.itemId);
      // R3 and state changes: only what the rules would still plan at that instant goes out. A clue's notice (A1) is a
      // fact, not a plan: it goes out as stored, to the unit the clue concerns.
      const clue = r.kind === 'clue_opened';
      const stillPlanned = clue
        ? { key: r.key, kind: 'clue_opened' as const, rule: r.rule, audience: r.audience as Audience, dueAt: r.plannedAt, sendAt: r.dueAt, held: null }
        : item && stillPlannedAt(item, r);
      // R5: and the 督查室 is not told "转入重点督办" again.
      const enteredBefore = !!item && !!stillPlanned && r.kind === 'key_supervision' && everInKeySupervision.has(item.id);
      if (!item || !stillPlanned || enteredBefore) {
        cancelled.push(r.id);
        continue;
      }
      // R10: held later now than when planned (a day declared a rest day since, or a policy's quiet hours/days
      // changed): held again, to the new send time, not sent today. Only a hold moves it: a reminder whose planned
      // instant is simply still ahead (its send time was brought forward by hand) goes out.
      if (stillPlanned.held !== null && stillPlanned.sendAt.getTime() > now.getTime()) {
        heldAgain.push({ id: r.id, dueAt: stillPlanned.sendAt });
        continue;
      }
      // Issue 14 (R10): a claim that runs in the night or on a rest day (the service back after downtime at 02:22) sends
      // nothing: what is due waits for the next working morning, and goes out then, merged.
      const policy = policyOf(item);
      let quiet = quietNow.get(policy);
      if (!quiet) quietNow.set(policy, (quiet = holdForQuiet(now, policy, cal)));
      if (quiet.held !== null) {
        heldAgain.push({ id: r.id, dueAt: quiet.sendAt });
        continue;
      }
      // Resolved again now: the lead unit or the owner may have changed since planning.
      const who = clue ? r.recipientKey : recipientKey(item, r.audience, facts);
      let targets = recipientsOf.get(who);
      if (!targets) recipientsOf.set(who, (targets = await this.recipients(em, who)));
      // Issue 14 (R10): at most maxUrgesPerDay reminder messages a day into a unit's group; the rest wait for the next
      // working morning and go out there, merged — held, not dropped.
      const cap = policy.maxUrgesPerDay === undefined ? DEFAULT_MAX_URGES_PER_DAY : policy.maxUrgesPerDay;
      if (cap !== null && who.startsWith('unit:') && !clue) {
        let sent = sentToday.get(who);
        if (sent === undefined) sentToday.set(who, (sent = await this.messagesToday(em, targets, now)));
        if (sent >= cap) {
          // To the next working morning's follow-up (09:00), where it joins that urge as one line.
          const morning = (policy.overdueFollowUp === undefined ? DEFAULT_FOLLOW_UP : policy.overdueFollowUp)?.at ?? policy.quietHours.end;
          heldAgain.push({ id: r.id, dueAt: nextWorkingMorning(new Date(startOfShanghaiDay(now) + DAY_MS), morning, cal) });
          continue;
        }
      }
      // Issue 14: one message per recipient per moment — everything this claim sends goes out as of now, so the night's
      // digest (due 08:00) and an urge due at 09:00, both claimed at 09:39, are one message with one line per item.
      // Issue 17: written out, not spread — a spread of the rules' objects cost ~5 µs a line, half a second for 100,000.
      const { key, kind, rule, audience, sendAt, held } = stillPlanned;
      for (const target of targets) still.push({ key, kind, rule, audience, sendAt, held, dueAt: now, recipient: target.target, item, target, who });
      sentIds.push(r.id);
      if (r.kind === 'rectification_due' && r.audience === 'supervision_office') await this.markNotRectified(em, item, now);
      if (r.kind === 'key_supervision') {
        await this.markKeySupervision(em, item, now, facts, clueToUnit.get(item.id));
        entering.add(item.id);
        everInKeySupervision.add(item.id);
      }
    }
    await markSent(); // the last chunk
    // The 重点督办 notice carries the clue of the same moment too (markKeySupervision): one message about the item.
    const sending = still.filter(
      (s) => !(entering.has(s.item.id) && s.audience === 'unit' && (NODE_URGES.includes(s.kind) || (s.kind === 'clue_opened' && clueToUnit.has(s.item.id)))),
    );
    const firstTo = new Map<string, (typeof sending)[number]>();
    for (const s of sending) if (!firstTo.has(s.recipient)) firstTo.set(s.recipient, s);
    // A recipient with more than BATCH lines due at once gets them in messages of BATCH lines (as when claims were BATCH).
    const digests = coalesce(sending).flatMap((d) =>
      Array.from({ length: Math.ceil(d.reminders.length / BATCH) }, (_, k) => ({ ...d, reminders: d.reminders.slice(k * BATCH, (k + 1) * BATCH) })),
    );
    await this.outbox.enqueue(
      em,
      digests.map((d) => {
        const first = firstTo.get(d.recipient)!;
        return {
          kind: 'reminder_digest',
          target: first.target.target,
          platform: first.target.platform ?? null,
          itemId: d.reminders.length === 1 ? first.item.id : null,
          payload: {
            reminders: d.reminders.map((x) => ({ key: x.key, kind: x.kind, rule: x.rule, itemId: Number(x.key.split(':')[0]) })),
            // Issue 14: a unit's group is told with its contacts @-ed.
            ...(first.who.startsWith('unit:') ? { mentionUnit: Number(first.who.slice(5)) } : {}),
          },
          dedupeKey: `remd:${d.recipient}:${d.dueAt.toISOString()}:${d.reminders[0].key}`.slice(0, 191),
          dueAt: now,
          hold: false, // already held by the item's own reminder policy (holdForQuiet), whose quiet hours may differ
        };
      }),
    );
    // Held again: one statement per new send time (a claim in the night holds everything to the same morning).
    const heldTo = new Map<number, number[]>();
    for (const h of heldAgain) {
      const ids = heldTo.get(h.dueAt.getTime());
      if (ids) ids.push(h.id);
      else heldTo.set(h.dueAt.getTime(), [h.id]);
    }
    for (const [at, ids] of heldTo)
      await em
        .createQueryBuilder()
        .update(Reminder)
        .set({ dueAt: new Date(at) })
        .where('id IN (:...ids)', { ids })
        .execute();
    if (cancelled.length) await em.createQueryBuilder().update(Reminder).set({ status: 'cancelled' }).where('id IN (:...ids)', { ids: cancelled }).execute();
    this.log.log(
      JSON.stringify({ event: 'reminders_dispatched', sent: sentCount, cancelled: cancelled.length, heldAgain: heldAgain.length, digests: digests.length }),
    );
    return { handled: due.length, more };
  }

  /**
   * The recipient of the due reminder right after a full claim's last one, in the claim's order (undefined: none) —
   * the claim's last recipient again if the claim cut its reminders in two. A plain read of the index, under the
   * claim's named lock.
   */
  private async nextRecipient(em: EntityManager, now: Date, last: ClaimedReminder): Promise<string | undefined> {
    const next = await em
      .createQueryBuilder(Reminder, 'r')
      .select('r.recipient_key', 'k')
      .where("r.status = 'pending' AND r.due_at <= :now", { now })
      .andWhere('(r.due_at > :at OR (r.due_at = :at AND (r.recipient_key > :who OR (r.recipient_key = :who AND r.id > :id))))', {
        at: last.dueAt,
        who: last.recipientKey,
        id: last.id,
      })
      .orderBy('r.due_at', 'ASC')
      .addOrderBy('r.recipient_key', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(1)
      .getRawOne<{ k: string }>();
    return next?.k;
  }

  /** Of these items, those that have been in 重点督办 (an event on their timeline), R5. */
  private async everInKeySupervision(em: EntityManager, itemIds: number[]): Promise<Set<number>> {
    if (itemIds.length === 0) return new Set();
    const rows = await em
      .createQueryBuilder(ItemEvent, 'e')
      .select('DISTINCT e.item_id', 'id')
      .where("e.type = 'key_supervision' AND e.item_id IN (:...ids)", { ids: itemIds })
      .getRawMany<{ id: number | string }>();
    return new Set(rows.map((r) => Number(r.id)));
  }

  private planFor(item: PlanItem, policy: ReminderPolicy, cal: WorkingCalendarLike, facts: Facts, from: Date, until: Date): PlannedReminder[] {
    return planReminders(this.scheduleInput(item, policy, cal, facts, from, until));
  }

  private scheduleInput(item: PlanItem, policy: ReminderPolicy, cal: WorkingCalendarLike, facts: Facts, from: Date, until: Date): ScheduleInput {
    return {
      item: {
        id: item.id,
        kind: item.kind === 'rectification' ? 'rectification' : undefined,
        board: item.board,
        source: item.source,
        state: item.state,
        registeredAt: item.registeredAt,
        deadlineAt: item.deadlineAt,
        lastReportAt: facts.lastReport.get(item.id) ?? null,
        answeredAt: item.answeredAt,
        nodeStartAt: facts.nodeStart.get(item.id) ?? item.registeredAt,
        awaiting: facts.awaiting.get(item.id) ?? [],
      },
      policy,
      calendar: cal,
      from,
      until,
    };
  }

  /**
   * Issue 17: each item's lead unit (ix_item_unit_item_role alone) into `into`. On MySQL/MariaDB that index by name: for
   * an IN list of fewer than 200 ids (eq_range_index_dive_limit) the optimizer weighs each candidate index by a dive per
   * id, and its dives into uq_item_unit (item_id, unit_id) read as many pages as the read itself — a steady tick's 410
   * items of 10^6 with a 128 MiB buffer pool: ~85 of its ~1,000 page reads.
   */
  private async readLeadUnits(em: EntityManager, ids: number[], into: Map<number, number>): Promise<void> {
    if (ids.length === 0) return;
    const qb = em.createQueryBuilder(ItemUnit, 'u').select(['u.itemId', 'u.unitId']).where('u.itemId IN (:...ids)', { ids }).andWhere("u.role = 'lead'");
    if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.useIndex('ix_item_unit_item_role');
    for (const u of await qb.getMany()) into.set(u.itemId, u.unitId);
  }

  /**
   * The latest report that stands (returned ones do not, F2) and when the current node began (the last approved extension
   * or 限期整改). `leadUnits` false: without the lead units (planning reads them only for the items that store a reminder
   * to their unit, readLeadUnits).
   */
  private async facts(em: EntityManager, items: Pick<Item, 'id' | 'ownerUnitId' | 'state'>[], leadUnits = true): Promise<Facts> {
    const ids = items.map((i) => i.id);
    const lastReport = new Map<number, Date>();
    const nodeStart = new Map<number, Date>();
    const leadUnit = new Map<number, number>();
    const coordinatingLeader = new Map<number, number>();
    const awaiting = new Map<number, { kind: 'review' | 'extension' | 'approval'; since: Date }[]>();
    if (ids.length === 0) return { lastReport, nodeStart, leadUnit, coordinatingLeader, awaiting };
    const offices = [...new Set(items.map((i) => i.ownerUnitId).filter((u): u is number => u !== null))];
    if (offices.length) {
      const units = await em.find(Unit, { where: { id: In(offices) }, select: { id: true, coordinatingLeaderId: true } });
      for (const i of items) {
        const leader = units.find((u) => u.id === i.ownerUnitId)?.coordinatingLeaderId;
        if (leader) coordinatingLeader.set(i.id, leader);
      }
    }
    // Issue 17: the item ids as one list parameter (':...ids'), not In(): TypeORM names and checks one parameter per
    // id, which for a batch of 2,000 cost more CPU than the query.
    const ofItems = <T extends object>(entity: new () => T, alias: string, columns: string[], ids: number[]) =>
      em
        .createQueryBuilder(entity, alias)
        .select(columns.map((c) => `${alias}.${c}`))
        .where(`${alias}.itemId IN (:...ids)`, { ids });
    if (leadUnits) await this.readLeadUnits(em, ids, leadUnit);
    for (const r of await ofItems(Report, 'r', ['id', 'itemId', 'submittedAt'], ids).andWhere("r.status = 'submitted'").getMany()) {
      if (!lastReport.has(r.itemId) || lastReport.get(r.itemId)! < r.submittedAt) lastReport.set(r.itemId, r.submittedAt);
    }
    // Extension requests, approved (a new node) and pending (awaiting the owner, below): one read for both.
    const extensions = await ofItems(ItemRequest, 'q', ['id', 'itemId', 'status', 'decidedAt', 'requestedAt'], ids)
      .andWhere("q.kind = 'extension' AND q.status IN ('approved', 'pending')")
      .getMany();
    for (const r of extensions) {
      if (r.status !== 'approved') continue;
      if (r.decidedAt && (!nodeStart.has(r.itemId) || nodeStart.get(r.itemId)! < r.decidedAt)) nodeStart.set(r.itemId, r.decidedAt);
    }
    // R5 限期整改 (cases/item-commands.service urge): the order sets a new limit and starts a new node, as an extension does.
    for (const e of await ofItems(ItemEvent, 'e', ['id', 'itemId', 'at', 'data'], ids).andWhere("e.type = 'urged'").getMany()) {
      if (e.data?.method === 'rectify' && (!nodeStart.has(e.itemId) || nodeStart.get(e.itemId)! < e.at)) nodeStart.set(e.itemId, e.at);
    }
    // Issue 14: decisions waiting on the owner or the leader, since when — the closure request (审核评定), 报请审定, an
    // extension request not yet decided.
    const waiting = items.filter((i) => i.state === 'closure_requested' || i.state === 'under_review' || i.state === 'pending_approval');
    const add = (itemId: number, kind: 'review' | 'extension' | 'approval', since: Date) =>
      awaiting.set(itemId, [...(awaiting.get(itemId) ?? []), { kind, since }]);
    if (waiting.length) {
      const entered = new Map<string, Date>();
      for (const e of await ofItems(
        ItemEvent,
        'e',
        ['id', 'itemId', 'toState', 'at'],
        waiting.map((i) => i.id),
      )
        .andWhere("e.toState IN ('closure_requested', 'pending_approval')")
        .getMany()) {
        const k = `${e.itemId}:${e.toState}`;
        if (!entered.has(k) || entered.get(k)! < e.at) entered.set(k, e.at);
      }
      for (const i of waiting) {
        const kind = i.state === 'pending_approval' ? 'approval' : 'review';
        const since = entered.get(`${i.id}:${kind === 'approval' ? 'pending_approval' : 'closure_requested'}`);
        if (since) add(i.id, kind, since);
      }
    }
    for (const r of extensions) if (r.status === 'pending') add(r.itemId, 'extension', r.requestedAt);
    return { lastReport, nodeStart, leadUnit, coordinatingLeader, awaiting };
  }

  private async recipients(em: EntityManager, key: string): Promise<Target[]> {
    if (key === 'office') return supervisionTargets(em);
    if (key.startsWith('person:')) return [{ target: key as `person:${number}` }];
    if (key.startsWith('owners:')) {
      const [, office, owner] = key.split(':');
      return ownerOfficeTargets(em, Number(office), Number(owner));
    }
    if (key.startsWith('unit:')) return unitTargets(em, [Number(key.slice(5))]);
    return [];
  }

  /** How many reminder messages went to these chats today (Shanghai): one per moment, whatever the number of chats. */
  private async messagesToday(em: EntityManager, targets: Target[], now: Date): Promise<number> {
    if (targets.length === 0) return 0;
    const row = await em
      .createQueryBuilder(OutboxMessage, 'o')
      .select('COUNT(DISTINCT o.due_at)', 'n')
      .where("o.kind = 'reminder_digest' AND o.target = :target AND o.due_at >= :day AND o.due_at <= :now", {
        target: targets[0].target,
        day: new Date(startOfShanghaiDay(now)),
        now,
      })
      .getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  /** messagesToday for the first chat of many recipients at once: by chat, how many reminder messages it had today. */
  private async messagesTodayEach(em: EntityManager, firstChats: string[], now: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (firstChats.length === 0) return out;
    const rows = await em
      .createQueryBuilder(OutboxMessage, 'o')
      .select('o.target', 'target')
      .addSelect('COUNT(DISTINCT o.due_at)', 'n')
      .where("o.kind = 'reminder_digest' AND o.target IN (:...targets) AND o.due_at >= :day AND o.due_at <= :now", {
        targets: [...new Set(firstChats)],
        day: new Date(startOfShanghaiDay(now)),
        now,
      })
      .groupBy('o.target')
      .getRawMany<{ target: string; n: number | string }>();
    for (const r of rows) out.set(r.target, Number(r.n));
    return out;
  }

  /** R9 逾期不报视为未整改: recorded once on the item's timeline (一事一卷) when the order's time is up without a report. */
  private async markNotRectified(em: EntityManager, item: Item, now: Date): Promise<void> {
    if (await em.existsBy(ItemEvent, { itemId: item.id, type: 'not_rectified' })) return;
    await this.timeline.append(em, SYSTEM_ACTOR, {
      itemId: item.id,
      type: 'not_rectified',
      at: now,
      from: item.state,
      to: item.state,
      summary: '整改时限已到，未收到整改报告，按规定视为未整改',
      data: { origin: 'R9' },
    });
  }

  /**
   * R5: overdue 3 days — 重点督办, a flag on the open item, on its timeline and in the next 通报; the lead unit is told
   * in its groups, in the same transaction (one outbox row per group, de-duplicated by the event).
   */
  private async markKeySupervision(em: EntityManager, item: Item, now: Date, facts: Facts, clueNumber?: string): Promise<void> {
    await em.update(Item, { id: item.id }, { keySupervision: true });
    item.keySupervision = true;
    const event = await this.timeline.append(em, SYSTEM_ACTOR, {
      itemId: item.id,
      type: 'key_supervision',
      at: now,
      from: item.state,
      to: item.state,
      summary: keySupervisionSummary({ on: true, origin: 'R5', reason: null, requestedBy: null }),
      data: { origin: 'R5' },
    });
    const lead = facts.leadUnit.get(item.id);
    const targets = lead === undefined ? [] : await unitTargets(em, [lead]);
    await this.outbox.enqueue(
      em,
      targets.map((t) => ({
        kind: 'key_supervision_notice',
        target: t.target,
        platform: t.platform ?? null,
        itemId: item.id,
        // Issue 14: an overdue clue opened in the same moment is said here, not in a message of its own.
        payload: { itemNumber: item.number, eventId: event.id, origin: 'R5', ...(clueNumber ? { clueNote: clueUnitTail({ clueNumber }) } : {}) },
        dedupeKey: `evt:${event.id}:key_supervision_notice:${t.target}`,
        dueAt: now,
      })),
    );
  }
}

/**
 * Issue 17: raw rows of a query builder's select (`alias.property` each) as plain objects of those properties, each
 * value converted by the driver as TypeORM converts it when it builds an entity (dates, booleans, transformers) —
 * without building one: for thousands of rows the entity transformer cost more CPU than the query.
 */
function plainRows<T extends object, K extends keyof T & string>(
  em: EntityManager,
  entity: new () => T,
  alias: string,
  properties: readonly K[],
  raws: Record<string, unknown>[],
): T[] {
  const meta = em.connection.getMetadata(entity);
  const driver = em.connection.driver;
  const columns = properties.map((p) => {
    const column = meta.findColumnWithPropertyName(p)!;
    // Integers and strings without a transformer come from either driver as they are; dates and booleans do not.
    const asIs = !column.transformer && (column.type === 'int' || column.type === 'varchar');
    return { p, column, raw: `${alias}_${column.databaseName}`, asIs };
  });
  return raws.map((raw) => {
    const row = {} as Record<string, unknown>;
    for (const c of columns) row[c.p] = c.asIs ? raw[c.raw] : driver.prepareHydratedValue(raw[c.raw], c.column);
    return row as T;
  });
}

/**
 * policyFor for many items: its choice depends only on the item's board, source and kind, so each combination is
 * chosen once (a batch of 1,000 items has a handful).
 */
function memoPolicies(policies: PolicyRow[]): (item: Pick<Item, 'board' | 'source' | 'kind'>) => ReminderPolicy {
  const chosen = new Map<string, ReminderPolicy>();
  return (item) => {
    const k = `${item.board}|${item.source}|${item.kind}`;
    let p = chosen.get(k);
    if (!p) chosen.set(k, (p = policyFor(item, policies)));
    return p;
  };
}

/**
 * How far planning looks for this item's next reminder (PLAN_LOOKAHEAD_MS): between half of it and all of it, by a hash
 * of the id, and never before the stored horizon's end.
 */
export function lookaheadEnd(itemId: number, now: Date, until: Date): Date {
  return new Date(Math.max(until.getTime(), now.getTime() + PLAN_LOOKAHEAD_MS * (1 - spreadOf(itemId) / 2)));
}

/**
 * Issue 17: an item's mark after planning up to `until`. With a reminder at `next` not stored, up to half a horizon
 * before it (by the id, evenly over what [until, next] allows): the item is planned again between one and half a
 * horizon before that reminder, so the thousands of items whose reminders all fall at 09:00 (weekly, follow-ups) or
 * 13:00 (5 h before an 18:00 deadline) are planned over six hours of ticks, not in one. Never before `until`: nothing
 * falls in [until, next) — the mark only says where the next planning starts, and starting earlier than `next` loses
 * nothing. With nothing ahead, the look-ahead's end.
 */
export function nextMark(itemId: number, next: Date | null, now: Date, until: Date): Date {
  if (!next) return lookaheadEnd(itemId, now, until);
  const room = Math.min((until.getTime() - now.getTime()) / 2, next.getTime() - until.getTime());
  return new Date(next.getTime() - Math.floor(spreadOf(itemId) * Math.max(0, room)));
}

/**
 * Lane `k` of `lanes`: its share of the ids 0 … maxId taken round from `start` (the instance's starting point), as id
 * ranges [from, to) in the order it plans them; `to` null = no end (the top of the register, where new items come).
 * Together the lanes cover every id once.
 */
export function laneRanges(start: number, maxId: number, k: number, lanes: number): { from: number; to: number | null }[] {
  const span = maxId + 1;
  const a = start + Math.floor((k * span) / lanes);
  const b = start + Math.floor(((k + 1) * span) / lanes);
  const out: { from: number; to: number | null }[] = [];
  const push = (from: number, to: number) => {
    if (to > from) out.push({ from, to: to >= span ? null : to });
  };
  if (b <= span) push(a, b);
  else if (a >= span) push(a - span, b - span);
  else {
    push(a, span);
    push(0, b - span);
  }
  return out;
}

/** [0, 1), evenly over the ids (Fibonacci hashing). */
const spreadOf = (itemId: number) => (Math.imul(itemId, 0x9e3779b1) >>> 0) / 2 ** 32;

/** Runs a statement on the transaction's connection and returns the rows it matched (both drivers' structured result). */
async function affected(em: EntityManager, sql: string, parameters?: unknown[]): Promise<number> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    return Number((await runner.query(sql, parameters, true)).affected ?? 0);
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** A UTC instant as MariaDB and SQLite (TypeORM's form) store a datetime(3): 'YYYY-MM-DD HH:MM:SS.mmm'. */
const sqlInstant = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

/** The policies as they would be with the candidate saved (it replaces the policy of the same id). */
function withCandidate(policies: PolicyRow[], candidate: PolicyRow): PolicyRow[] {
  // In its place: the seed order decides ties (policyFor), so a candidate must not win one only by being last.
  return policies.some((p) => p.id === candidate.id) ? policies.map((p) => (p.id === candidate.id ? candidate : p)) : [...policies, candidate];
}

/** One planning run: its instants, rules and counts. */
interface PlanRun {
  now: Date;
  until: Date;
  stale: Date;
  cal: WorkingCalendarLike;
  policyOf: (item: Pick<Item, 'board' | 'source' | 'kind'>) => ReminderPolicy;
  /** Where this instance starts in the register (a random id): instances mostly plan different items. */
  start: number;
  /** The register's highest id when the run began. */
  maxId: number;
  /** The time budget's end (ms since the epoch): past it, the run stops and the next tick goes on. */
  deadline: number;
  mysql: boolean;
  created: number;
  items: number;
  stopped: boolean;
}

interface Facts {
  lastReport: Map<number, Date>;
  nodeStart: Map<number, Date>;
  leadUnit: Map<number, number>;
  /** R4: the coordinating leader of each item's owner office, where one is set. */
  coordinatingLeader: Map<number, number>;
  /** Issue 14: what each item waits for from the owner or the leader, and since when. */
  awaiting: Map<number, { kind: 'review' | 'extension' | 'approval'; since: Date }[]>;
}

/**
 * Whether recipientKey reads an audience's recipient from the item's lead unit (facts.leadUnit), for planning to read
 * the lead units only where they are needed. Every Audience is named, so a new one must be placed here; a stored
 * audience this version does not know goes to the unit, as in recipientKey.
 */
const FROM_LEAD_UNIT: Record<Audience, boolean> = { unit: true, leader: false, owner: false, coordinating_leader: false, supervision_office: false };
const byLeadUnit = (audience: string) => FROM_LEAD_UNIT[audience as Audience] ?? true;

/**
 * Who an audience is for this item: the lead unit's chats (P1, P4), the owner office's owner-role people (P4), the
 * owner office's coordinating leader (R4; the 督查室 when the office has none, told to name one), the D3 leader
 * (reminders planned before issue 13 only), or the 督查室.
 */
function recipientKey(item: Pick<Item, 'id' | 'leaderId' | 'ownerId' | 'ownerUnitId'>, audience: string, facts: Facts): string {
  if (audience === 'leader') return `person:${item.leaderId}`;
  if (audience === 'owner') return item.ownerUnitId === null ? `person:${item.ownerId}` : `owners:${item.ownerUnitId}:${item.ownerId}`;
  if (audience === 'coordinating_leader') {
    const leader = facts.coordinatingLeader.get(item.id);
    return leader ? `person:${leader}` : 'office';
  }
  if (audience === 'supervision_office') return 'office';
  const unit = facts.leadUnit.get(item.id);
  return unit === undefined ? 'none' : `unit:${unit}`;
}
