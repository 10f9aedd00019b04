import { withoutRuleId } from '../shared/rule-id-text';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In, type QueryRunner } from 'typeorm';
import { Actor, hasRole, SYSTEM_ACTOR } from '../shared/actor';
import { OutboxWriter } from '../outbox/outbox.writer';
import { DecisionView, MessageKinds } from '../outbox/message-kinds';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { formatItemNumber } from '../cases/item-number.rules';
import type { Role } from '../shared/vocabulary';
import { Clock } from '../shared/clock';
import { DomainError, notFound } from '../shared/errors';
import { formatShanghai, shanghaiDate } from '../shared/shanghai-time';
import { ScoringService } from '../scoring/scoring.service';
import { s11Candidates } from '../scoring/score.rules';
import { inTransaction } from '../database/transaction';
import { RoleGrant } from '../org/role-grant.entity';
import { Unit } from '../org/unit.entity';
import { availableActions, decide, ProcedureInputs, triggerClue, type ClueFact } from './accountability.rules';
import { isClueLate, OVERDUE_CLUE_AFTER_MS, unitStanding } from '../cases/overdue.rules';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingTime } from '../calendar/working-time';
import { ReminderPolicyService } from '../reminders/reminder-policy.service';
import { DEFAULT_POLICIES, isAddOn, ReminderPolicy } from '../reminders/reminder.policy';
import { holdForQuiet } from '../reminders/schedule.rules';
import { OPEN_STATES } from '../shared/vocabulary';
import {
  PERSON_MEASURES,
  PROCEDURE_ACTION_LABELS,
  PROCEDURE_STATE_LABELS,
  UNIT_MEASURES,
  type ClueDraft,
  type ProcedureAction,
  type ProcedureState,
} from './accountability.types';
import { Clue, ClueData, ClueEvent, DocumentFile } from './clue.entity';
import { QuietHold } from '../reminders/quiet-hold';
import { EventDispatcher } from '../events/event-dispatcher';
import type { RemindersDispatching } from '../reminders/reminder-scheduler.service';
import { CLUE_PREFIX, ClueOpener, recordClueEvent, tellSupervision } from './clue-opener';
export { CLUE_PREFIX } from './clue-opener';
import { createHash } from 'node:crypto';

/**
 * Issue 7 §2, 责任追究: clues open by themselves from the A1 triggers (overdue more than 2 days, 不合格, obstruction
 * recorded by the 督查室, the S11 ranking) or by hand, and run the A2 procedure step by step, each by the right role,
 * on the clue's own timeline, with the leader's 审核 coming as a one-to-one card.
 */
