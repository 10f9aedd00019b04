import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, hasRole } from '../shared/actor';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../shared/clock';
import { DomainError, invalid } from '../shared/errors';
import { formatShanghai, shanghaiYear } from '../shared/shanghai-time';
import { Person } from '../org/person.entity';
import { RoleGrant } from '../org/role-grant.entity';
import { Unit } from '../org/unit.entity';
import { SettingsService } from '../settings/settings.service';
import { CommandRunner } from './command-runner';
import { DeadlineDescription, DeadlineSpec, describeDeadline, openEndedDeadline, resolveDeadline } from './deadline.rules';
import { deadlineForNewLeadUnit } from './custody.rules';
import { carriesSecrecyMark } from './item-number.rules';
import { Item } from './item.entity';
import { ItemUnit } from './item-unit.entity';
import type { Board, Category, ItemKind, ItemState, Source } from '../shared/vocabulary';
import { NumberingService } from './numbering.service';
import { TimelineWriter } from './timeline.writer';
import { inTransaction } from '../database/transaction';
import { RectificationDeadlines } from './rectification-deadline.port';

export interface ReassignInput {
  ownerId?: number;
  leaderId?: number;
  leadUnitId?: number;
  coUnitIds?: number[];
  reason: string;
}

export interface RegisterInput {
  title: string;
  content: string;
  source: Source;
  sourceRef?: string;
  board?: Board;
  category?: Category;
  /** R9: 'rectification' — the deadline is set by the rectification policy; no deadline may be given. */
  kind?: ItemKind;
  ownerId?: number;
  leaderId: number;
  leadUnitId: number;
  coUnitIds?: number[];
  deadline?: DeadlineSpec;
  deadlineReason?: string;
  servedParty?: string;
  classified?: boolean;
  draft?: boolean;
}

/** A new item and what the person registering it should be told about its deadline (e.g. a date moved off a holiday). */
export interface Registered {
  item: Item;
  warnings: string[];
}

export interface DeadlinePreviewInput {
  deadline?: DeadlineSpec;
  deadlineReason?: string;
  board?: Board;
  category?: Category;
  kind?: ItemKind;
}

export interface DeadlinePreview {
  at: Date;
  spec: string;
  warnings: string[];
  description: DeadlineDescription;
}

export interface ChildInput {
  unitId: number;
  title?: string;
  content?: string;
  deadline?: DeadlineSpec;
  deadlineReason?: string;
}

/** The unit has asked for closure and waits on the owner (审核, 评定) or the leader (审定): its answer stands. */
const AWAITING_OWNER_OR_LEADER: readonly ItemState[] = ['closure_requested', 'under_review', 'pending_approval'];

