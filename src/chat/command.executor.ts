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
import { BotCommand, commandHelp } from './command.parser';
import { deadlineText, timeLeft } from './cards';

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(cmd: BotCommand, actor: Actor): Promise<Omit<BotResult, 'duplicate'>> {
    switch (cmd.name) {
      case 'help':
        return { reply: commandHelp({ numberPrefix: this.config.numberPrefix, today: shanghaiDate(this.queries.now()) }) };
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
      case 'sign':
        await this.commands.sign(cmd.number, actor);
        return this.done(cmd.number, '已签收');
      case 'report':
        await this.commands.report(cmd.number, actor, cmd.content);
        return this.done(cmd.number, '反馈已记录，并已告知立项主体');
      case 'extend': {
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
      case 'return':
        await this.commands.returnWork(cmd.number, actor, cmd.reason);
        return this.done(cmd.number, '已退回承办单位');
      case 'rate':
        await this.commands.rate(cmd.number, actor, cmd.rating, cmd.comment);
        return this.done(cmd.number, cmd.rating === 'fail' ? '已评定为不合格，退回承办单位重办' : `已评定为${RATINGS[cmd.rating]}，已报分管领导审定`);
      case 'approve':
        await this.commands.signOff(cmd.number, actor);
        return this.done(cmd.number, '已审定办结，编号已销号');
    }
  }

  private done(number: string, what: string): Omit<BotResult, 'duplicate'> {
    return { reply: `${number}：${what}。`, itemNumber: number };
  }

  /** P4: only within the asker's read scope; outside it the answer is the one for a number that does not exist. */
  private async query(number: string, actor: Actor): Promise<string> {
    const i = await this.queries.get(number, actor);
    const left = i.light === 'done' || i.deadlineSpec.startsWith('open:') ? '' : `（${timeLeft(i.deadline, this.queries.now())}）`;
    return [
      `${i.number}「${i.title}」`,
      `状态：${i.stateLabel}；期限：${deadlineText(i)}${left}`,
      `主办：${i.leadUnit?.name ?? ''}${i.coUnits.length ? `；协办：${i.coUnits.map((u) => u.name).join('、')}` : ''}`,
      `反馈 ${i.reports.length} 次${i.returnCount ? `，退回 ${i.returnCount} 次` : ''}`,
    ].join('\n');
  }

  private async mine(actor: Actor): Promise<string> {
    const items = await this.queries.openFor(actor, 10);
    if (items.length === 0) return '您目前没有在办的督办事项。';
    return ['您在办的督办事项：', ...items.map((i) => `${i.number} ${i.title}｜${i.stateLabel}｜${timeLeft(i.deadline, this.queries.now())}`)].join('\n');
  }
}