@Injectable()
export class AccountabilityService implements OnModuleInit {
  private readonly log = new Logger('accountability');
  /** Up to where the overdue scan has looked (deadline + 2 days); the first scan looks back 30 days. */
  private scannedTo: Date | null = null;
  private rankingScannedOn: string | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly outbox: OutboxWriter,
    private readonly kinds: MessageKinds,
    private readonly scoring: ScoringService,
    private readonly clues: ClueOpener,
    private readonly calendar: CalendarService,
    private readonly policies: ReminderPolicyService,
    private readonly quiet: QuietHold,
    private readonly events: EventDispatcher,
  ) {}

  onModuleInit(): void {
    // Issue 17: a scan inside a transaction moves the window once that transaction commits (scanOverdue).
    this.db.subscribers.push({
      afterTransactionCommit: (e) => {
        const to = this.pendingWindow.get(e.queryRunner);
        if (to === undefined) return;
        this.pendingWindow.delete(e.queryRunner);
        this.moveWindow(to);
      },
      afterTransactionRollback: (e) => void this.pendingWindow.delete(e.queryRunner),
    });
    // This feature's messages (issue 12): the leader's 审核 card (A2) and the notices about a clue to the 督查室.
    this.kinds.decision(CLUE_PREFIX, (subject, viewer) => this.card(subject, viewer));
    this.kinds.card('clue_audit_card', 'decision');
    this.kinds.text('clue_notice', (msg) => Promise.resolve({ title: '问题线索', text: String(msg.payload.text ?? '') }), { coalesce: true });
    // Issue 14 (R10): before the reminders claim what is due, the clues of this moment open, so their notices leave in
    // the same message as the moment's urges whichever of the two jobs runs first (ClueOpener.tellThroughReminders).
    this.events.on('reminders.dispatching', { order: 10, name: 'accountability.overdue-scan' }, (em, e: RemindersDispatching) =>
      this.scanOverdue(e.now, em).then(() => undefined),
    );
  }

  /**
   * A2: the leader's 审核 card — the clue, the unit, the opinion with its measures (A3), and 同意 / 退回 for a leader
   * while the opinion waits for 审核; once decided, the same card shows the outcome without buttons.
   */
  async card(subject: string, viewer: Actor | null): Promise<DecisionView | null> {
    const clue = await this.db.getRepository(Clue).findOneBy({ number: normalizeClueNumber(subject) });
    if (!clue) return null;
    const [v] = await this.view([clue]);
    const steps = viewer ? availableActions(clue.state, rolesOf(viewer)) : [];
    const opinion = (clue.data.opinion ?? [])
      .map((o) => `${o.name}：${o.measures.map((m) => (o.target === 'unit' ? UNIT_MEASURES : PERSON_MEASURES)[m as never] ?? m).join('、')}`)
      .join('；');
    const verification = clue.data.verification
      ? 'skipped' in clue.data.verification
        ? `未经核查（${clue.data.verification.skipped}）`
        : `${clue.data.verification.title}（${clue.data.verification.ref}）`
      : '';
    return {
      kind: 'decision',
      number: clue.number,
      title: '问责处理意见审核',
      state: clue.state,
      stateLabel: v.stateLabel,
      deadline: '',
      timeLeft: '',
      summary: clue.summary,
      facts: [
        { label: '单位', value: v.unit },
        ...(v.item ? [{ label: '事项', value: v.item }] : []),
        ...(verification ? [{ label: '核查', value: verification }] : []),
        ...(opinion ? [{ label: '处理意见', value: opinion }] : []),
      ],
      buttons: [
        ...(steps.includes('audit_approve') ? [{ id: 'clue:approve', label: '同意', style: 'primary' as const }] : []),
        ...(steps.includes('audit_reject')
          ? [{ id: 'clue:reject', label: '退回', style: 'danger' as const, input: { key: 'reason', placeholder: '退回理由' } }]
          : []),
      ],
    };
  }

  /** A1: store a clue unless its trigger already opened one (dedupe key); tell the 督查室. Inside the caller's transaction. */
  open(em: EntityManager, draft: ClueDraft, actor: Actor, at: Date): Promise<Clue | null> {
    return this.clues.open(em, draft, actor, at);
  }

  /** A1 from a fact (the pure rule decides); in its own transaction when the caller has none. */
  async openFrom(fact: ClueFact, actor: Actor = SYSTEM_ACTOR, em?: EntityManager): Promise<Clue | null> {
    const draft = triggerClue(fact);
    if (!draft) return null;
    const at = this.clock.now();
    return em ? this.open(em, draft, actor, at) : inTransaction(this.db, (tx) => this.open(tx, draft, actor, at));
  }

  /**
   * A1 超过规定落实时限2天以上 (无正当理由): items whose unit has not answered (report or closure request) within 2
   * working days of the deadline, or answered 2 working days late or more — one meaning of overdue, unitStanding().
   * An item never 交办 is not the unit's; an approved extension moved the deadline and began a new node (the accepted
   * reason). Clues do not open on rest days or in quiet hours (the default reminder policy's): the scan holds them to
   * the next working morning. Each scan looks only at deadlines that crossed the line since the last one.
   */
  /** How many items the last overdue scan read (a count for tests, issue 17). */
  lastScan = { items: 0 };
  /** Scans inside a transaction not yet ended: where the window moves to once it commits. */
  private readonly pendingWindow = new WeakMap<QueryRunner, Date>();

  private moveWindow(to: Date): void {
    this.scannedTo = to;
  }

  async scanOverdue(now: Date, em?: EntityManager): Promise<number> {
    const db = em ?? this.db.manager;
    const [cal, policies] = await Promise.all([this.calendar.calendar(), this.policies.current()]);
    // The same hold as reminders (R10 quiet hours and quiet days of the default policy): nothing opens at night or on a rest day.
    const policy = (policies.find((p) => p.id === 'default' && !isAddOn(p)) ?? DEFAULT_POLICIES[0]) as ReminderPolicy;
    if (holdForQuiet(now, policy, cal).held !== null) return 0;
    // A deadline at or before `line` is 2 working days late or more at `now`.
    const line = addWorkingTime(now, -OVERDUE_CLUE_AFTER_MS, cal);
    const from = this.scannedTo ?? new Date(line.getTime() - 30 * 86_400_000);
    let opened = 0;
    this.lastScan = { items: 0 };
    // Issue 17: read in deadline order from where the last committed scan stopped, a page at a time after the last row
    // read (deadline, id) — the range of ix_item_deadline, never a walk of the register in id order.
    let after = { deadline: from, id: 2 ** 31 - 1 };
    for (;;) {
      const items = await db
        .getRepository(Item)
        .createQueryBuilder('i')
        .where('i.state IN (:...open) AND i.assigned_at IS NOT NULL AND i.deadline_at <= :line', { open: OPEN_STATES, line })
        .andWhere('(i.deadline_at > :after OR (i.deadline_at = :after AND i.id > :afterId))', { after: after.deadline, afterId: after.id })
        .orderBy('i.deadline_at', 'ASC')
        .addOrderBy('i.id', 'ASC')
        .take(500)
        .getMany();
      if (items.length === 0) break;
      this.lastScan.items += items.length;
      const last = items[items.length - 1];
      after = { deadline: last.deadlineAt, id: last.id };
      const leads = await db.getRepository(ItemUnit).findBy({ itemId: In(items.map((i) => i.id)), role: 'lead' });
      const units = await db.getRepository(Unit).findBy({ id: In([...new Set(leads.map((l) => l.unitId))]) });
      for (const item of items) {
        const lead = leads.find((l) => l.itemId === item.id);
        const unit = units.find((u) => u.id === lead?.unitId);
        if (!lead || !unit || !isClueLate(unitStanding(item, now, cal))) continue;
        const clue = await this.openFrom(
          {
            kind: 'overdue',
            unitId: unit.id,
            unitName: unit.name,
            itemId: item.id,
            itemNumber: item.number,
            deadlineAt: item.deadlineAt,
            now,
            doneAt: item.answeredAt,
            acceptedReason: false,
            calendar: cal,
          },
          SYSTEM_ACTOR,
          em,
        );
        if (clue) opened++;
      }
    }
    // Inside a caller's transaction (the reminders' dispatch, issue 14) the window moves on only once that transaction
    // has committed (issue 17: it never did, so every tick read 30 days of deadlines); should it roll back, the next
    // scan looks at these deadlines again (opening a clue twice is a no-op).
    const runner = em?.queryRunner;
    if (runner?.isTransactionActive) this.pendingWindow.set(runner, line);
    else this.moveWindow(line);
    return opened;
  }

  /** S11 → A1: each unit below base and in the bottom two in `year` and the year before opens one clue. */
  async openRankingClues(year: number, actor: Actor = SYSTEM_ACTOR): Promise<{ candidates: number; opened: string[] }> {
    const [before, now] = await Promise.all([this.scoring.ranking(year - 1), this.scoring.ranking(year)]);
    const candidates = s11Candidates({ [year - 1]: before.units, [year]: now.units }, now.base);
    const opened: string[] = [];
    for (const c of candidates) {
      const unitName = now.units.find((u) => u.unitId === c.unitId)?.unitName ?? '';
      const clue = await this.openFrom({ kind: 'ranking', unitId: c.unitId, unitName, years: c.years, explanation: c.explanation }, actor);
      if (clue) opened.push(clue.number);
    }
    return { candidates: candidates.length, opened };
  }

  /** S11 at year end, by itself: in January each tick's first check of the day looks at the year just closed. */
  async scanRanking(now: Date): Promise<number> {
    const day = shanghaiDate(now);
    if (day.slice(5, 7) !== '01' || this.rankingScannedOn === day) return 0;
    this.rankingScannedOn = day;
    return (await this.openRankingClues(Number(day.slice(0, 4)) - 1)).opened.length;
  }

  /** A2: one step of the procedure, by the right role, recorded on the clue's timeline. */
  async act<A extends ProcedureAction>(
    number: string,
    action: A,
    input: ProcedureInputs[A] & { documents?: ClueData['documents'] },
    actor: Actor,
  ): Promise<Clue> {
    return inTransaction(this.db, async (em) => {
      const qb = em.createQueryBuilder(Clue, 'c').where('c.number = :number', { number: normalizeClueNumber(number) });
      if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
      const clue = await qb.getOne();
      if (!clue) throw notFound('CLUE.NOT_FOUND', `没有编号为「${number}」的问题线索（编号形如 ${CLUE_PREFIX}2026-0001）。`);
      const decision = decide(clue.state, action, rolesOf(actor), input);
      if (!decision.ok) throw new DomainError(decision.code, decision.message, decision.kind);
      await this.checkDocumentRefs(em, clue, input as Record<string, unknown>);
      const now = this.clock.now();
      const from = clue.state;
      const data = { ...clue.data, ...gathered(action, input as Record<string, unknown>, clue.data) };
      const r = await em.update(Clue, { id: clue.id, version: clue.version }, { state: decision.next, data, version: clue.version + 1 });
      if ((r.affected ?? 0) !== 1) throw new DomainError('CLUE.CONCURRENT_UPDATE', `线索 ${clue.number} 刚被他人更新，请刷新后重试。`, 'conflict');
      Object.assign(clue, { state: decision.next, data, version: clue.version + 1 });
      await recordClueEvent(em, clue, action, from, decision.next, actor, now, decision.timelineSummary, input as Record<string, unknown>);
      await this.notify(em, clue, action, now);
      return clue;
    });
  }

  /** A2: a document for the clue's file (a 核查报告, an opinion, a result); steps cite it as `doc:<id>`. */
  async attach(number: string, file: { name: string; mime: string; content: Buffer }, actor: Actor) {
    if (!rolesOf(actor).includes('supervisor') && !hasRole(actor, 'leader'))
      throw new DomainError('CLUE.FORBIDDEN', '程序文书由督查室或领导上传。', 'forbidden');
    const name = file.name.normalize('NFC').trim();
    if (!name || name.length > 200) throw new DomainError('CLUE.BAD_FILE_NAME', '请在 name 参数中给出文件名（200字以内），例如 核查报告.pdf。', 'invalid');
    if (file.content.length === 0) throw new DomainError('CLUE.EMPTY_FILE', '上传的文件是空的。', 'invalid');
    return inTransaction(this.db, async (em) => {
      const clue = await em.findOneBy(Clue, { number: normalizeClueNumber(number) });
      if (!clue) throw notFound('CLUE.NOT_FOUND', `没有编号为「${number}」的问题线索。`);
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      // Principle 6: uploaded at the service's time (the column's database default would be the database server's).
      const now = this.clock.now();
      const saved = await em.save(DocumentFile, {
        ownerKind: 'clue' as const,
        ownerId: clue.id,
        name,
        mime: file.mime || 'application/octet-stream',
        size: file.content.length,
        sha256,
        content: file.content,
        uploadedById: actor.personId,
        createdAt: now,
      });
      await recordClueEvent(
        em,
        clue,
        'attached',
        clue.state,
        clue.state,
        actor,
        now,
        `上传文书：${name}（doc:${saved.id}，${Math.ceil(file.content.length / 1024)} KB）`,
      );
      return { id: saved.id, ref: `doc:${saved.id}`, name, mime: saved.mime, size: saved.size, sha256 };
    });
  }

  async document(id: number): Promise<DocumentFile> {
    const doc = await this.db.getRepository(DocumentFile).createQueryBuilder('d').addSelect('d.content').where('d.id = :id', { id }).getOne();
    if (!doc) throw notFound('DOCUMENT.NOT_FOUND', `没有编号为 ${id} 的文书。`);
    return doc;
  }

  /** Steps may cite uploaded files as `doc:<id>`: each must exist and belong to this clue. */
  private async checkDocumentRefs(em: EntityManager, clue: Clue, input: Record<string, unknown>): Promise<void> {
    const refs = [
      ...(Array.isArray(input.documents) ? (input.documents as { ref?: unknown }[]) : []),
      ...(input.report ? [input.report as { ref?: unknown }] : []),
    ]
      .map((d) => (typeof d?.ref === 'string' ? /^doc:(\d+)$/.exec(d.ref.trim()) : null))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    if (refs.length === 0) return;
    const found = await em.findBy(DocumentFile, { id: In(refs), ownerKind: 'clue', ownerId: clue.id });
    const missing = refs.filter((id) => !found.some((d) => d.id === id));
    if (missing.length)
      throw new DomainError('CLUE.DOCUMENT_NOT_FOUND', `文书 ${missing.map((id) => `doc:${id}`).join('、')} 不属于线索 ${clue.number}，请先上传。`, 'invalid');
  }

  async get(number: string) {
    const clue = await this.db.getRepository(Clue).findOneBy({ number: normalizeClueNumber(number) });
    if (!clue) throw notFound('CLUE.NOT_FOUND', `没有编号为「${number}」的问题线索。`);
    const events = await this.db.getRepository(ClueEvent).find({ where: { clueId: clue.id }, order: { id: 'ASC' } });
    // Issue 15: the files uploaded to this clue (without their bytes), so the console lists them for download.
    const files = await this.db.getRepository(DocumentFile).find({ where: { ownerKind: 'clue', ownerId: clue.id }, order: { id: 'ASC' } });
    return {
      ...(await this.view([clue]))[0],
      data: clue.data,
      files: files.map((f) => ({ id: f.id, ref: `doc:${f.id}`, name: f.name, size: f.size, uploadedAt: formatShanghai(f.createdAt) })),
      timeline: events.map((e) => ({
        at: formatShanghai(e.at),
        action: e.action,
        label: e.action === 'opened' ? '线索登记' : e.action === 'attached' ? '上传文书' : PROCEDURE_ACTION_LABELS[e.action as ProcedureAction],
        from: e.fromState,
        to: e.toState,
        actor: e.actorName,
        channel: e.channel,
        summary: withoutRuleId(e.summary), // lines stored before issue 14 began with "A2："
      })),
    };
  }

  async list(filter: { state?: ProcedureState; unitId?: number }) {
    const clues = await this.db.getRepository(Clue).find({
      where: { ...(filter.state ? { state: filter.state } : {}), ...(filter.unitId ? { unitId: filter.unitId } : {}) },
      order: { id: 'DESC' },
      take: 500,
    });
    return this.view(clues);
  }

  /** What the card and the API show: the clue, its unit and item, and the steps each role may take now. */
  async view(clues: Clue[]) {
    const units = clues.length ? await this.db.getRepository(Unit).findBy({ id: In([...new Set(clues.map((c) => c.unitId))]) }) : [];
    const itemIds = clues.map((c) => c.itemId).filter((i): i is number => i !== null);
    const items = itemIds.length
      ? await this.db.getRepository(Item).find({ where: { id: In(itemIds) }, select: { id: true, number: true, title: true, leaderId: true } })
      : [];
    return clues.map((c) => ({
      number: c.number,
      trigger: c.trigger,
      state: c.state,
      stateLabel: PROCEDURE_STATE_LABELS[c.state],
      unit: units.find((u) => u.id === c.unitId)?.name ?? '',
      item: items.find((i) => i.id === c.itemId)?.number ?? null,
      summary: c.summary,
      openedAt: formatShanghai(c.openedAt),
      next: { supervisor: availableActions(c.state, ['supervisor']), leader: availableActions(c.state, ['leader']) },
    }));
  }

  /** Who hears of a step: the leader gets the 审核 card one to one; the 督查室 hears the leader's decision. */
  private async notify(em: EntityManager, clue: Clue, action: ProcedureAction, now: Date): Promise<void> {
    if (clue.state === 'audit') {
      const leaders = await this.leadersFor(em, clue);
      await this.outbox.enqueue(
        em,
        leaders.map((id) => ({
          kind: 'clue_audit_card',
          target: `person:${id}` as const,
          platform: null,
          itemId: null,
          payload: { subject: clue.number },
          dedupeKey: `clue:${clue.id}:v${clue.version}:audit:${id}`,
          dueAt: now,
        })),
      );
    }
    if (action === 'audit_approve' || action === 'audit_reject') {
      const text = `【问责审核】${clue.number}：分管领导${action === 'audit_approve' ? '同意问责处理意见，请复核后实施' : '退回问责处理意见，请重新提出'}。`;
      await tellSupervision(em, this.outbox, clue, text, `v${clue.version}`, await this.quiet.sendAt(now, em));
    }
  }

  /** The item's 分管领导; a clue without an item (ranking, manual) goes to every leader. */
  async leadersFor(em: EntityManager, clue: Clue): Promise<number[]> {
    if (clue.itemId !== null) {
      const item = await em.findOneBy(Item, { id: clue.itemId });
      if (item) return [item.leaderId];
    }
    return [...new Set((await em.findBy(RoleGrant, { role: 'leader' })).map((g) => g.personId))];
  }
}

