import { Injectable } from '@nestjs/common';
import { Actor, SYSTEM_ACTOR, unitsOf } from '../shared/actor';
import { conflict, invalid } from '../shared/errors';
import { formatShanghai } from '../shared/shanghai-time';
import { Unit } from '../org/unit.entity';
import { CalendarService } from '../calendar/calendar.service';
import { SettingsService } from '../settings/settings.service';
import { CommandContext } from './command-context';
import { CommandRunner } from './command-runner';
import { checkExtensionRequest } from './deadline.rules';
import { deadlineAfterRefusal } from './custody.rules';
import { extensionTrack, extensionTrackText } from './ongoing.rules';
import { ItemEvent } from './item-event.entity';
import { ItemRequest } from './item-request.entity';
import { Item } from './item.entity';
import { checkLength } from './text-limits';
import { ACTION_RULES, CLOSURE_ATTEMPTS_BEFORE_VERIFICATION } from './item.rules';
import { RATINGS, Rating } from '../shared/vocabulary';
import { Report } from './report.entity';
import { ItemUnit } from './item-unit.entity';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../shared/clock';
import { inTransaction } from '../database/transaction';
import { insertRows, updateWhereLater } from '../database/plain-sql';
import { DirectoryCache } from '../org/directory-cache';
import type { ItemState } from '../shared/vocabulary';
import { toShanghaiIso } from '../shared/shanghai-time';
import { checkKeySupervisionChange, checkUrging, keySupervisionSummary, URGE_METHODS, UrgeMethod, urgingSummary } from './urging.rules';

