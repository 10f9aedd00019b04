import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import type { Actor } from '../shared/actor';
import { ItemCommandsService } from '../cases/item-commands.service';
import { ItemQueriesService } from '../cases/item-queries.service';
import { RATINGS } from '../shared/vocabulary';
import { shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import { SettingsService } from '../settings/settings.service';
import { ScoringService } from '../scoring/scoring.service';
import { AccountabilityService } from '../accountability/accountability.service';
import { BulletinService } from '../bulletins/bulletin.service';
import type { BotResult } from './bot-event';
import { BotCommand } from './command.parser';
import { deadlineText, timeLeft } from './cards';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import { DataSource, EntityManager, In } from 'typeorm';
import { currentManager, inTransaction } from '../database/transaction';
import { heldFor } from '../cases/command-runner';
import { unitsOf } from '../shared/actor';
import { roleHelp } from './parser/messages';
import { greetingText, mineText, waitingLine } from './my-work.rules';
import { MyWorkService } from './my-work.service';
import { extensionNeedsConfirmation } from '../cases/deadline.rules';
import { ChatProposal } from './chat-proposal.entity';
import { parseCommand } from './command.parser';
import { formatShanghai } from '../shared/shanghai-time';
import { Clock, SecurityClock } from '../shared/clock';
import { QuietHold } from '../reminders/quiet-hold';
import { SessionService } from '../auth/session.service';

/** Issue 14: how long a command asked about waits for /确认. */
export const PROPOSAL_TTL_MS = 30 * 60_000;

/** A parsed chat command → the same item commands the HTTP API runs, and a short Chinese answer. */
@Injectable()
export class CommandExecutor {
  constructor(
    private readonly commands: ItemCommandsService,
    private readonly queries: ItemQueriesService,
    private readonly settings: SettingsService,
    private readonly scoring: ScoringService,
    private readonly accountability: AccountabilityService,
    private readonly bulletins: BulletinService,
    private readonly work: MyWorkService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly quiet: QuietHold,
    private readonly sessions: SessionService,
    /** The 30 minutes to answer /确认 are a person's real minutes (issue 16: not the demo clock's). */
    private readonly security: SecurityClock,
  ) {}

  /** `where.inGroup` (issue 15): the command was typed in a group — /登录 then posts no link. */
  async run(cmd: BotCommand, actor: Actor, where?: { inGroup: boolean }): Promise<Omit<BotResult, 'duplicate'>> {
    switch (cmd.name) {
      case 'login':
        return { reply: await this.loginLink(actor, where?.inGroup !== false) };
      case 'help':
        return { reply: await this.help(actor) };
      case 'mine':
        return { reply: await this.mine(actor) };
      case 'score':
        return { reply: await this.scoring.explainText(actor, cmd.unit) };
      case 'clue_audit': {
        const clue = cmd.approve
          ? await this.accountability.act(cmd.number, 'audit_approve', { note: cmd.text || undefined }, actor)
          : await this.accountability.act(cmd.number, 'audit_reject', { reason: cmd.text }, actor);
        return { reply: `${clue.number} 已${cmd.approve ? '同意问责处理意见，转督查室复核' : '退回问责处理意见'}。`, itemNumber: clue.number };
      }
      case 'bulletin_approve': {
        const b = await this.bulletins.decide(cmd.number, cmd.approve, cmd.text, actor);
        // Issue 14: the 督查室 is told of the decision (BulletinService.decide); the leader is told that it was.
        return { reply: `${b.number} 已${cmd.approve ? '审定同意，已告知督查室印发推送' : '退回修改，退回理由已告知督查室'}。`, itemNumber: b.number };
      }
      case 'query':
        return { reply: await this.query(cmd.number, actor), itemNumber: cmd.number };
      case 'sign': {
        await this.commands.sign(cmd.number, actor);
        // Issue 14: a co-unit is told what signing means for it (谁主办、谁反馈); the lead unit what comes next.
        return (await this.signedAs(cmd.number, actor)) === 'co'
          ? this.done(cmd.number, '已签收（协办）。主办单位负责反馈，贵单位请配合办理')
          : this.done(cmd.number, `已签收。办理中请随时反馈：/反馈 ${cmd.number} 办理进展`);
      }
      case 'report':
        await this.commands.report(cmd.number, actor, cmd.content);
        return this.done(cmd.number, '反馈已记录，并已告知立项主体');
      case 'extend': {
        if (!cmd.confirmed) {
          const asked = await this.askFirst(cmd, actor);
          if (asked) return asked;
        }
        const policy = await this.settings.deadlinePolicy();
        // Chat has one text for both: E1's reason and plan are the same words here.
        await this.commands.requestExtension(cmd.number, actor, {
          newDeadline: shanghaiInstant(cmd.date, policy.dayEnd),
          reason: cmd.reason,
          plan: cmd.reason,
        });
        return this.done(cmd.number, `延期申请（至 ${cmd.date}）已提交，等待立项主体审批`);
      }
      case 'close': {
        // D1: people say whether the 服务对象 agreed in their own words.
        const agreed = /服务对象(已)?不同意/.test(cmd.summary) ? false : /服务对象(已)?同意/.test(cmd.summary) ? true : undefined;
        const r = await this.commands.requestClosure(cmd.number, actor, { summary: cmd.summary, servedPartyAgreed: agreed });
        if (r.status === 'failed_agreement') {
          return this.done(
            cmd.number,
            `已记录服务对象不同意办结（第 ${r.failedAttempts} 次）${r.verificationAllowed ? '，立项主体可组织专家论证或公众评价' : ''}`,
          );
        }
        return this.done(cmd.number, '办结申请已提交，等待立项主体审核');
      }
      case 'return': {
        // D3 (issue 14): an item awaiting 审定 is sent back by its leader; anything else is the owner's F2 return.
        const { by } = await this.commands.sendBack(cmd.number, actor, cmd.reason);
        return this.done(cmd.number, by === 'leader' ? '已退回承办单位继续办理，并已告知立项主体' : '已退回承办单位');
      }
      case 'approve_extension': {
        const { newDeadline } = await this.commands.decideExtension(cmd.number, actor, null, true, cmd.note);
        return this.done(cmd.number, `已同意延期，新期限 ${formatShanghai(newDeadline)}，已告知承办单位`);
      }
      case 'refuse_extension':
        await this.commands.decideExtension(cmd.number, actor, null, false, cmd.reason);
        return this.done(cmd.number, '已不同意延期，理由已告知承办单位');
      case 'withdraw': {
        const r = await this.commands.withdraw(cmd.number, actor);
        return this.done(
          cmd.number,
          r.kind === 'extension'
            ? `已撤回延期申请，并已告知立项主体。如需重新申请：/延期 ${cmd.number} 新日期 理由`
            : `已撤回办结申请，事项回到办理中，并已告知立项主体。办理完成后可重新申请：/办结 ${cmd.number} 办理情况`,
        );
      }
      case 'confirm':
        return this.confirm(actor);
      case 'rate':
        await this.commands.rate(cmd.number, actor, cmd.rating, cmd.comment);
        return this.done(cmd.number, cmd.rating === 'fail' ? '已评定为不合格，退回承办单位重办' : `已评定为${RATINGS[cmd.rating]}，已报分管领导审定`);
      case 'approve':
        await this.commands.signOff(cmd.number, actor);
        return this.done(cmd.number, '已审定办结，编号已销号');
    }
  }

  /**
   * Issue 14: a date that is probably not what was meant (deadline.rules extensionNeedsConfirmation) is not filed: the
   * command, written out with its full date, waits for this person's /确认 (one per person, the newest wins).
   */
  private async askFirst(cmd: Extract<BotCommand, { name: 'extend' }>, actor: Actor): Promise<Omit<BotResult, 'duplicate'> | null> {
    if (actor.personId === null) return null;
    const item = await (currentManager() ?? this.db.manager).findOneBy(Item, { number: cmd.number });
    if (!item) return null; // the command itself says the number does not exist
    const policy = await this.settings.deadlinePolicy();
    const now = this.queries.now();
    const newDeadline = shanghaiInstant(cmd.date, policy.dayEnd);
    const ask = extensionNeedsConfirmation({
      newDeadline,
      now,
      deadlineAt: item.deadlineAt,
      startedAt: item.assignedAt ?? item.registeredAt,
      yearGuessed: cmd.yearGuessed,
    });
    if (!ask) return null;
    const command = `/延期 ${cmd.number} ${cmd.date} ${cmd.reason}`;
    await inTransaction(this.db, async (em) => {
      // One per person (the newest wins); expired ones of anybody go too, so the table stays small.
      const real = this.security.now();
      await em.createQueryBuilder().delete().from(ChatProposal).where('person_id = :p OR expires_at < :now', { p: actor.personId, now: real }).execute();
      await em.insert(ChatProposal, { personId: actor.personId!, command, itemNumber: cmd.number, expiresAt: new Date(real.getTime() + PROPOSAL_TTL_MS) });
    });
    const [y, m, d] = cmd.date.split('-').map(Number);
    return {
      reply: `您是指 ${y}年${m}月${d}日 吗？确认请回复 /确认，或重新输入：/延期 ${cmd.number} 新日期 理由`,
      itemNumber: cmd.number,
    };
  }

  /** Issue 14: files the command this person was asked about — once: the proposal is deleted in the same transaction. */
  private async confirm(actor: Actor): Promise<Omit<BotResult, 'duplicate'>> {
    const none = { reply: '您目前没有需要确认的申请（确认须在提问后30分钟内回复）。如需申请延期，请写成：/延期 编号 新日期 理由' };
    if (actor.personId === null) return none;
    const now = this.queries.now();
    return inTransaction(this.db, async (em) => {
      const p = await em.findOneBy(ChatProposal, { personId: actor.personId! });
      if (!p) return none;
      const taken = await em.delete(ChatProposal, { id: p.id });
      if (!taken.affected || p.expiresAt.getTime() <= this.security.now().getTime()) return none;
      const parsed = parseCommand(p.command, { numberPrefix: this.config.numberPrefix, today: shanghaiDate(now) });
      if (!parsed.ok) return none;
      const cmd = parsed.command.name === 'extend' ? { ...parsed.command, confirmed: true } : parsed.command;
      return this.run(cmd, actor);
    });
  }

  private async done(number: string, what: string): Promise<Omit<BotResult, 'duplicate'>> {
    return { reply: `${number}：${await this.toldWhen(what)}。`, itemNumber: number };
  }

  /**
   * R10 (issue 14): in quiet hours or on a rest day the others' notices wait for the working morning, so the answer
   * does not say they have been told: 「反馈已记录，将于 5月6日 08:00 告知立项主体」.
   */
  private async toldWhen(what: string): Promise<string> {
    if (!what.includes('已告知')) return what;
    const now = this.clock.now();
    const at = await this.quiet.sendAt(now);
    if (at.getTime() <= now.getTime()) return what;
    const [, m, d, hm] = /^\d{4}-(\d{2})-(\d{2}) (\d{2}:\d{2})$/.exec(formatShanghai(at))!;
    return what.replace(/并?已告知/g, `将于 ${Number(m)}月${Number(d)}日 ${hm} 告知`);
  }

  /** P4: only within the asker's read scope; outside it the answer is the one for a number that does not exist. */
  private async query(number: string, actor: Actor): Promise<string> {
    const i = await this.queries.get(number, actor);
    // Issue 14: the answer ends with what waits on the asker, and the command that does it.
    const waiting = await this.work.waitingFor(actor, await this.queries.loadFor(number, actor));
    const left = i.light === 'done' || i.deadlineSpec.startsWith('open:') ? '' : `（${timeLeft(i.deadline, this.queries.now())}）`;
    return [
      `${i.number}「${i.title}」`,
      `状态：${i.stateLabel}；期限：${deadlineText(i)}${left}`,
      `主办：${i.leadUnit?.name ?? ''}${i.coUnits.length ? `；协办：${i.coUnits.map((u) => u.name).join('、')}` : ''}`,
      `反馈 ${i.reports.length} 次${i.returnCount ? `，退回 ${i.returnCount} 次` : ''}`,
      ...waiting.map((w) => `待您办理：${w.what}，请发送 ${w.command}`),
    ].join('\n');
  }

  /**
   * Issue 15: /登录 — a one-time link to the console (single use, 10 minutes), written in the chat event's transaction
   * with its reply. Never in a group: anyone there could use it.
   */
  private async loginLink(actor: Actor, inGroup: boolean): Promise<string> {
    if (inGroup || actor.personId === null) return '登录链接只能私聊发送，请私聊督办助手发送 /登录';
    const code = await this.sessions.issueLoginCode(actor.personId, currentManager() ?? this.db.manager);
    return `点击链接登录督办系统（10分钟内有效，仅可使用一次）：${this.sessions.loginLink(code)}`;
  }

  /** /我的 (issue 14): what waits on me first, then 主办 and 协办 (and what I registered or lead), each with its next command. */
  private async mine(actor: Actor): Promise<string> {
    const { entries, waiting } = await this.work.read(actor);
    return mineText(actor.name, entries, waiting, this.work.now());
  }

  /** /帮助 by role (issue 14): the person's own waiting items first, then what each of their roles can type. */
  private async help(actor: Actor): Promise<string> {
    const { entries, waiting, roles } = await this.work.read(actor);
    // The example uses one of the person's own numbers: an item they can report on now, else what waits on them.
    const reportable = entries.find((e) => e.unit?.role === 'lead' && e.item.state === 'in_progress');
    return roleHelp(
      { name: actor.name, roles, waiting: waiting.map(waitingLine), ownNumber: reportable?.item.number ?? waiting[0]?.number ?? entries[0]?.item.number },
      { numberPrefix: this.config.numberPrefix, today: shanghaiDate(this.queries.now()) },
    );
  }

  /** Issue 14: text addressed to the bot that is no command — a greeting back, with what waits on the person. */
  async greet(actor: Actor, typed: string): Promise<string> {
    const { waiting } = await this.work.read(actor);
    return greetingText(actor.name, typed, waiting);
  }

  /** Which of the person's units' rows on the item: the lead's, else a co-unit's (read in the event's own transaction). */
  private async signedAs(number: string, actor: Actor): Promise<'lead' | 'co' | null> {
    const key = number.normalize('NFKC').trim().toUpperCase();
    // Issue 17: the 签收 just run says so itself (its relation: the lead unit's row if the person's, else a co-unit's).
    const held = heldFor(key);
    if (held) return held.relation.unitRole ?? null;
    const em = this.em();
    const item = await em.findOneBy(Item, { number: key });
    const mine = unitsOf(actor);
    const own = item && mine.length ? await em.findBy(ItemUnit, { itemId: item.id, unitId: In(mine) }) : [];
    return own.some((l) => l.role === 'lead') ? 'lead' : own.length ? 'co' : null;
  }

  /** The chat event's own transaction (see currentManager), else the pool. */
  private em(): EntityManager {
    return currentManager() ?? this.work.dataSource.manager;
  }
}