/** C1–C4: registering items and decomposing a decision into one child per unit. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly numbering: NumberingService,
    private readonly timeline: TimelineWriter,
    private readonly calendar: CalendarService,
    private readonly settings: SettingsService,
    private readonly runner: CommandRunner,
    private readonly rectification: RectificationDeadlines,
  ) {}

  async register(input: RegisterInput, actor: Actor): Promise<Item> {
    return (await this.registerWithWarnings(input, actor)).item;
  }

  /** register(), plus what the person registering should be told about the deadline (the HTTP answer shows it). */
  async registerWithWarnings(input: RegisterInput, actor: Actor): Promise<Registered> {
    if (!hasRole(actor, 'supervisor') && !hasRole(actor, 'owner')) {
      throw new DomainError('CASE.FORBIDDEN', '立项由督查室或立项主体办理，您不能登记督办事项。', 'forbidden');
    }
    // C2: classified matters never enter the system.
    if (input.classified || carriesSecrecyMark(input.title, input.content, input.sourceRef)) {
      throw invalid('CASE.CLASSIFIED', '涉密事项不得录入本系统，请按保密规定线下办理。', { field: 'classified' });
    }
    const ownerId = input.ownerId ?? actor.personId; // P4: 谁立项、谁督办
    if (ownerId === null || ownerId === undefined) throw invalid('VALIDATION', '请指定本事项的立项主体。', { field: 'ownerId' });
    const coUnitIds = [...new Set(input.coUnitIds ?? [])];
    if (coUnitIds.includes(input.leadUnitId)) throw invalid('CASE.LEAD_ALSO_CO', '主办单位不能同时是协办单位。', { field: 'coUnitIds' });
    return inTransaction(this.db, async (em) => {
      await this.checkPeopleAndUnits(em, ownerId, input.leaderId, [input.leadUnitId, ...coUnitIds]);
      return this.insertItem(em, { ...input, ownerId, coUnitIds }, actor, null);
    });
  }

  /** C4: one child per unit, each with its own deadline; the parent then waits for its children. */
  async decompose(number: string, children: ChildInput[], actor: Actor): Promise<Item[]> {
    return (await this.decomposeWithWarnings(number, children, actor)).map((r) => r.item);
  }

  async decomposeWithWarnings(number: string, children: ChildInput[], actor: Actor): Promise<Registered[]> {
    if (children.length === 0) throw invalid('VALIDATION', '分解立项至少要有一个子事项。', { field: 'children' });
    const unitIds = children.map((c) => c.unitId);
    if (new Set(unitIds).size !== unitIds.length) throw invalid('CASE.DUPLICATE_CHILD_UNIT', '分解立项每个单位一项，单位不能重复。', { field: 'children' });
    return this.runner.run(number, actor, 'decompose', async (c) => {
      if (c.item.parentId !== null) throw invalid('CASE.NESTED_DECOMPOSE', '子事项不能再分解。');
      await this.checkPeopleAndUnits(c.em, c.item.ownerId, c.item.leaderId, unitIds);
      const units = await c.em.findBy(Unit, { id: In(unitIds) });
      const created: Registered[] = [];
      for (const child of children) {
        const unitName = units.find((u) => u.id === child.unitId)!.name;
        created.push(
          await this.insertItem(
            c.em,
            {
              title: child.title ?? `${c.item.title}（${unitName}）`,
              content: child.content ?? c.item.content,
              source: c.item.source,
              sourceRef: c.item.sourceRef,
              board: c.item.board,
              category: c.item.category,
              ownerId: c.item.ownerId,
              ownerUnitId: c.item.ownerUnitId,
              leaderId: c.item.leaderId,
              leadUnitId: child.unitId,
              coUnitIds: [],
              deadline: child.deadline,
              deadlineReason: child.deadlineReason,
              servedParty: c.item.servedParty ?? undefined,
            },
            actor,
            c.item.id,
          ),
        );
      }
      await c.transition(
        c.item.state,
        { decomposed: true },
        {
          type: 'decomposed',
          summary: `分解立项为 ${created.length} 项：${created.map((r) => r.item.number).join('、')}`,
          data: { children: created.map((r) => r.item.number) },
        },
      );
      return created;
    });
  }

  /**
   * P2, P4 (issue 13): the 督查室 reassigns an open item — its owner (and with it the owner office), its leader, its
   * lead unit and co-units — with a reason, in one transaction: the item and its units, a timeline event saying who
   * replaced whom and why, the messages (an assigned item's card to a new unit as at 交办; the removed units, the new
   * owner and the new leader told), and reminders re-planned (the transition clears reminders_planned_until).
   */
  async reassign(number: string, input: ReassignInput, actor: Actor): Promise<{ changes: string[] }> {
    const reason = input.reason.trim();
    if (!reason) throw invalid('VALIDATION', '请说明调整理由，理由将记入一事一卷。', { field: 'reason' });
    return this.runner.run(number, actor, 'reassign', async (c) => {
      const item = c.item;
      const oldLead = c.leadUnit.unitId;
      const oldCo = c.units.filter((u) => u.role === 'co').map((u) => u.unitId);
      const ownerId = input.ownerId ?? item.ownerId;
      const leaderId = input.leaderId ?? item.leaderId;
      const leadUnitId = input.leadUnitId ?? oldLead;
      const coUnitIds = [...new Set(input.coUnitIds ?? oldCo.filter((u) => u !== leadUnitId))];
      if (coUnitIds.includes(leadUnitId)) {
        throw invalid('CASE.LEAD_ALSO_CO', '主办单位不能同时列为协办单位，请从协办单位中去掉它。', { field: 'coUnitIds' });
      }
      const sameCo = coUnitIds.length === oldCo.length && coUnitIds.every((u) => oldCo.includes(u));
      if (ownerId === item.ownerId && leaderId === item.leaderId && leadUnitId === oldLead && sameCo) {
        throw invalid('CASE.NOTHING_TO_REASSIGN', '请至少指定一项调整：新的立项主体、分管领导、主办单位或协办单位（与现在不同）。', { field: 'leadUnitId' });
      }
      await this.checkPeopleAndUnits(c.em, ownerId, leaderId, [leadUnitId, ...coUnitIds]);
      const people = await c.em.findBy(Person, { id: In([item.ownerId, ownerId, item.leaderId, leaderId]) });
      const units = await c.em.findBy(Unit, { id: In([oldLead, ...oldCo, leadUnitId, ...coUnitIds]) });
      const who = (id: number) => people.find((p) => p.id === id)?.name ?? `人员${id}`;
      const unitName = (id: number) => units.find((u) => u.id === id)?.name ?? `单位${id}`;
      const list = (ids: number[]) => (ids.length ? ids.map(unitName).join('、') : '无');
      const changes: string[] = [];
      if (ownerId !== item.ownerId) changes.push(`立项主体由${who(item.ownerId)}调整为${who(ownerId)}`);
      if (leaderId !== item.leaderId) changes.push(`分管领导由${who(item.leaderId)}调整为${who(leaderId)}`);
      if (leadUnitId !== oldLead) changes.push(`主办单位由${unitName(oldLead)}调整为${unitName(leadUnitId)}`);
      if (!sameCo) changes.push(`协办单位由${list(oldCo)}调整为${list(coUnitIds)}`);

      // The units: a unit keeping its role keeps its 签收; one changing role or new must sign (again).
      const wanted = new Map<number, 'lead' | 'co'>([[leadUnitId, 'lead'], ...coUnitIds.map((u) => [u, 'co'] as [number, 'co'])]);
      const removed = c.units.filter((u) => !wanted.has(u.unitId)).map((u) => u.unitId);
      const added: number[] = [];
      for (const row of c.units) {
        const role = wanted.get(row.unitId);
        if (role === undefined) await c.em.delete(ItemUnit, { id: row.id });
        else if (role !== row.role) await c.em.update(ItemUnit, { id: row.id }, { role, signedAt: null, signedById: null });
      }
      for (const [unitId, role] of wanted) {
        if (c.units.some((u) => u.unitId === unitId)) continue;
        added.push(unitId);
        await c.em.insert(ItemUnit, { itemId: item.id, unitId, role, signedAt: null, signedById: null });
      }
      c.units.splice(0, c.units.length, ...(await c.em.findBy(ItemUnit, { itemId: item.id })));

      const ownerUnitId = ownerId === item.ownerId ? item.ownerUnitId : (people.find((p) => p.id === ownerId)?.unitId ?? null);
      // Blame follows custody (issue 14, A1): a new lead unit of an item already handed over starts its own time now —
      // its 交办 is this moment, the old unit's answer is not its answer, and a deadline already past (or less than a
      // working day away) becomes the item's original node counted from today (custody.rules.ts).
      const custody: Partial<Item> = {};
      if (leadUnitId !== oldLead && item.assignedAt !== null) {
        const policy = await this.settings.deadlinePolicy(c.em);
        const deadlineAt = deadlineForNewLeadUnit(item, c.now, await this.calendar.calendar(c.em), policy.dayEnd);
        custody.assignedAt = c.now;
        if (!AWAITING_OWNER_OR_LEADER.includes(item.state)) custody.answeredAt = null;
        if (deadlineAt.getTime() !== item.deadlineAt.getTime()) {
          custody.deadlineAt = deadlineAt;
          changes.push(`办理期限由${formatShanghai(item.deadlineAt)}调整为${formatShanghai(deadlineAt)}（新主办单位自调整之日起重新计算办理时限）`);
        }
      }
      // The people and the owner office change with the item's version, in the same update as the event.
      const e = await c.transition(
        item.state,
        { ownerId, ownerUnitId, leaderId, ...custody },
        {
          type: 'reassigned',
          summary: `督查室调整：${changes.join('；')}。理由：${reason}`,
          data: {
            ownerId,
            leaderId,
            leadUnitId,
            coUnitIds,
            removedUnitIds: removed,
            addedUnitIds: added,
            reason,
            // Issue 14: whose time is whose (scoring replays it, score-facts.rules.ts).
            fromLeadUnitId: oldLead,
            ...(custody.deadlineAt ? { deadline: custody.deadlineAt.toISOString() } : {}),
            ...(custody.assignedAt ? { answerStands: custody.answeredAt === undefined } : {}),
          },
        },
      );

      const notice = (role: string) => ({ role, reason, changes });
      if (removed.length) await c.send(e, 'reassigned_notice', await c.unitTargets(removed), notice('removed_unit'));
      // 交办 pushed the card to every unit: a unit joining an item already assigned gets it now, as at 交办.
      if (added.length && item.state !== 'registered') await c.send(e, 'assignment_card', await c.unitTargets(added), {});
      if (changes.some((x) => x.startsWith('立项主体'))) await c.send(e, 'reassigned_notice', c.person(ownerId), notice('owner'));
      if (changes.some((x) => x.startsWith('分管领导'))) await c.send(e, 'reassigned_notice', c.person(leaderId), notice('leader'));
      return { changes };
    });
  }

  private async insertItem(
    em: EntityManager,
    input: RegisterInput & { ownerId: number; ownerUnitId?: number | null; coUnitIds: number[] },
    actor: Actor,
    parentId: number | null,
  ): Promise<Registered> {
    const now = this.clock.now();
    const board = input.board ?? 'daily';
    const category = input.category ?? 'decision';
    const kind = input.kind ?? 'task';
    const { deadline, policy } = await this.deadlineOf(em, { ...input, board, category, kind }, actor, now);
    const { number } = await this.numbering.next(em, shanghaiYear(now));
    this.calendar.warnUncovered(deadline.uncoveredYears, number);
    const state = input.draft ? 'draft' : 'registered';
    // P4: the 立项主体 is the owner's office (home unit); a child of a decomposed item keeps its parent's.
    const ownerUnitId = input.ownerUnitId !== undefined ? input.ownerUnitId : ((await em.findOneBy(Person, { id: input.ownerId }))?.unitId ?? null);
    const item = await em.save(Item, {
      number,
      title: input.title.trim(),
      content: input.content.trim(),
      source: input.source,
      sourceRef: input.sourceRef?.trim() ?? '',
      board,
      category,
      kind,
      state,
      ownerId: input.ownerId,
      ownerUnitId,
      leaderId: input.leaderId,
      registeredById: actor.personId,
      servedParty: input.servedParty?.trim() || null,
      deadlineAt: deadline.at,
      deadlineSpec: deadline.spec,
      deadlineReason: input.deadlineReason?.trim() || null,
      parentId,
      registeredAt: now,
      assignedAt: null,
      closedAt: null,
      numberRetiredAt: null,
      archivedAt: null,
      rating: null,
    });
    await em.insert(ItemUnit, [
      { itemId: item.id, unitId: input.leadUnitId, role: 'lead' as const, signedAt: null, signedById: null },
      ...input.coUnitIds.map((unitId) => ({ itemId: item.id, unitId, role: 'co' as const, signedAt: null, signedById: null })),
    ]);
    await this.timeline.append(em, actor, {
      itemId: item.id,
      type: 'registered',
      at: now,
      from: null,
      to: state,
      summary: `立项：${item.title}${parentId ? '（分解立项）' : ''}`,
      data: { deadline: deadline.at.toISOString(), deadlineSpec: deadline.spec, ...(deadline.warnings ? { warnings: deadline.warnings } : {}) },
    });
    if (deadline.ceilingException) {
      // C3 (000 §8): the 督查室's exception to the one-month ceiling of 专项督查, in the 一事一卷.
      await this.timeline.append(em, actor, {
        itemId: item.id,
        type: 'deadline_exception',
        at: now,
        from: null,
        to: null,
        summary: `专项督查期限超过${policy.specialCeilingMonths}个月（办理期限 ${formatShanghai(deadline.at)}），督查室登记例外，理由：${deadline.ceilingException}`,
        data: { deadline: deadline.at.toISOString(), reason: deadline.ceilingException },
      });
    }
    return { item, warnings: deadline.warnings ?? [] };
  }

  /**
   * Issue 15: the 立项 form shows the due date before saving — worked out exactly as register() would at this moment
   * (C3 time nodes, dates and working days on the official calendar, the 专项督查 ceiling, R9, open-ended items).
   */
  async previewDeadline(input: DeadlinePreviewInput, actor: Actor): Promise<DeadlinePreview> {
    if (!hasRole(actor, 'supervisor') && !hasRole(actor, 'owner') && !actor.isAdmin) {
      throw new DomainError('CASE.FORBIDDEN', '立项由督查室或立项主体办理，您不能登记督办事项。', 'forbidden');
    }
    const now = this.clock.now();
    const board = input.board ?? 'daily';
    const category = input.category ?? 'decision';
    const kind = input.kind ?? 'task';
    const em = this.db.manager;
    const { deadline, calendar } = await this.deadlineOf(em, { ...input, board, category, kind }, actor, now);
    return { at: deadline.at, spec: deadline.spec, warnings: deadline.warnings ?? [], description: describeDeadline(deadline.at, now, calendar) };
  }

  /** C3, R9: the deadline a new item gets now; a problem is thrown as a field error. */
  private async deadlineOf(
    em: EntityManager,
    input: { deadline?: DeadlineSpec; deadlineReason?: string; board: Board; category: Category; kind: ItemKind },
    actor: Actor,
    now: Date,
  ) {
    const { kind, board, category } = input;
    const calendar = await this.calendar.calendar(em);
    const policy = await this.settings.deadlinePolicy(em);
    if (kind === 'rectification' && input.deadline) {
      throw invalid('DEADLINE.BY_RULE', '整改通知的期限由规则确定（自下达次日起2个工作日，第3个工作日12:00前报送整改报告），请不要填写期限。', {
        field: 'deadlineNode',
      });
    }
    if (kind === 'open_ended' && input.deadline) {
      throw invalid('DEADLINE.BY_RULE', '无固定时限事项不填写期限：视情况适时报告进展，年底前报送书面综合报告。需要期限的，请登记为督办事项。', {
        field: 'deadlineNode',
      });
    }
    const deadline =
      kind === 'rectification'
        ? await this.rectification.deadline(now, calendar) // R9: by the rectification policy in force
        : kind === 'open_ended'
          ? openEndedDeadline(now, calendar, policy) // C3 (000 §12): the year-end written report
          : resolveDeadline(
              { spec: input.deadline, board, category, reason: input.deadlineReason, mayRecordException: hasRole(actor, 'supervisor') },
              { now, calendar, policy },
            );
    if ('code' in deadline) throw invalid(deadline.code, deadline.message, { field: deadline.field });
    return { deadline, calendar, policy };
  }

  /** P2: the owner must hold owner or supervisor, the leader leader; units must exist. */
  private async checkPeopleAndUnits(em: EntityManager, ownerId: number, leaderId: number, unitIds: number[]): Promise<void> {
    const grants = await em.findBy(RoleGrant, { personId: In([ownerId, leaderId]) });
    const people = await em.findBy(Person, { id: In([ownerId, leaderId]) });
    if (!people.some((p) => p.id === ownerId) || !grants.some((g) => g.personId === ownerId && (g.role === 'owner' || g.role === 'supervisor'))) {
      throw invalid('CASE.BAD_OWNER', `人员 ${ownerId} 不是立项主体或督查室人员，不能作为本事项的立项主体。`, { field: 'ownerId' });
    }
    if (!people.some((p) => p.id === leaderId) || !grants.some((g) => g.personId === leaderId && g.role === 'leader')) {
      throw invalid('CASE.BAD_LEADER', `人员 ${leaderId} 不是分管领导，不能审定本事项。`, { field: 'leaderId' });
    }
    // Issue 15: people and units retired (停用) are given no item.
    const retired = people.filter((p) => !p.active);
    if (retired.length) {
      const field = retired.some((p) => p.id === ownerId) ? 'ownerId' : 'leaderId';
      throw invalid('CASE.PERSON_RETIRED', `${retired.map((p) => p.name).join('、')}已停用，请另选在职人员。`, { field });
    }
    const found = await em.findBy(Unit, { id: In(unitIds) });
    const missing = unitIds.filter((id) => !found.some((u) => u.id === id));
    if (missing.length) throw invalid('CASE.UNKNOWN_UNIT', `没有编号为 ${missing.join('、')} 的单位。`, { field: 'leadUnitId' });
    const retiredUnits = found.filter((u) => !u.active);
    if (retiredUnits.length) {
      const field = retiredUnits.some((u) => u.id === unitIds[0]) ? 'leadUnitId' : 'coUnitIds';
      throw invalid('CASE.UNIT_RETIRED', `${retiredUnits.map((u) => `「${u.name}」`).join('、')}已停用，不能承办新事项，请另选单位。`, { field });
    }
  }
}
