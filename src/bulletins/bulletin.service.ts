import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, hasRole } from '../shared/actor';
import { DecisionView, MessageKinds, type MessageText } from '../outbox/message-kinds';
import { OutboxWriter } from '../outbox/outbox.writer';
import { formatItemNumber } from '../cases/item-number.rules';
import { nextInSequence } from '../cases/numbering.service';
import { Clock } from '../shared/clock';
import { conflict, DomainError, forbidden, invalid, notFound } from '../shared/errors';
import { formatShanghai, shanghaiDate } from '../shared/shanghai-time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { inTransaction } from '../database/transaction';
import { ChatGroup } from '../org/chat-group.entity';
import { RoleGrant } from '../org/role-grant.entity';
import { Inject } from '@nestjs/common';
import { BulletinChartRenderer } from './bulletin-chart.renderer';
import { renderBulletinDocx } from './bulletin.docx';
import { Bulletin, BulletinChart, BulletinEvent, BulletinState, BULLETIN_STATE_LABELS } from './bulletin.entity';
import { BulletinFactsService } from './bulletin-facts.service';
import { checkDraftPatch } from './bulletin.draft-check';
import { recountSections } from './bulletin-counts.rules';
import type { BulletinDetailView, BulletinReproductionView, BulletinRowView } from './bulletin.view';
import { BULLETIN_KINDS, composeBulletin, draftToMarkdown, draftToPlainText, withHighlights, type BulletinDraft, type BulletinKind } from './bulletin.rules';
import { CalendarService } from '../calendar/calendar.service';
import { ReminderPolicyService } from '../reminders/reminder-policy.service';
import { DEFAULT_POLICIES, isAddOn, type ReminderPolicy } from '../reminders/reminder.policy';
import { holdForQuiet } from '../reminders/schedule.rules';
import { supervisionTargets } from '../org/message-targets';

/** Issue 14: what a 通报's stage means for the 督查室, and what comes next — in words rather than a state name. */
const BULLETIN_STATE_WORDS: Record<Bulletin['state'], [string]> = {
  draft: ['还是草稿，尚未报领导审定'],
  pending_approval: ['正在等待领导审定'],
  approved: ['已经领导审定'],
  published: ['已经印发'],
};

export const BULLETIN_PREFIX = 'TB';
/** The number series of ad-hoc 重点督办 通报 (monthly and quarterly ones take the month or quarter as their issue). */
const KEY_SUPERVISION_SERIES = 'TBK';
const DEFAULT_OFFICE = '市人民政府督查室';
/** The broadcast summary fits every platform's smallest text limit (WeCom app messages: 2,048 bytes). */
const SUMMARY_BYTES = 1900;
/** 18 random bytes in base64url. */
const PUBLIC_TOKEN = /^[A-Za-z0-9_-]{24}$/;
/** What can be done with a 通报 in each state: the next step a refused action names. */
const NEXT_STEP: Record<BulletinState, string> = {
  draft: '请先修改定稿，再提请领导审定。',
  pending_approval: '请等待领导审定；如需修改，请商请领导退回。',
  approved: '已审定的通报不能再修改，可以直接印发。',
  published: '该通报已印发，存档备查。',
};
/** The review link's signature: 16 bytes of HMAC-SHA256 in base64url. */
const REVIEW_SIG = /^[A-Za-z0-9_-]{22}$/;

/**
 * Issue 7 §3 (B1, B2): a 通报 goes draft (generated from the data) → edited by the 督查室 → submitted → approved by a
 * leader on a one-to-one card → broadcast to the chosen groups on both platforms (a short summary with the chart and
 * a link to the full text) → archived, exportable as .docx; regenerated from the database it must say the same.
 */
