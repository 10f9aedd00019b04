import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource, In, MoreThan } from 'typeorm';
import { RequireRoles } from '../http/route-access';
import { Item } from '../cases/item.entity';
import { ChatGroup } from '../org/chat-group.entity';
import { ownerOfficeTargets, supervisionTargets, type Target, unitTargets } from '../org/message-targets';
import { PersonIdentity } from '../org/person-identity.entity';
import { Person } from '../org/person.entity';
import { Unit } from '../org/unit.entity';
import { QuietHold } from '../reminders/quiet-hold';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service';
import { Reminder } from '../reminders/reminder.entity';
import { AUDIENCE_LABELS, KIND_LABELS } from '../reminders/reminder.labels';
import type { Audience, ReminderKind } from '../reminders/schedule.types';
import { Clock, DemoClock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { toShanghaiIso } from '../shared/shanghai-time';

class ReminderPaneView {
  @ApiProperty({ example: 'dingtalk:group:cidFGW0000000000000000001', description: '模拟器中的聊天（与 /api/demo/sim/chats 的 id 相同）' }) chatId!: string;
  @ApiProperty({ example: '发改委督办群' }) title!: string;
  @ApiProperty({ enum: ['dingtalk', 'wecom'] }) platform!: 'dingtalk' | 'wecom';
}

class PlannedReminderView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '2026-03-03T08:00:00+08:00', description: '发送时间（演示时钟；夜间和休息日已顺延）' }) at!: string;
  @ApiProperty({ example: '2026-03-02T23:00:00+08:00', description: '规则确定的提醒时点' }) plannedAt!: string;
  @ApiProperty({ description: '因夜间或休息日顺延而晚于提醒时点发送' }) held!: boolean;
  @ApiProperty({ description: '已发出' }) sent!: boolean;
  @ApiProperty({ nullable: true, example: '2026-03-03T08:00:05+08:00', description: '实际发出的时间（演示时钟）；未发出为 null' }) sentAt!: string | null;
  @ApiProperty({ example: 'DB2026-0001' }) number!: string;
  @ApiProperty({ example: '推进重点项目开工' }) title!: string;
  @ApiProperty({ example: 'overdue_urge', description: '提醒种类' }) kind!: string;
  @ApiProperty({ example: '逾期催办' }) what!: string;
  @ApiProperty({ enum: ['unit', 'leader', 'coordinating_leader', 'supervision_office', 'owner'] }) audience!: string;
  @ApiProperty({ example: '承办单位 发改委', description: '发给谁' }) to!: string;
  @ApiProperty({ type: [ReminderPaneView], description: '会出现在哪些聊天里' }) panes!: ReminderPaneView[];
}

class DemoTimeView {
  @ApiProperty({ example: '2026-03-02T09:00:00+08:00', description: '演示时钟的当前时间' }) now!: string;
  @ApiProperty({ example: 60, description: '倍速（1 = 正常）' }) speed!: number;
  @ApiProperty({ type: [PlannedReminderView], description: '接下来要发的提醒（已排定的，按发送时间）' }) upcoming!: PlannedReminderView[];
  @ApiProperty({ type: [PlannedReminderView], description: '最近发出的提醒（新的在前）' }) recent!: PlannedReminderView[];
}

class NextReminderView {
  @ApiProperty({ description: '拨动后演示时钟的时间' }) now!: string;
  @ApiProperty() speed!: number;
  @ApiProperty({ example: 'DB2026-0001' }) number!: string;
  @ApiProperty({ example: '逾期催办' }) what!: string;
  @ApiProperty({ example: '承办单位 发改委' }) to!: string;
}

