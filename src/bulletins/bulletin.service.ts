import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, hasRole } from '../shared/actor';
import { DecisionView, MessageKinds } from '../outbox/message-kinds';
import { OutboxWriter } from '../outbox/outbox.writer';
import { formatItemNumber } from '../cases/item-number.rules';
import { nextInSequence } from '../cases/numbering.service';
import { Clock } from '../shared/clock';
import { conflict, DomainError, forbidden, invalid, notFound } from '../shared/errors';
import { formatShanghai, shanghaiDate, shanghaiYear } from '../shared/shanghai-time';
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
import { BULLETIN_KINDS, composeBulletin, draftToMarkdown, draftToPlainText, type BulletinKind } from './bulletin.rules';

/** Issue 14: what a 通报's stage means for the 督查室, and what comes next — in words rather than a state name. */
const BULLETIN_STATE_WORDS: Record<Bulletin['state'], [string, string]> = {
  draft: ['还是草稿，尚未报领导审定', '请先提交领导审定。'],
  pending_approval: ['正在等待领导审定', '请待领导审定后再办理。'],
  approved: ['已经领导审定', ''],
  published: ['已经印发', '已印发的通报不能再改动，如需更正，请另发通报。'],
};

export const BULLETIN_PREFIX = 'TB';
/** The number series of ad-hoc 重点督办 通报 (monthly and quarterly ones take the month or quarter as their issue). */
const KEY_SUPERVISION_SERIES = 'TBK';
const DEFAULT_OFFICE = '市人民政府督查室';
/** The broadcast summary fits every platform's smallest text limit (WeCom app messages: 2,048 bytes). */
const SUMMARY_BYTES = 1900;
/** 18 random bytes in base64url. */
const PUBLIC_TOKEN = /^[A-Za-z0-9_-]{24}$/;

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
  ) {}

  onModuleInit(): void {
    // This feature's messages (issue 12): the leader's 审定 card and the broadcast to the groups.
    this.kinds.decision(BULLETIN_PREFIX, (subject, viewer) => this.card(subject, viewer));
    this.kinds.card('bulletin_approval_card', 'decision');
    this.kinds.text('bulletin_broadcast', (msg) => this.broadcastText(Number(msg.payload.bulletinId)));
  }

  /** B2: a draft from the data of the period. The issue number counts the kind's bulletins of the year. */
  async generate(input: { kind: BulletinKind; period: string; office?: string; recipients?: string; groupIds?: number[] }, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    const period = this.facts.period(input.kind, input.period);
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
      const seq = await this.next(em, BULLETIN_PREFIX, shanghaiYear(this.clock.now()));
      const number = formatItemNumber(BULLETIN_PREFIX, shanghaiYear(this.clock.now()), seq);
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
      const { groupIds, ...text } = patch;
      return { draft: { ...b.draft, ...text }, edited: Object.keys(text).length > 0 || b.edited, ...(groupIds !== undefined ? { groupIds } : {}) };
    });
  }

  /** Submitted for approval: each leader gets the 审定 card one to one. */
  async submit(number: string, actor: Actor): Promise<Bulletin> {
    this.mustBeOffice(actor);
    return this.change(number, ['draft'], 'pending_approval', actor, 'submitted', '提请领导审定', async (_b, em, b) => {
      const leaders = [...new Set((await em.findBy(RoleGrant, { role: 'leader' })).map((g) => g.personId))];
      if (leaders.length === 0) throw conflict('BULLETIN.NO_LEADER', '还没有可审定通报的领导，请先在人员管理中为分管领导设置“领导”角色。');
      await this.outbox.enqueue(
        em,
        leaders.map((id) => ({
          kind: 'bulletin_approval_card',
          target: `person:${id}` as const,
          platform: null,
          itemId: null,
          payload: { subject: b.number },
          dedupeKey: `bulletin:${b.id}:v${b.version}:approve:${id}`,
          dueAt: this.clock.now(),
        })),
      );
      return {};
    });
  }

  /** B2: the leader approves (or sends back with a reason) — from the card, chat or the API. */
  async decide(number: string, approve: boolean, note: string, actor: Actor): Promise<Bulletin> {
    if (!hasRole(actor, 'leader')) throw forbidden('BULLETIN.LEADER_ONLY', '通报须由领导审定，请提请分管领导审定。');
    if (!approve && !note.trim()) throw invalid('BULLETIN.REASON_REQUIRED', '退回通报须写明理由。', { field: 'reason' });
    // Issue 11 (defect 8): the chart is drawn here, once, in the approval's transaction, and kept for the public link.
    return this.change(
      number,
      ['pending_approval'],
      approve ? 'approved' : 'draft',
      actor,
      approve ? 'approved' : 'returned',
      approve ? `领导审定同意${note.trim() ? `：${note.trim()}` : ''}` : `领导退回修改：${note.trim()}`,
      async (b, em) => {
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
      if (groups.length === 0) throw invalid('BULLETIN.NO_GROUPS', '请选择要推送通报的工作群。', { field: 'groupIds' });
      await this.outbox.enqueue(
        em,
        groups.map((g) => ({
          kind: 'bulletin_broadcast',
          target: `group:${g.id}` as const,
          platform: g.platform,
          itemId: null,
          payload: { bulletinId: b.id },
          dedupeKey: `bulletin:${b.id}:broadcast:${g.id}`,
          dueAt: this.clock.now(),
        })),
      );
      return { groupIds: groups.map((g) => g.id), publishedAt: this.clock.now() };
    });
  }

  async get(number: string) {
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

  async list() {
    const rows = await this.db.getRepository(Bulletin).find({
      order: { id: 'DESC' },
      take: 200,
      select: { id: true, number: true, kind: true, periodLabel: true, state: true, issueYear: true, issueNo: true, publishedAt: true },
    });
    return rows.map((b) => ({
      number: b.number,
      kind: b.kind,
      period: b.periodLabel,
      issue: `${b.issueYear}年第${b.issueNo}期`,
      state: b.state,
      stateLabel: BULLETIN_STATE_LABELS[b.state],
      publishedAt: formatShanghai(b.publishedAt),
    }));
  }

  /** B2: the same period read from the database again, composed again, compared with what was generated. */
  async reproduce(number: string) {
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
  async broadcastText(bulletinId: number): Promise<{ title: string; text: string }> {
    const b = await this.db.getRepository(Bulletin).findOneByOrFail({ id: bulletinId });
    const links = this.links(b);
    return { title: b.draft.title, text: draftToMarkdown(b.draft, { chartUrl: links.chart, fullTextUrl: links.fullText, maxBytes: SUMMARY_BYTES }) };
  }

  /** The leader's 审定 card: the issue, the period, the overview, and 同意 / 退回 while it waits for approval. */
  async card(subject: string, viewer: Actor | null): Promise<DecisionView | null> {
    const b = await this.db.getRepository(Bulletin).findOneBy({ number: subject.toUpperCase() });
    if (!b) return null;
    const mayDecide = b.state === 'pending_approval' && viewer !== null && hasRole(viewer, 'leader');
    return {
      kind: 'decision',
      number: b.number,
      title: `${b.draft.title}（${b.draft.issueLabel}）审定`,
      state: b.state,
      stateLabel: BULLETIN_STATE_LABELS[b.state],
      deadline: '',
      timeLeft: '',
      summary: b.draft.highlights.overview,
      facts: [
        { label: '类别', value: BULLETIN_KINDS[b.kind] },
        { label: '期间', value: b.periodLabel },
        { label: '表扬', value: `${b.draft.highlights.praiseCount}项` },
        { label: '批评', value: `${b.draft.highlights.criticismCount}项` },
        { label: '全文', value: this.links(b).fullText },
      ],
      buttons: mayDecide
        ? [
            { id: 'bulletin:approve', label: '同意印发', style: 'primary' },
            { id: 'bulletin:reject', label: '退回修改', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } },
          ]
        : [],
    };
  }

  private mustBeOffice(actor: Actor): void {
    if (!actor.isAdmin && !hasRole(actor, 'supervisor')) throw forbidden('BULLETIN.OFFICE_ONLY', '通报由督查室起草、修改和印发；如需修改通报，请联系督查室。');
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
          `通报 ${b.number} ${BULLETIN_STATE_WORDS[b.state][0]}，现在不能${summary}。${BULLETIN_STATE_WORDS[b.state][1]}`,
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