@Injectable()
export class BulletinService implements OnModuleInit {
  private readonly log = new Logger('bulletins');

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly facts: BulletinFactsService,
    private readonly outbox: OutboxWriter,
    private readonly kinds: MessageKinds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly charts: BulletinChartRenderer,
    private readonly calendar: CalendarService,
    private readonly policies: ReminderPolicyService,
  ) {}

  onModuleInit(): void {
    // This feature's messages (issue 12): the leader's 审定 card and the broadcast to the groups.
    this.kinds.decision(BULLETIN_PREFIX, (subject, viewer) => this.card(subject, viewer));
    this.kinds.card('bulletin_approval_card', 'decision');
    this.kinds.text('bulletin_broadcast', (msg) => this.broadcastText(Number(msg.payload.bulletinId)));
    // Issue 14 (defect 2): the 督查室 is told when a leader approved a 通报 or sent it back.
    this.kinds.text('bulletin_notice', (msg) => Promise.resolve({ title: '通报审定', text: String(msg.payload.text ?? '') }), { coalesce: true });
  }

  /** B2: a draft from the data of the period. The issue number counts the kind's bulletins of the year. */
  async generate(input: { kind: BulletinKind; period: string; office?: string; recipients?: string; groupIds?: number[] }, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    const period = this.facts.period(input.kind, input.period);
    this.mustBeOver(input.kind, period);
    const office = input.office?.trim() || DEFAULT_OFFICE;
    return inTransaction(this.db, async (em) => {
      const issueNo =
        input.kind === 'monthly'
          ? Number(shanghaiDate(period.from).slice(5, 7))
          : input.kind === 'quarterly'
            ? Math.floor((Number(shanghaiDate(period.from).slice(5, 7)) - 1) / 3) + 1
            : await this.next(em, KEY_SUPERVISION_SERIES, period.year);
      const facts = await this.facts.collect(input.kind, period, { year: period.year, number: issueNo }, office, input.recipients?.trim() || undefined);
      const draft = composeBulletin(facts);
      // Issue 14 (defect 5): a period's 通报 is numbered by the period's own year (December 2026's is TB2026-…, even drafted in January).
      const seq = await this.next(em, BULLETIN_PREFIX, period.year);
      const number = formatItemNumber(BULLETIN_PREFIX, period.year, seq);
      const saved = await em.save(Bulletin, {
        number,
        kind: input.kind,
        periodSpec: input.period.trim(),
        periodFrom: period.from,
        periodTo: period.to,
        periodLabel: period.label,
        issueYear: period.year,
        issueNo,
        office,
        recipients: input.recipients?.trim() || null,
        state: 'draft' as const,
        facts: facts as unknown as Record<string, unknown>,
        generatedText: draftToPlainText(draft),
        draft,
        edited: false,
        groupIds: input.groupIds ?? null,
        publicToken: randomBytes(18).toString('base64url'),
        createdById: actor.personId,
        approvedById: null,
        approvedAt: null,
        publishedAt: null,
      });
      await this.record(em, saved, 'generated', actor, `生成${BULLETIN_KINDS[input.kind]}草稿：${draft.title}（${period.label}）`);
      this.log.log(
        JSON.stringify({
          event: 'bulletin_generated',
          number,
          kind: input.kind,
          period: period.label,
          units: facts.byUnit.length,
          criticism: facts.criticism.length,
        }),
      );
      return saved;
    });
  }

  /** The 督查室 edits the draft (while it is a draft, or after a leader sent it back). */
  async edit(number: string, input: unknown, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    // Issue 11 (defect 10): checked strictly here, whoever calls (the API, a script): a draft that reaches approval renders.
    const patch = checkDraftPatch(input);
    return this.change(number, ['draft'], 'draft', actor, 'edited', '修改通报稿', (b) => {
      const { groupIds, highlights, ...text } = patch;
      const next: BulletinDraft = { ...b.draft, ...text };
      // Issue 15 (B2): the sentences that count a table's rows say what the rows say once saved — what is approved,
      // and then published unchanged, never counts a row that was removed.
      if (text.sections) next.sections = recountSections(text.sections);
      // Issue 15: lines of the summary chosen by hand are kept; null reads them from the tables again.
      if (highlights === null) next.highlights = { ...next.highlights, edited: false };
      else if (highlights) next.highlights = { ...next.highlights, ...highlights, edited: true };
      // Issue 14 (defect 1): the summary and the card quote the edited sections, not the facts the draft was made from.
      return {
        draft: withHighlights(next),
        edited: Object.keys(text).length > 0 || highlights !== undefined || b.edited,
        ...(groupIds !== undefined ? { groupIds } : {}),
      };
    });
  }

  /** Submitted for approval: each leader gets the 审定 card one to one. */
  async submit(number: string, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    return this.change(number, ['draft'], 'pending_approval', actor, 'submitted', '提请领导审定', async (_b, em, b) => {
      const leaders = [...new Set((await em.findBy(RoleGrant, { role: 'leader' })).map((g) => g.personId))];
      if (leaders.length === 0) throw conflict('BULLETIN.NO_LEADER', '没有可审定通报的领导，请先在人员中为分管领导设置“领导”角色，再提请审定。');
      // The chart of the text under review, drawn afresh (an edit after a return changes it): the leader sees what goes out.
      await em.delete(BulletinChart, { bulletinId: b.id });
      await this.keepChart(em, b);
      const dueAt = await this.sendAt();
      await this.outbox.enqueue(
        em,
        leaders.map((id) => ({
          kind: 'bulletin_approval_card',
          target: `person:${id}` as const,
          platform: null,
          itemId: null,
          payload: { subject: b.number },
          dedupeKey: `bulletin:${b.id}:v${b.version}:approve:${id}`,
          dueAt,
        })),
      );
      return {};
    });
  }

  /** B2: the leader approves (or sends back with a reason) — from the card, chat or the API. */
  async decide(number: string, approve: boolean, note: string, actor: Actor): Promise<Bulletin> {
    if (!hasRole(actor, 'leader')) throw forbidden('BULLETIN.LEADER_ONLY', '通报须由领导审定，请转请分管领导审定。');
    if (!approve && !note.trim())
      throw invalid('BULLETIN.REASON_REQUIRED', '退回通报须写明理由。', { field: 'reason', problems: [{ field: 'reason', message: '请写明退回理由。' }] });
    // Issue 11 (defect 8), issue 14: the chart drawn at submission (the one the leader saw) is kept for the public link;
    // one submitted before charts were drawn at submission is drawn here, in the approval's transaction.
    return this.change(
      number,
      ['pending_approval'],
      approve ? 'approved' : 'draft',
      actor,
      approve ? 'approved' : 'returned',
      approve ? `领导审定同意${note.trim() ? `：${note.trim()}` : ''}` : `领导退回修改：${note.trim()}`,
      async (b, em) => {
        await this.tellOffice(em, b, approve, note.trim(), actor);
        if (!approve) return {};
        await this.keepChart(em, b);
        return { approvedById: actor.personId, approvedAt: this.clock.now() };
      },
    );
  }

  /** B2: broadcast to the chosen groups on both platforms — a short summary, the chart, a link — and archived. */
  async publish(number: string, groupIds: number[] | undefined, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    return this.change(number, ['approved'], 'published', actor, 'published', '印发并推送至工作群', async (b, em) => {
      await this.keepChart(em, b); // approved before charts were kept: drawn now, before its link goes out
      const ids = groupIds ?? b.groupIds ?? (await em.find(ChatGroup, { select: { id: true } })).map((g) => g.id);
      const groups = ids.length ? await em.findBy(ChatGroup, { id: In(ids) }) : [];
      if (groups.length === 0) throw invalid('BULLETIN.NO_GROUPS', '还没有可推送的工作群，请先选择要推送的工作群。', { field: 'groupIds' });
      const dueAt = await this.sendAt(); // published at night or on a rest day: the groups get it the next working morning
      await this.outbox.enqueue(
        em,
        groups.map((g) => ({
          kind: 'bulletin_broadcast',
          target: `group:${g.id}` as const,
          platform: g.platform,
          itemId: null,
          payload: { bulletinId: b.id },
          dedupeKey: `bulletin:${b.id}:broadcast:${g.id}`,
          dueAt,
        })),
      );
      return { groupIds: groups.map((g) => g.id), publishedAt: this.clock.now() };
    });
  }

  async get(number: string): Promise<BulletinDetailView> {
    const b = await this.load(number);
    const events = await this.db.getRepository(BulletinEvent).find({ where: { bulletinId: b.id }, order: { id: 'ASC' } });
    return {
      number: b.number,
      kind: b.kind,
      kindLabel: BULLETIN_KINDS[b.kind],
      period: b.periodLabel,
      issue: b.draft.issueLabel,
      state: b.state,
      stateLabel: BULLETIN_STATE_LABELS[b.state],
      edited: b.edited,
      groupIds: b.groupIds,
      draft: b.draft,
      links: this.links(b),
      // Issue 15 (the console): who approved it and when it went out, whether it was ever submitted (then it is kept),
      // and — sent back — who sent it back and why.
      ...this.progress(events),
      approvedAt: formatShanghai(b.approvedAt),
      publishedAt: formatShanghai(b.publishedAt),
      timeline: events.map((e) => ({
        at: formatShanghai(e.at),
        action: e.action,
        state: e.toState,
        actor: e.actorName,
        channel: e.channel,
        summary: e.summary,
      })),
    };
  }

  async list(): Promise<BulletinRowView[]> {
    const rows = await this.db.getRepository(Bulletin).find({
      order: { id: 'DESC' },
      take: 200,
      select: { id: true, number: true, kind: true, periodLabel: true, state: true, issueYear: true, issueNo: true, publishedAt: true },
    });
    const approvals = rows.length
      ? await this.db.getRepository(BulletinEvent).find({ where: { bulletinId: In(rows.map((b) => b.id)), action: 'approved' }, order: { id: 'ASC' } })
      : [];
    const approvedBy = new Map(approvals.map((e) => [e.bulletinId, e.actorName]));
    return rows.map((b) => ({
      number: b.number,
      kind: b.kind,
      kindLabel: BULLETIN_KINDS[b.kind],
      period: b.periodLabel,
      approvedBy: approvedBy.get(b.id) ?? null,
      issue: `${b.issueYear}年第${b.issueNo}期`,
      state: b.state,
      stateLabel: BULLETIN_STATE_LABELS[b.state],
      publishedAt: formatShanghai(b.publishedAt),
    }));
  }

  /**
   * Issue 15: the 通报's way so far, read from its events — who approved it, whether it was ever submitted (a draft
   * once submitted is kept on record), and the last return with its reason while it is being redrafted.
   */
  private progress(events: BulletinEvent[]) {
    const last = (action: string) => [...events].reverse().find((e) => e.action === action) ?? null;
    const approved = last('approved');
    const returned = last('returned');
    const submitted = last('submitted');
    const open = returned && (!submitted || submitted.id < returned.id);
    return {
      approvedBy: approved?.actorName ?? null,
      submitted: submitted !== null,
      returned: open ? { by: returned.actorName, at: formatShanghai(returned.at), reason: returned.summary.replace(/^领导退回修改：/, '') } : null,
    };
  }

  /**
   * Issue 15: the chart as the console previews it — the one kept at submission once submitted (what the leader saw),
   * and for a draft drawn from the draft as it is now (a signed-in request by the 督查室 or a leader; never public).
   */
  async previewChart(number: string): Promise<Buffer> {
    const b = await this.load(number);
    return (b.state !== 'draft' ? await this.storedChart(b.id) : null) ?? this.charts.render(b);
  }

  /** B2: the same period read from the database again, composed again, compared with what was generated. */
  async reproduce(number: string): Promise<BulletinReproductionView> {
    const b = await this.load(number);
    const facts = await this.facts.collect(
      b.kind,
      { from: b.periodFrom, to: b.periodTo, label: b.periodLabel, year: b.issueYear },
      { year: b.issueYear, number: b.issueNo },
      b.office,
      b.recipients ?? undefined,
    );
    const now = draftToPlainText(composeBulletin(facts));
    const was = b.generatedText.split('\n');
    const again = now.split('\n');
    const differences = [];
    for (let i = 0; i < Math.max(was.length, again.length) && differences.length < 20; i++)
      if (was[i] !== again[i]) differences.push({ line: i + 1, archived: was[i] ?? null, now: again[i] ?? null });
    return { number: b.number, equal: now === b.generatedText, differences };
  }

  async docx(number: string): Promise<{ filename: string; body: Buffer }> {
    const b = await this.load(number);
    const date = b.approvedAt ?? this.clock.now();
    const [y, m, d] = shanghaiDate(date).split('-').map(Number);
    const body = await renderBulletinDocx(b.draft, {
      office: b.office,
      date: `${y}年${m}月${d}日`,
      chartPng: (await this.storedChart(b.id)) ?? this.charts.render(b),
    });
    return { filename: `${b.draft.issueLabel}${BULLETIN_KINDS[b.kind]}.docx`, body };
  }

  /** The chart kept at approval (null when there is none). */
  async storedChart(bulletinId: number): Promise<Buffer | null> {
    const row = await this.db.getRepository(BulletinChart).findOneBy({ bulletinId });
    return row ? Buffer.from(row.png) : null;
  }

  /** The chart the public link serves: the stored bytes only — a request without a login never draws. */
  async publicChart(token: string): Promise<Buffer> {
    const b = await this.byToken(token);
    const png = await this.storedChart(b.id);
    if (!png) throw notFound('BULLETIN.NO_CHART', '这份通报的图表尚未生成，请联系督查室重新印发。');
    return png;
  }

  /** Draws and keeps the chart once (a second call keeps the first). */
  private async keepChart(em: EntityManager, b: Bulletin): Promise<void> {
    if (await em.findOneBy(BulletinChart, { bulletinId: b.id })) return;
    const png = this.charts.render(b);
    await em.insert(BulletinChart, { bulletinId: b.id, png, size: png.length, sha256: createHash('sha256').update(png).digest('hex') });
  }

  /**
   * Public links (unguessable token): the chat apps open them without a login. Only once a leader approved it.
   * Issue 11 (defect 14): the token matches exactly — its shape is checked first and the row compared byte for byte
   * (the column is binary-collated too).
   */
  async byToken(token: string): Promise<Bulletin> {
    const gone = () => notFound('BULLETIN.NOT_FOUND', '没有这份通报，或它尚未审定。请核对链接是否完整。');
    if (!PUBLIC_TOKEN.test(token)) throw gone();
    const b = await this.db.getRepository(Bulletin).findOneBy({ publicToken: token });
    if (!b || b.publicToken !== token || (b.state !== 'approved' && b.state !== 'published')) throw gone();
    return b;
  }

  links(b: Bulletin) {
    const base = this.config.publicBaseUrl;
    return { fullText: `${base}/public/bulletins/${b.publicToken}`, chart: `${base}/public/bulletins/${b.publicToken}/chart.png` };
  }

  /** What the groups read: the summary within every platform's limit, with the chart and the link to the full text. */
  async broadcastText(bulletinId: number): Promise<MessageText> {
    const b = await this.db.getRepository(Bulletin).findOneByOrFail({ id: bulletinId });
    const links = this.links(b);
    const png = await this.storedChart(b.id);
    return {
      title: b.draft.title,
      text: draftToMarkdown(withHighlights(b.draft), { chartUrl: links.chart, fullTextUrl: links.fullText, maxBytes: SUMMARY_BYTES }),
      // Issue 14 (defect 4): a platform whose markdown shows no pictures sends the chart itself after the text.
      ...(png ? { image: { url: links.chart, alt: '图表', png } } : {}),
    };
  }

  /**
   * The leader's 审定 card: the issue, the overview and the counts of the draft as edited, and a 全文 link that opens the
   * text under review (issue 14, defect 1) — then 同意 / 退回 while it waits for approval. The title says the issue once.
   */
  async card(subject: string, viewer: Actor | null): Promise<DecisionView | null> {
    const b = await this.db.getRepository(Bulletin).findOneBy({ number: subject.toUpperCase() });
    if (!b) return null;
    const draft = withHighlights(b.draft);
    const mayDecide = b.state === 'pending_approval' && viewer !== null && hasRole(viewer, 'leader');
    return {
      kind: 'decision',
      number: b.number,
      title: cardTitle(draft),
      state: b.state,
      stateLabel: BULLETIN_STATE_LABELS[b.state],
      deadline: '',
      timeLeft: '',
      summary: draft.highlights.overview,
      facts: [
        { label: '类别', value: BULLETIN_KINDS[b.kind] },
        ...(draft.title.includes(b.periodLabel) ? [] : [{ label: '期间', value: b.periodLabel }]),
        { label: '表扬', value: `${draft.highlights.praiseCount}项` },
        { label: '批评', value: `${draft.highlights.criticismCount}项` },
        { label: '全文', value: b.state === 'published' ? this.links(b).fullText : this.reviewLink(b) },
      ],
      buttons: mayDecide
        ? [
            { id: 'bulletin:approve', label: '同意印发', style: 'primary' },
            { id: 'bulletin:reject', label: '退回修改', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } },
          ]
        : [],
    };
  }

  /** Issue 14 (defect 1): the link on the leader's card — signed for this 通报, it opens the text under review. */
  reviewLink(b: Bulletin): string {
    return `${this.config.publicBaseUrl}/public/bulletins/review/${encodeURIComponent(b.number)}?sig=${reviewSignature(b)}`;
  }

  /**
   * The 通报 a review link opens: the signature is right for its number, and the text is under review, approved or
   * published. Sent back (a draft again), it opens nothing until it is submitted again; a draft never submitted, nothing.
   */
  async byReviewLink(number: string, sig: string): Promise<Bulletin> {
    const gone = () => notFound('BULLETIN.NOT_FOUND', '没有这份通报，或链接不完整。请从审定卡片重新打开。');
    const b = await this.db.getRepository(Bulletin).findOneBy({ number: number.normalize('NFKC').trim().toUpperCase() });
    if (!b || !REVIEW_SIG.test(sig)) throw gone();
    const want = Buffer.from(reviewSignature(b));
    if (!timingSafeEqual(want, Buffer.from(sig.padEnd(want.length).slice(0, want.length)))) throw gone();
    if (b.state === 'draft') {
      throw notFound('BULLETIN.UNDER_REVISION', `通报 ${b.number} 已退回修改，正在重新起草；再次提请审定后，请打开新的审定卡片查看全文。`);
    }
    return b;
  }

  /** The chart of the text under review, by the review link (the stored bytes only: drawn at submission). */
  async reviewChart(number: string, sig: string): Promise<Buffer> {
    const b = await this.byReviewLink(number, sig);
    const png = await this.storedChart(b.id);
    if (!png) throw notFound('BULLETIN.NO_CHART', '这份通报的图表尚未生成，请联系督查室重新提请审定。');
    return png;
  }

  /** A draft never submitted may be deleted by the 督查室 (issue 14, defect 5); once submitted it is kept on record. */
  async remove(number: string, actor: Actor): Promise<{ number: string; deleted: true }> {
    this.mustBeOffice(actor);
    return inTransaction(this.db, async (em) => {
      const qb = em.createQueryBuilder(Bulletin, 'b').where('b.number = :n', { n: number.normalize('NFKC').trim().toUpperCase() });
      if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
      const b = await qb.getOne();
      if (!b) throw notFound('BULLETIN.NOT_FOUND', `没有编号为「${number}」的通报（编号形如 TB2026-0001）。`);
      const submitted = await em.countBy(BulletinEvent, { bulletinId: b.id, action: 'submitted' });
      if (b.state !== 'draft' || submitted > 0) {
        const why =
          b.state === 'draft'
            ? '已提请过领导审定（被退回），审定记录须留存'
            : `已${b.state === 'pending_approval' ? '提请领导审定' : BULLETIN_STATE_LABELS[b.state]}`;
        const next =
          b.state === 'pending_approval' ? '如需撤回，请商请领导退回后再修改。' : b.state === 'draft' ? '可修改后重新提请审定。' : '已审定的通报须存档备查。';
        throw new DomainError('BULLETIN.NOT_DELETABLE', `通报 ${b.number} ${why}，不能删除；${next}`, 'conflict');
      }
      await em.delete(BulletinChart, { bulletinId: b.id });
      await em.delete(BulletinEvent, { bulletinId: b.id });
      await em.delete(Bulletin, { id: b.id });
      this.log.log(JSON.stringify({ event: 'bulletin_deleted', number: b.number, by: actor.personId }));
      return { number: b.number, deleted: true as const };
    });
  }

  /** Issue 14 (defect 2): the 督查室's notice of the leader's decision, in the decision's transaction, outside quiet hours. */
  private async tellOffice(em: EntityManager, b: Bulletin, approved: boolean, note: string, actor: Actor): Promise<void> {
    const what = `通报 ${b.number}（${b.draft.title}）`;
    const reason = note.replace(/[。.！!；;，,\s]+$/u, '');
    const text = approved
      ? `${what}已由${actor.name}审定同意${reason ? `，意见：${reason}` : ''}。请在督办系统中印发，推送至各工作群。`
      : `${what}被${actor.name}退回修改，理由：${reason}。请修改后重新提请审定。`;
    const dueAt = await this.sendAt();
    await this.outbox.enqueue(
      em,
      (await supervisionTargets(em)).map((t) => ({
        kind: 'bulletin_notice',
        target: t.target,
        platform: t.platform ?? null,
        itemId: null,
        payload: { text, bulletinId: b.id },
        dedupeKey: `bulletin:${b.id}:v${b.version}:${approved ? 'approved' : 'returned'}:${t.target}`,
        dueAt,
      })),
    );
  }

  /** Now, or — in quiet hours or on a rest day (the default reminder policy's) — the next working morning. */
  private async sendAt(): Promise<Date> {
    const [cal, policies] = await Promise.all([this.calendar.calendar(), this.policies.current()]);
    const policy = (policies.find((p) => p.id === 'default' && !isAddOn(p)) ?? DEFAULT_POLICIES[0]) as ReminderPolicy;
    return holdForQuiet(this.clock.now(), policy, cal).sendAt;
  }

  /** Issue 14 (defect 5): a month's or a quarter's 通报 is drafted once the period is over (its figures are then final). */
  private mustBeOver(kind: BulletinKind, period: { to: Date; label: string }): void {
    if (kind === 'key_supervision' || period.to <= this.clock.now()) return;
    const [y, m, d] = shanghaiDate(period.to).split('-').map(Number);
    const what = kind === 'monthly' ? '月度' : '季度';
    throw invalid(
      'BULLETIN.PERIOD_NOT_OVER',
      `${period.label}尚未结束，${what}通报须在${y}年${m}月${d}日以后生成（届时数据才完整）；如需通报目前的重点督办情况，可生成重点督办通报。`,
      // Issue 15: `problems` too, so the console shows the sentence next to the period field.
      { field: 'period', problems: [{ field: 'period', message: `${period.label}尚未结束，${what}通报须在${y}年${m}月${d}日以后生成。` }] },
    );
  }

  private mustBeOffice(actor: Actor): void {
    if (!actor.isAdmin && !hasRole(actor, 'supervisor')) throw forbidden('BULLETIN.OFFICE_ONLY', '通报由督查室起草、修改和印发，请联系督查室。');
  }

  private async load(number: string): Promise<Bulletin> {
    const b = await this.db.getRepository(Bulletin).findOneBy({ number: number.normalize('NFKC').trim().toUpperCase() });
    if (!b) throw notFound('BULLETIN.NOT_FOUND', `没有编号为「${number}」的通报（编号形如 TB2026-0001）。`);
    return b;
  }

  /** One state change: locked row, allowed states, the patch, the event — in one transaction. */
  private change(
    number: string,
    from: BulletinState[],
    to: BulletinState,
    actor: Actor,
    action: string,
    summary: string,
    patch: (b: Bulletin, em: EntityManager, locked: Bulletin) => Partial<Bulletin> | Promise<Partial<Bulletin>>,
  ): Promise<Bulletin> {
    return inTransaction(this.db, async (em) => {
      const qb = em.createQueryBuilder(Bulletin, 'b').where('b.number = :n', { n: number.normalize('NFKC').trim().toUpperCase() });
      if (['mysql', 'mariadb'].includes(em.connection.options.type)) qb.setLock('pessimistic_write');
      const b = await qb.getOne();
      if (!b) throw notFound('BULLETIN.NOT_FOUND', `没有编号为「${number}」的通报。`);
      if (!from.includes(b.state))
        throw new DomainError(
          'BULLETIN.ILLEGAL_TRANSITION',
          `通报 ${b.number} ${BULLETIN_STATE_WORDS[b.state][0]}，现在不能${summary}。${NEXT_STEP[b.state]}`,
          'conflict',
        );
      const changes = await patch(b, em, b);
      await em.update(Bulletin, { id: b.id }, { ...changes, state: to, version: b.version + 1 } as never);
      Object.assign(b, changes, { state: to, version: b.version + 1 });
      await this.record(em, b, action, actor, summary);
      return b;
    });
  }

  private async record(em: EntityManager, b: Bulletin, action: string, actor: Actor, summary: string): Promise<void> {
    await em.insert(BulletinEvent, {
      bulletinId: b.id,
      action,
      toState: b.state,
      actorId: actor.personId,
      actorName: actor.name,
      channel: actor.channel,
      at: this.clock.now(),
      summary,
    });
  }

  private next(em: EntityManager, prefix: string, year: number): Promise<number> {
    return nextInSequence(em, prefix, year);
  }
}

/** The card's title: the 通报's title, with its issue when the title does not already carry it (《政务督查》 does). */
export function cardTitle(draft: Pick<BulletinDraft, 'title' | 'issueLabel'>): string {
  return draft.title.includes(draft.issueLabel) ? draft.title : `${draft.title}（${draft.issueLabel}）`;
}

/** 16 bytes of HMAC-SHA256 over the number, keyed by the 通报's own unguessable token (never shown before it is published). */
function reviewSignature(b: Pick<Bulletin, 'number' | 'publicToken'>): string {
  return createHmac('sha256', b.publicToken).update(`bulletin-review:${b.number}`).digest().subarray(0, 16).toString('base64url');
}