class PlannedQuery {
  @ApiPropertyOptional({ default: 12, description: '接下来的提醒最多列出几条' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

/** How far ahead 「到下一条提醒」 looks when nothing is stored yet (planning stores the next 12 hours only). */
const LOOK_AHEAD_DAYS = 14;

/**
 * Issue 16 (part 4, time): the reminders the demo's visitor watches happen — which are planned for whom and when (from
 * the reminders table, as the tick will send them), and 「到下一条提醒」, which moves the demo clock to the next one's
 * instant. Registered with the simulator only (demo mode): otherwise these addresses do not exist.
 */
@ApiTags('demo 演示')
@ApiBearerAuth()
@Controller('api/demo/sim')
export class DemoTimeController {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly scheduler: ReminderScheduler,
    private readonly quiet: QuietHold,
  ) {}

  @Get('reminders')
  @RequireRoles('supervisor')
  @ApiOperation({ summary: '演示时间轴：演示时钟、接下来要发的提醒（发给谁、哪个聊天、哪件事项），以及最近发出的' })
  @ApiOkResponse({ type: DemoTimeView })
  async planned(@Query() q: PlannedQuery): Promise<DemoTimeView> {
    const repo = this.db.getRepository(Reminder);
    const [upcoming, recent] = await Promise.all([
      repo.find({ where: { status: 'pending' }, order: { dueAt: 'ASC', id: 'ASC' }, take: q.limit ?? 12 }),
      repo.find({ where: { status: 'sent' }, order: { sentAt: 'DESC', id: 'DESC' }, take: 6 }),
    ]);
    const views = await this.views([...upcoming, ...recent]);
    return { ...this.state(), upcoming: views.slice(0, upcoming.length), recent: views.slice(upcoming.length) };
  }

  @Post('next-reminder')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: '把演示时钟拨到下一条提醒的发送时间（夜间 22:00–08:00 和休息日不发，顺延后的时间）' })
  @ApiOkResponse({ type: NextReminderView })
  async next(): Promise<NextReminderView> {
    const clock = this.demo();
    const now = clock.now();
    const stored = await this.db.getRepository(Reminder).findOne({ where: { status: 'pending', dueAt: MoreThan(now) }, order: { dueAt: 'ASC', id: 'ASC' } });
    let target: { at: Date; number: string; what: string; to: string } | null = null;
    if (stored) {
      const [v] = await this.views([stored]);
      target = { at: stored.dueAt, number: v.number, what: v.what, to: v.to };
    } else {
      // Nothing stored beyond now: what the rules will plan over the next days (the tick stores it as the clock gets there).
      const coming = (await this.scheduler.preview({ from: now, days: LOOK_AHEAD_DAYS }))
        .filter((r) => r.sendAt.getTime() > now.getTime())
        .sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime())[0];
      if (coming) target = { at: coming.sendAt, number: coming.number, what: KIND_LABELS[coming.kind], to: AUDIENCE_LABELS[coming.audience as Audience] ?? '' };
    }
    if (!target)
      throw new DomainError(
        'DEMO.NO_REMINDER',
        `接下来${LOOK_AHEAD_DAYS}天没有要发的提醒。请先交办一件期限较近的事项，或用「+1天」继续拨动演示时钟。`,
        'conflict',
      );
    // R10: the stored send time is already out of the night and off rest days; the hold is applied once more so the
    // clock never lands in quiet hours, whatever a changed policy or calendar did since the row was planned.
    const at = await this.quiet.sendAt(target.at);
    clock.advance(at.getTime() - now.getTime());
    const { now: after, speed } = this.state();
    return { now: after, speed, number: target.number, what: target.what, to: target.to };
  }

  private demo(): DemoClock {
    if (!(this.clock instanceof DemoClock)) throw new DomainError('DEMO.OFF', '演示时钟未启用（仅 npm run demo 提供）。', 'not_found');
    return this.clock;
  }

  private state(): { now: string; speed: number } {
    const speed = this.clock instanceof DemoClock ? this.clock.state().speed : 1;
    return { now: toShanghaiIso(this.clock.now())!, speed };
  }

  /** Each reminder with its item, whom it is for in words, and the chats it will land in (as the dispatch resolves them). */
  private async views(rows: Reminder[]): Promise<PlannedReminderView[]> {
    if (rows.length === 0) return [];
    const em = this.db.manager;
    const items = new Map((await em.findBy(Item, { id: In([...new Set(rows.map((r) => r.itemId))]) })).map((i) => [i.id, i]));
    const whom = new Map<string, Promise<{ who: string; panes: ReminderPaneView[] }>>();
    const out: PlannedReminderView[] = [];
    for (const r of rows) {
      if (!whom.has(r.recipientKey)) whom.set(r.recipientKey, this.whom(r.recipientKey));
      const { who, panes } = await whom.get(r.recipientKey)!;
      const audience = AUDIENCE_LABELS[r.audience as Audience] ?? '';
      const item = items.get(r.itemId);
      out.push({
        id: r.id,
        at: toShanghaiIso(r.dueAt)!,
        plannedAt: toShanghaiIso(r.plannedAt)!,
        held: r.dueAt.getTime() !== r.plannedAt.getTime(),
        sent: r.status === 'sent',
        sentAt: r.sentAt ? toShanghaiIso(r.sentAt)! : null,
        number: item?.number ?? '',
        title: item?.title ?? '',
        kind: r.kind,
        what: KIND_LABELS[r.kind as ReminderKind] ?? r.kind,
        audience: r.audience,
        to: who && who !== audience ? `${audience} ${who}` : audience,
        panes,
      });
    }
    return out;
  }

  /** A recipient key ('unit:3', 'person:7', 'owners:2:7', 'office') → who in words, and the simulator's chats. */
  private async whom(key: string): Promise<{ who: string; panes: ReminderPaneView[] }> {
    const em = this.db.manager;
    const [kind, a, b] = key.split(':');
    let targets: Target[] = [];
    let who = '';
    if (kind === 'unit') {
      targets = await unitTargets(em, [Number(a)]);
      who = (await em.findOneBy(Unit, { id: Number(a) }))?.name ?? '';
    } else if (kind === 'person') targets = [{ target: `person:${Number(a)}` }];
    else if (kind === 'owners') targets = await ownerOfficeTargets(em, Number(a), Number(b));
    else if (kind === 'office') {
      targets = await supervisionTargets(em);
      who = '督查室';
    }
    const panes: ReminderPaneView[] = [];
    const names: string[] = [];
    for (const t of targets) {
      const [tk, id] = t.target.split(':');
      if (tk === 'group') {
        const g = await em.findOneBy(ChatGroup, { id: Number(id) });
        if (g) panes.push({ chatId: `${g.platform}:group:${g.externalId}`, title: g.name, platform: g.platform as 'dingtalk' | 'wecom' });
      } else if (tk === 'person') {
        // As the outbox composes it: the person's first account (both platforms are on in the demo).
        const [person, account] = await Promise.all([
          em.findOneBy(Person, { id: Number(id) }),
          em.findOne(PersonIdentity, { where: { personId: Number(id) }, order: { id: 'ASC' } }),
        ]);
        if (person) names.push(person.name);
        if (person && account)
          panes.push({
            chatId: `${account.platform}:direct:${account.externalUserId}`,
            title: person.name,
            platform: account.platform as 'dingtalk' | 'wecom',
          });
      }
    }
    return { who: who || names.join('、'), panes };
  }
}