/** The commands of an item's life after registration (C5), each one transaction through CommandRunner. */
@Injectable()
export class ItemCommandsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly settings: SettingsService,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    private readonly directory: DirectoryCache,
  ) {}

  submit(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'submit', (c) => c.transition('registered', {}, { type: 'submitted', summary: '提交立项' }));
  }

  /** 交办: the assignment card goes to every unit's group (P1). */
  assign(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'assign', async (c) => {
      const names = await unitNames(c);
      const e = await c.transition('assigned', { assignedAt: c.now }, { type: 'assigned', summary: `交办：${names}` });
      await c.send(e, 'assignment_card', await c.unitTargets(c.allUnitIds()), {});
    });
  }

  /** 签收: each unit signs for itself; the item is in progress once its lead unit has signed. */
  sign(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'sign', async (c) => {
      const mine = c.units.find((u) => u.role === c.relation.unitRole && unitsOf(actor).includes(u.unitId))!;
      if (mine.signedAt) throw conflict('CASE.ALREADY_SIGNED', `您所在单位已于 ${formatShanghai(mine.signedAt)} 签收事项 ${c.item.number}，无需重复签收。`);
      // Issue 17: plain SQL, held in a chat event's batched transaction (its row is locked with the item's).
      await updateWhereLater(c.em, ItemUnit, { signedAt: c.now, signedById: actor.personId }, { id: mine.id }, 1, () =>
        conflict('CASE.CONCURRENT_UPDATE', `事项 ${c.item.number} 刚被他人更新，请刷新后重试。`),
      );
      mine.signedAt = c.now;
      const unit = (await this.directory.units([mine.unitId])).get(mine.unitId) ?? (await c.em.findOneByOrFail(Unit, { id: mine.unitId }));
      const to = mine.role === 'lead' && c.item.state === 'assigned' ? 'in_progress' : c.item.state;
      // A co-unit's signature leaves the state as it is, but its contacts' 签收 button must go: CardRefresher refreshes the cards.
      await c.transition(to, {}, { type: 'signed', summary: `${unit.name}（${mine.role === 'lead' ? '主办' : '协办'}）签收`, data: { unitId: unit.id } });
    });
  }

  /** F1: the lead unit reports progress; the owner is told at once. */
  report(number: string, actor: Actor, content: string) {
    return this.runner.run(number, actor, 'report', async (c) => {
      const text = content.trim();
      if (!text) throw invalid('REPORT.EMPTY', `反馈须写明办理进展，例如：/反馈 ${c.item.number} 已完成现场核查，正在整改。`, { field: 'content' });
      checkLength('report', text, 'content');
      // A plain insert, nothing read back (issue 17).
      const reportId = await insertRows(c.em, Report, [
        {
          itemId: c.item.id,
          unitId: c.leadUnit.unitId,
          authorId: actor.personId!,
          content: text,
          channel: actor.channel,
          submittedAt: c.now,
          status: 'submitted' as const,
          returnedAt: null,
          returnedById: null,
          returnReason: null,
        },
      ]);
      const report = { id: reportId };
      // A1: the node's first standing report is the unit's answer (overdue.rules); a later one changes nothing.
      const e = await c.transition(c.item.state, answered(c), { type: 'reported', summary: `反馈：${excerpt(text)}`, data: { reportId: report.id } });
      await c.send(e, 'report_notice', await c.ownerOffice(), { reportId: report.id });
      return { reportId: report.id };
    });
  }

  /** F2: the owner returns the latest report, or a closure under way, with a reason; the unit must resubmit. */
  returnWork(number: string, actor: Actor, reason: string) {
    return this.runner.run(number, actor, 'return', async (c) => {
      if (!reason.trim()) throw invalid('RETURN.REASON_REQUIRED', `退回须写明理由，例如：/退回 ${c.item.number} 缺少现场照片。`, { field: 'reason' });
      checkLength('returnReason', reason, 'reason');
      let what: string;
      if (c.item.state === 'in_progress') {
        const latest = await c.em.findOne(Report, { where: { itemId: c.item.id, status: 'submitted' }, order: { id: 'DESC' } });
        if (!latest) throw conflict('RETURN.NOTHING', `事项 ${c.item.number} 目前没有待审的反馈可退回；主办单位报送反馈后再审阅。`);
        await c.em.update(Report, { id: latest.id }, { status: 'returned', returnedAt: c.now, returnedById: actor.personId, returnReason: reason });
        what = '反馈';
      } else {
        await c.em.update(ItemRequest, { itemId: c.item.id, kind: 'closure', status: 'pending' }, decided('returned', actor, c.now, reason));
        what = '办结申请';
      }
      const e = await c.transition(
        'in_progress',
        // F2: the returned report or closure no longer stands — the node is unanswered again (A1).
        { returnCount: c.item.returnCount + 1, answeredAt: null },
        {
          type: 'returned',
          summary: `退回${what}：${reason}`,
          data: { returnNo: c.item.returnCount + 1 },
        },
      );
      await c.send(e, 'returned_notice', await c.unitTargets([c.leadUnit.unitId]), { reason });
    });
  }

  /**
   * 退回 as people say it (chat and the API's return): an item awaiting 审定 is sent back by its leader (D3, below);
   * anything else is the owner's F2 return. The state is peeked before the command locks the item; if it changes in
   * between, the command's own rule check refuses, in words.
   */
  async sendBack(number: string, actor: Actor, reason: string): Promise<{ by: 'leader' | 'owner' }> {
    const n = this.runner.normalizeNumber(number);
    const state = (await this.db.getRepository(Item).findOne({ where: { number: n }, select: { id: true, state: true } }))?.state;
    if (state === 'pending_approval') {
      await this.leaderReturn(n, actor, reason);
      return { by: 'leader' };
    }
    await this.returnWork(n, actor, reason);
    return { by: 'owner' };
  }

  /**
   * D3, 001 §17–18 (issue 14): the leader will not approve what the owner rated and sends the item back, with a reason.
   * Where it goes: 001 §18 asks that the item be 落实到位 before it is 审定; what the leader refuses is not, so — as §17
   * does for 不合格 — it goes back to the lead unit to continue (in_progress), not to the owner's desk: the owner has
   * nothing to redo until the unit files again, and then rates again (the rating no longer stands). As F2 does, the
   * closure no longer answers the node (answered_at cleared, A1) and the return is counted. The unit is told what to
   * do; the owner is told too, because the rating was the owner's.
   */
  leaderReturn(number: string, actor: Actor, reason: string) {
    return this.runner.run(number, actor, 'leader_return', async (c) => {
      if (!reason.trim()) throw invalid('RETURN.REASON_REQUIRED', '退回须写明理由。', { field: 'reason' });
      checkLength('returnReason', reason, 'reason');
      const e = await c.transition(
        'in_progress',
        { returnCount: c.item.returnCount + 1, answeredAt: null, rating: null },
        {
          type: 'returned',
          summary: `分管领导退回：${reason}`,
          data: { returnNo: c.item.returnCount + 1, by: 'leader' },
        },
      );
      await c.send(e, 'returned_notice', await c.unitTargets([c.leadUnit.unitId]), { reason, by: 'leader' });
      await c.send(e, 'leader_returned_notice', await c.ownerOffice(), { reason });
    });
  }

  /**
   * Issue 14: the lead unit withdraws its own pending request — the extension if one is pending, else the closure
   * request under way (back to 办理中; the closure no longer answers the node, A1, unless a report answered it before).
   * The owner office is told; a corrected request may then be filed.
   */
  withdraw(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'withdraw', async (c) => {
      const ext = await c.em.findOne(ItemRequest, { where: { itemId: c.item.id, kind: 'extension', status: 'pending' }, order: { id: 'DESC' } });
      const closure =
        !ext && c.item.state === 'closure_requested'
          ? await c.em.findOne(ItemRequest, { where: { itemId: c.item.id, kind: 'closure', status: 'pending' }, order: { id: 'DESC' } })
          : null;
      const req = ext ?? closure;
      if (!req) {
        throw conflict(
          'REQUEST.NOTHING_TO_WITHDRAW',
          c.item.state === 'under_review'
            ? `事项 ${c.item.number} 的办结申请立项主体已开始审核，不能撤回；如需补充，请联系立项主体。`
            : `事项 ${c.item.number} 没有待审批的延期申请或办结申请，无需撤回。`,
        );
      }
      await c.em.update(ItemRequest, { id: req.id }, { status: 'withdrawn', decidedById: actor.personId, decidedAt: c.now });
      const what = req.kind === 'extension' ? '延期申请' : '办结申请';
      const event = { type: 'request_withdrawn', summary: `主办单位撤回${what}`, data: { requestId: req.id, kind: req.kind } };
      const answeredByThis = c.item.answeredAt !== null && c.item.answeredAt.getTime() === req.requestedAt.getTime();
      const e = req.kind === 'closure' ? await c.transition('in_progress', answeredByThis ? { answeredAt: null } : {}, event) : await c.record(event);
      await c.send(e, 'request_withdrawn_notice', await c.ownerOffice(), { kind: req.kind });
      return { kind: req.kind };
    });
  }

  /** E1: at least N days before the deadline, with a reason, a plan and a new date. */
  requestExtension(number: string, actor: Actor, input: { newDeadline: Date; reason: string; plan: string }) {
    checkLength('extensionReason', input.reason, 'reason');
    checkLength('extensionPlan', input.plan, 'plan');
    return this.runner.run(number, actor, 'request_extension', async (c) => {
      const policy = await this.settings.deadlinePolicy(c.em);
      const calendar = await this.calendar.calendar(c.em);
      const problem = checkExtensionRequest(input, { now: c.now, deadlineAt: c.item.deadlineAt, calendar, policy, number: c.item.number });
      if (problem)
        throw problem.code === 'EXTENSION.TOO_LATE'
          ? conflict(problem.code, problem.message)
          : invalid(problem.code, problem.message, { field: problem.field });
      if (await c.em.existsBy(ItemRequest, { itemId: c.item.id, kind: 'extension', status: 'pending' })) {
        throw conflict('EXTENSION.PENDING', `事项 ${c.item.number} 已有一份延期申请待立项主体审批。如需修改，请先撤回：/撤回 ${c.item.number}，再重新申请。`);
      }
      const req = await c.em.save(ItemRequest, {
        itemId: c.item.id,
        kind: 'extension' as const,
        status: 'pending' as const,
        requestedById: actor.personId!,
        requestedAt: c.now,
        text: input.reason.trim(),
        plan: input.plan.trim(),
        proposedDeadline: input.newDeadline,
        ...undecided,
      });
      // Blame follows custody (issue 14, A1): a request made in time (E1 above) answers the node until the owner decides —
      // the time the owner takes is the owner's, not the unit's (overdue.rules.ts).
      const e = await c.transition(c.item.state, answered(c), {
        type: 'extension_requested',
        summary: `申请延期至 ${formatShanghai(input.newDeadline)}：${excerpt(input.reason)}`,
        data: { requestId: req.id },
      });
      await c.send(e, 'extension_card', await c.ownerOffice(), { requestId: req.id });
      return { requestId: req.id };
    });
  }

  /** E1 decision by the owner; E2: an approved extension beyond the node moves a daily item to 持续跟进, a key task or reform to 持续推进. */
  decideExtension(number: string, actor: Actor, requestId: number | null, approve: boolean, note = '') {
    checkLength('decisionNote', note, 'note');
    return this.runner.run(number, actor, 'decide_extension', async (c) => {
      // In chat (issue 14) the owner names the item, not the request: null is the item's one pending request.
      const req =
        requestId === null
          ? await c.em.findOne(ItemRequest, { where: { itemId: c.item.id, kind: 'extension', status: 'pending' }, order: { id: 'DESC' } })
          : await c.em.findOneBy(ItemRequest, { id: requestId, itemId: c.item.id, kind: 'extension' });
      if (!req || req.status !== 'pending')
        throw conflict(
          'EXTENSION.NOT_PENDING',
          requestId === null
            ? `事项 ${c.item.number} 没有待审批的延期申请（可能已审批或已被承办单位撤回），无需再审批。可发送 /查询 ${c.item.number} 查看当前情况。`
            : `事项 ${c.item.number} 没有编号为 ${requestId} 的待审批延期申请。`,
        );
      requestId = req.id;
      if (!approve && !note.trim()) throw invalid('EXTENSION.NOTE_REQUIRED', '不同意延期须写明意见，说明不同意的理由和下一步要求。', { field: 'note' });
      await c.em.update(ItemRequest, { id: req.id }, decided(approve ? 'approved' : 'refused', actor, c.now, note));
      const notice = await c.unitTargets([c.leadUnit.unitId]);
      if (!approve) {
        // Issue 14: the unit's time runs again from the refusal. Its request had stopped the clock (answered_at is the
        // request's instant, not a report's); a refusal with less than a working day left gives it to the end of the
        // next working day (custody.rules.ts), so the owner's time deciding never becomes the unit's lateness.
        const answeredByRequest = c.item.answeredAt?.getTime() === req.requestedAt.getTime();
        const policy = await this.settings.deadlinePolicy(c.em);
        const deadlineAt = answeredByRequest
          ? deadlineAfterRefusal(c.item.deadlineAt, c.now, await this.calendar.calendar(c.em), policy.dayEnd)
          : c.item.deadlineAt;
        const moved = deadlineAt.getTime() !== c.item.deadlineAt.getTime();
        const e = await c.transition(c.item.state, answeredByRequest ? { answeredAt: null, ...(moved ? { deadlineAt } : {}) } : {}, {
          type: 'extension_refused',
          summary: `不同意延期：${note}${moved ? `。审批时原期限已不足一个工作日，办理期限调整为 ${formatShanghai(deadlineAt)}` : ''}`,
          data: {
            requestId,
            ...(answeredByRequest ? { answerCleared: true } : {}),
            ...(moved ? { from: c.item.deadlineAt.toISOString(), deadline: deadlineAt.toISOString() } : {}),
          },
        });
        await c.send(e, 'extension_decided', notice, { approved: false, note, ...(moved ? { deadline: deadlineAt.toISOString() } : {}) });
        return { newDeadline: null };
      }
      const policy = await this.settings.deadlinePolicy(c.em);
      const newDeadline = req.proposedDeadline!;
      // E2 by board (ongoing.rules.ts): a daily item moves to 持续跟进; a key task or reform stays on its board, marked
      // 持续推进 on this event (data.track), once — a later extension of a 持续推进 item only changes the date.
      let track = extensionTrack(c.item, newDeadline, policy);
      if (track === 'continuing') {
        const earlier = await c.em.find(ItemEvent, { where: { itemId: c.item.id, type: 'extension_approved' }, select: { data: true } });
        if (earlier.some((ev) => ev.data?.track === 'continuing')) track = null;
      }
      const e = await c.transition(
        c.item.state,
        // E1: a new node begins; it has no answer yet (A1). E2: a daily item may move to 持续跟进.
        { deadlineAt: newDeadline, answeredAt: null, ...(track === 'ongoing' ? { board: 'ongoing' as const } : {}) },
        {
          type: 'extension_approved',
          summary: `同意延期：期限由 ${formatShanghai(c.item.deadlineAt)} 改为 ${formatShanghai(newDeadline)}。${extensionTrackText(track)}`,
          data: {
            requestId,
            from: c.item.deadlineAt.toISOString(),
            to: newDeadline.toISOString(),
            board: track === 'ongoing' ? 'ongoing' : c.item.board,
            ...(track ? { track } : {}),
          },
        },
      );
      await c.send(e, 'extension_decided', notice, { approved: true, ...(track ? { track } : {}) });
      return { newDeadline };
    });
  }

  /** D1: the lead unit asks to close; with a 服务对象, their agreement is recorded — a refusal counts as a failed attempt. */
  requestClosure(number: string, actor: Actor, input: { summary: string; servedPartyAgreed?: boolean }) {
    checkLength('closureSummary', input.summary, 'summary');
    return this.runner.run(number, actor, 'request_closure', async (c) => {
      if (!input.summary.trim())
        throw invalid('CLOSURE.SUMMARY_REQUIRED', `申请办结须写明办理情况，例如：/办结 ${c.item.number} 已全部完成，附验收记录。`, { field: 'summary' });
      const hasServed = !!c.item.servedParty;
      if (hasServed && input.servedPartyAgreed === undefined) {
        throw invalid('CLOSURE.AGREEMENT_REQUIRED', `本事项有服务对象「${c.item.servedParty}」，申请办结时须说明服务对象是否同意办结。`, {
          field: 'servedPartyAgreed',
        });
      }
      const agreed = hasServed ? input.servedPartyAgreed! : null;
      const req = await c.em.save(ItemRequest, {
        itemId: c.item.id,
        kind: 'closure' as const,
        status: agreed === false ? ('failed_agreement' as const) : ('pending' as const),
        requestedById: actor.personId!,
        requestedAt: c.now,
        text: input.summary.trim(),
        plan: null,
        proposedDeadline: null,
        ...undecided,
        servedPartyAgreed: agreed,
      });
      if (agreed === false) {
        const attempts = c.item.failedClosureAttempts + 1;
        const canVerify = attempts >= CLOSURE_ATTEMPTS_BEFORE_VERIFICATION;
        const e = await c.transition(
          c.item.state,
          { failedClosureAttempts: attempts },
          {
            type: 'closure_not_agreed',
            summary: `服务对象不同意办结（第 ${attempts} 次）${canVerify ? '，立项主体可组织专家论证或公众评价' : ''}`,
            data: { requestId: req.id, attempts },
          },
        );
        await c.send(e, 'closure_not_agreed', await c.ownerOffice(), { attempts, canVerify });
        return { requestId: req.id, status: 'failed_agreement', failedAttempts: attempts, verificationAllowed: canVerify };
      }
      const e = await c.transition('closure_requested', answered(c), {
        type: 'closure_requested',
        summary: `申请办结：${excerpt(input.summary)}`,
        data: { requestId: req.id },
      });
      await c.send(e, 'review_card', await c.ownerOffice(), { requestId: req.id });
      return { requestId: req.id, status: 'pending' };
    });
  }

  startReview(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'start_review', (c) => c.transition('under_review', {}, { type: 'review_started', summary: '开始审核办结情况' }));
  }

  /** D1: after 3 failed attempts, 专家论证 or 公众评价 stands in for the 服务对象's agreement. */
  verify(number: string, actor: Actor, input: { method: 'expert_review' | 'public_evaluation'; passed: boolean; note: string }) {
    checkLength('verificationNote', input.note, 'note');
    return this.runner.run(number, actor, 'verify', async (c) => {
      if (c.item.failedClosureAttempts < CLOSURE_ATTEMPTS_BEFORE_VERIFICATION) {
        throw conflict(
          'CLOSURE.VERIFICATION_TOO_EARLY',
          `服务对象不同意办结满 ${CLOSURE_ATTEMPTS_BEFORE_VERIFICATION} 次后才可组织核验，本事项目前 ${c.item.failedClosureAttempts} 次。`,
        );
      }
      const label = input.method === 'expert_review' ? '专家论证' : '公众评价';
      await c.em.save(ItemRequest, {
        itemId: c.item.id,
        kind: 'verification' as const,
        status: input.passed ? ('passed' as const) : ('failed' as const),
        requestedById: actor.personId!,
        requestedAt: c.now,
        text: input.note.trim(),
        plan: null,
        proposedDeadline: null,
        servedPartyAgreed: null,
        method: input.method,
        decidedById: actor.personId,
        decidedAt: c.now,
        decisionNote: null,
      });
      await c.transition(
        input.passed ? 'under_review' : 'in_progress',
        {},
        {
          type: 'verified',
          summary: `${label}：${input.passed ? '通过，进入审核' : '未通过'}${input.note ? `（${excerpt(input.note)}）` : ''}`,
          data: { method: input.method, passed: input.passed },
        },
      );
    });
  }

  /** D2: the owner rates; 不合格 returns the item to the unit, otherwise the leader gets the approval card (D3). */
  rate(number: string, actor: Actor, rating: Rating, comment = '') {
    checkLength('ratingComment', comment, 'comment');
    return this.runner.run(number, actor, 'rate', async (c) => {
      const fail = rating === 'fail';
      await c.em.update(ItemRequest, { itemId: c.item.id, kind: 'closure', status: 'pending' }, decided(fail ? 'returned' : 'approved', actor, c.now, comment));
      const e = await c.transition(
        fail ? 'in_progress' : 'pending_approval',
        { rating: fail ? null : rating, ...(fail ? { answeredAt: null } : {}) },
        {
          type: 'rated',
          summary: `评定：${RATINGS[rating]}${comment ? `（${excerpt(comment)}）` : ''}${fail ? '，退回承办单位重办' : '，报分管领导审定'}`,
          data: { rating },
        },
      );
      if (fail) await c.send(e, 'returned_notice', await c.unitTargets([c.leadUnit.unitId]), { reason: comment, rating });
      else await c.send(e, 'approval_card', c.person(c.item.leaderId), { rating });
    });
  }

  /** D3: the leader's sign-off closes the item and retires its number; C4: the last child closes its parent. */
  signOff(number: string, actor: Actor, note = '') {
    return this.runner.run(number, actor, 'sign_off', async (c) => {
      const e = await c.transition(
        'closed',
        { closedAt: c.now, numberRetiredAt: c.now },
        {
          type: 'signed_off',
          summary: `审定办结，销号${note ? `（${excerpt(note)}）` : ''}`,
        },
      );
      await c.send(e, 'closed_notice', await c.unitTargets(c.allUnitIds()), {});
      if (c.item.parentId !== null) await this.closeParentIfDone(c);
    });
  }

  /**
   * R5, 000 §8.3, 001 §13: a 催办 by hand — by the 督查室 or by the item's owner (立项主体兼为督办主体) — on the timeline
   * with its record in full (电话询问应做好详细电话记录备查). A 函询 or a 限期整改 is also sent to the lead unit's groups.
   *
   * 限期整改 sets a new time limit, and the item's deadline becomes that limit: reminders are planned from it (the
   * "5 h before", then the overdue cadence, escalation and R5 counted from the new limit, as after an approved extension —
   * the scheduler reads the order as the start of a new node, so a report sent before it does not answer it), and
   * "overdue" is measured against it. The lateness before the order stays on record: the old deadline is kept in the
   * event (and the timeline line), S5 is counted against the deadlines set at registration and by extensions
   * (score-facts.rules.ts does not read this event), and a clue already opened stays open.
   */
  urge(number: string, actor: Actor, input: { method: UrgeMethod; record: string; contact?: string; newLimit?: string }) {
    checkLength('urgingRecord', input.record, 'record');
    return this.runner.run(number, actor, 'urge', async (c) => {
      const policy = await this.settings.deadlinePolicy(c.em);
      const calendar = await this.calendar.calendar(c.em);
      const checked = checkUrging(input, { now: c.now, calendar, dayEnd: policy.dayEnd });
      if ('code' in checked) throw invalid(checked.code, checked.message, { field: checked.field });
      const { method } = input;
      const contact = input.contact?.trim() || null;
      const record = input.record.trim();
      const by = c.relation.isSupervisor ? '督查室' : '立项主体';
      const previous = c.item.deadlineAt;
      const event = {
        type: 'urged',
        summary: urgingSummary({ method, record, contact, limit: checked.limit, previousDeadline: previous }),
        data: {
          method,
          methodLabel: URGE_METHODS[method],
          record,
          contact,
          by,
          ...(checked.limit ? { newLimit: checked.limit.toISOString(), previousDeadline: previous.toISOString() } : {}),
        },
      };
      const e = checked.limit ? await c.transition(c.item.state, { deadlineAt: checked.limit }, event) : await c.record(event);
      if (method === 'letter' || method === 'rectify') {
        await c.send(e, 'urging_notice', await c.unitTargets([c.leadUnit.unitId]), { method, record, by, limit: checked.limit?.toISOString() ?? null });
      }
      return { eventId: e.id, method, methodLabel: URGE_METHODS[method], newLimit: toShanghaiIso(checked.limit) };
    });
  }

  /**
   * R5, 001 §14, 003 二(三): the 督查室 sets 重点督办 (按…负责人要求: whose request is recorded) or clears it, with a reason,
   * on the timeline. Entering tells the lead unit in its groups. S6 follows the entry once per item (score-facts.rules.ts);
   * clearing refunds nothing, and R5 does not set a flag the office cleared (reminder-scheduler markKeySupervision).
   */
  setKeySupervision(number: string, actor: Actor, input: { on: boolean; reason: string; requestedBy?: string }) {
    checkLength('keySupervisionReason', input.reason, 'reason');
    return this.runner.run(number, actor, 'key_supervision', async (c) => {
      const problem = checkKeySupervisionChange({ on: input.on, current: c.item.keySupervision, reason: input.reason, number: c.item.number });
      if (problem)
        throw problem.kind === 'conflict' ? conflict(problem.code, problem.message) : invalid(problem.code, problem.message, { field: problem.field });
      const reason = input.reason.trim();
      const requestedBy = input.on ? input.requestedBy?.trim() || null : null;
      const e = await c.transition(
        c.item.state,
        { keySupervision: input.on },
        {
          type: input.on ? 'key_supervision' : 'key_supervision_cleared',
          summary: keySupervisionSummary({ on: input.on, origin: 'office', reason, requestedBy }),
          data: { origin: 'office', reason, requestedBy },
        },
      );
      if (input.on) await c.send(e, 'key_supervision_notice', await c.unitTargets([c.leadUnit.unitId]), { origin: 'office', reason, requestedBy });
      return { eventId: e.id, keySupervision: input.on };
    });
  }

  archive(number: string, actor: Actor) {
    return this.runner.run(number, actor, 'archive', (c) => c.transition('archived', { archivedAt: c.now }, { type: 'archived', summary: '归档（一事一卷）' }));
  }

  /**
   * C4: the parent closes when its last child closes. Two children signed off at the same moment must not both read
   * the other as still open: each takes the PARENT's row lock (always child → parent, the order every path uses, so no
   * deadlock) and only then reads the siblings — in a READ COMMITTED transaction, so the second sees the first's commit.
   */
  private async closeParentIfDone(c: CommandContext): Promise<void> {
    await this.closeParent(c.em, c.item.parentId!, c.now);
  }

  /** Under the parent's lock: close it if it is still open and every child is closed or archived. Idempotent. */
  private async closeParent(em: EntityManager, parentId: number, now: Date): Promise<boolean> {
    const qb = em.createQueryBuilder(Item, 'i').where('i.id = :id', { id: parentId });
    if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
    const parent = await qb.getOne();
    if (!parent || !OPEN_STATES.includes(parent.state)) return false;
    const siblings = await em.findBy(Item, { parentId });
    if (siblings.length === 0 || siblings.some((s) => s.state !== 'closed' && s.state !== 'archived')) return false;
    await this.runner.runIn(em, parent.number, SYSTEM_ACTOR, 'close_by_children', (p) =>
      p.transition(
        'closed',
        { closedAt: now, numberRetiredAt: now },
        { type: 'closed_by_children', summary: `${siblings.length} 个子事项全部办结，母事项办结` },
      ),
    );
    return true;
  }

  /**
   * C4 repair: parents still open although all their children are closed (left by the race before issue 11, or by any
   * future path that closes a child without going through signOff). Safe to run at any time, on any instance.
   */
  async closeFinishedParents(): Promise<number> {
    const rows: { id: number }[] = await this.db
      .createQueryBuilder(Item, 'p')
      .select('p.id', 'id')
      .where('p.decomposed = :yes', { yes: 1 })
      .andWhere('p.state IN (:...open)', { open: OPEN_STATES })
      .andWhere('NOT EXISTS (SELECT 1 FROM item c WHERE c.parent_id = p.id AND c.state NOT IN (:...done))', { done: ['closed', 'archived'] })
      .getRawMany();
    let closed = 0;
    for (const { id } of rows) {
      if (await inTransaction(this.db, (em) => this.closeParent(em, Number(id), this.clock.now()), { isolation: 'READ COMMITTED' })) closed++;
    }
    return closed;
  }
}

const OPEN_STATES: readonly ItemState[] = ACTION_RULES.close_by_children.from;
const undecided = { servedPartyAgreed: null, method: null, decidedById: null, decidedAt: null, decisionNote: null };
const decided = (status: ItemRequest['status'], actor: Actor, at: Date, note: string) => ({
  status,
  decidedById: actor.personId,
  decidedAt: at,
  decisionNote: note || null,
});
const excerpt = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A1: the answer of the current node, set once — the first report or closure request is when the unit answered. */
const answered = (c: CommandContext): Partial<Item> => (c.item.answeredAt ? {} : { answeredAt: c.now });

async function unitNames(c: CommandContext): Promise<string> {
  const units = await c.em.findBy(Unit, { id: In(c.allUnitIds()) });
  const name = (id: number) => units.find((u) => u.id === id)?.name ?? `#${id}`;
  return c.units.map((u) => `${name(u.unitId)}（${u.role === 'lead' ? '主办' : '协办'}）`).join('、');
}