/** P2 roles as the procedure knows them; an admin acts as the 督查室. */
function rolesOf(actor: Actor): Role[] {
  const roles = new Set<Role>(actor.grants.map((g) => g.role));
  if (actor.isAdmin || hasRole(actor, 'admin')) roles.add('supervisor');
  return [...roles];
}

/** 'xs2026-3', 'ＸＳ２０２６－０００３' → 'XS2026-0003'. */
export function normalizeClueNumber(input: string): string {
  const s = input.normalize('NFKC').trim().toUpperCase().replace(/[—–_]/g, '-');
  const m = /^([A-Z]{1,8})\s*-?\s*(\d{4})\s*-?\s*(\d{1,6})$/.exec(s);
  return m ? formatItemNumber(m[1], Number(m[2]), Number(m[3])) : s;
}

/** What a step adds to the clue's file (A2 documents: the proposal, the 核查报告, the opinion, the result …). */
function gathered(action: ProcedureAction, input: Record<string, unknown>, before: ClueData): Partial<ClueData> {
  const documents = Array.isArray(input.documents) ? [...(before.documents ?? []), ...(input.documents as ClueData['documents'] & object)] : undefined;
  const out: Partial<ClueData> = documents ? { documents } : {};
  switch (action) {
    case 'hand_over':
      return { ...out, proposal: String(input.proposal) };
    case 'skip_verification':
      return { ...out, verification: { skipped: String(input.reason) } };
    case 'verify':
      return {
        ...out,
        verification: input.report as ClueData['verification'],
        documents: [...(documents ?? before.documents ?? []), input.report as { title: string; ref: string }],
      };
    case 'propose_opinion':
      return { ...out, opinion: input.targets as ClueData['opinion'] };
    case 'audit_approve':
    case 'audit_reject':
      return { ...out, auditNote: String(input.note ?? input.reason ?? '') };
    case 'implement':
      return { ...out, implementation: [...(before.implementation ?? []), String(input.note)] };
    case 'report_result':
      return { ...out, result: String(input.result) };
    case 'apply_result':
      return { ...out, scope: input.scope as ClueData['scope'] };
    default:
      return out;
  }
}
