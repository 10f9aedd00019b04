import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { ItemQueriesService } from '../cases/item-queries.service';
import { Clock } from '../shared/clock';
import { toShanghaiIso } from '../shared/shanghai-time';
import { FixedDateView, MonthlyDatesView, PolicyVersionView, PolicyView } from './reminder-policy.responses';
import { ReminderPolicyService } from './reminder-policy.service';
import { ReminderScheduler } from './reminder-scheduler.service';
import type { PolicyRow, ReminderPolicy } from './reminder.policy';
import { HOLD_LABELS, HoldReason, ReminderTiming } from './schedule.rules';
import type { Audience, ReminderKind } from './schedule.types';
import { AUDIENCE_LABELS, KIND_LABELS } from './reminder.labels';

class PreviewDto {
  @ApiPropertyOptional({ description: '待保存的策略（不传则用现行策略）' }) @IsOptional() @IsObject() policy?: PolicyRow;
  @ApiPropertyOptional({ description: '只看这一事项；不传则看全部在办事项' }) @IsOptional() @IsString() number?: string;
  @ApiPropertyOptional({ default: 7 }) @IsOptional() @IsInt() @Min(1) @Max(90) days?: number;
}

class PreviewChangesDto {
  @ApiProperty({ description: '待保存的策略' }) @IsObject() policy!: ReminderPolicy;
  @ApiPropertyOptional({ description: '只看这一事项；不传则看全部在办事项' }) @IsOptional() @IsString() number?: string;
  @ApiPropertyOptional({ default: 14 }) @IsOptional() @IsInt() @Min(1) @Max(90) days?: number;
}

const CHANGE_LABELS = { added: '新增', removed: '取消', moved: '改期' } as const;

class ReminderTimingView {
  @ApiProperty({ example: '2026-04-30T23:00:00+08:00', description: '规则确定的提醒时点' }) plannedAt!: string;
  @ApiProperty({ example: '2026-05-06T08:00:00+08:00', description: '实际发送时间（夜间、节假日顺延后）' }) sendAt!: string;
  @ApiProperty({ nullable: true, enum: ['节假日顺延', '夜间顺延'], description: '为何晚于提醒时点发送；按时发送为 null' }) held!: string | null;
}

class ReminderChangeView {
  @ApiProperty({ enum: ['新增', '取消', '改期'] }) change!: string;
  @ApiProperty({ example: '逾期催办' }) what!: string;
  @ApiProperty({ example: '承办单位', description: '发给谁' }) to!: string;
  @ApiProperty({ enum: Object.keys(KIND_LABELS), example: 'overdue_urge', description: '提醒种类' }) kind!: ReminderKind;
  @ApiProperty({ example: 'R4' }) rule!: string;
  @ApiProperty({ enum: ['unit', 'leader', 'coordinating_leader', 'supervision_office', 'owner'] }) audience!: Audience;
  @ApiPropertyOptional({ type: ReminderTimingView, description: '现行策略下（新增时无）' }) before?: ReminderTimingView;
  @ApiPropertyOptional({ type: ReminderTimingView, description: '待保存策略下（取消时无）' }) after?: ReminderTimingView;
}

class ItemReminderChangesView {
  @ApiProperty({ example: 'DB-2026-0001' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'daily@1', description: '现行策略' }) policyBefore!: string;
  @ApiProperty({ example: 'daily（待保存）', description: '保存后适用的策略' }) policyAfter!: string;
  @ApiProperty({ type: [ReminderChangeView] }) changes!: ReminderChangeView[];
}

const held = (h: HoldReason | null) => (h ? HOLD_LABELS[h] : null);
const timingView = (t: ReminderTiming): ReminderTimingView => ({
  plannedAt: toShanghaiIso(t.plannedAt)!,
  sendAt: toShanghaiIso(t.sendAt)!,
  held: held(t.held),
});

/** Issue 6 §1 and §5: reminder policies as versioned data, and a preview before a change is saved. */
@ApiTags('reminders 提醒策略')
@ApiBearerAuth()
@ApiExtraModels(FixedDateView, MonthlyDatesView)
@Controller('api/reminder-policies')
export class RemindersController {
  constructor(
    private readonly policies: ReminderPolicyService,
    private readonly scheduler: ReminderScheduler,
    private readonly queries: ItemQueriesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: '现行提醒策略（13710 默认值或管理员修改后的最新版本）' })
  @ApiOkResponse({ type: [PolicyView] })
  current() {
    return this.policies.current();
  }

  @Get(':id/versions')
  @ApiOperation({ summary: '策略的各个版本' })
  @ApiOkResponse({ type: [PolicyView] })
  versions(@Param('id') id: string) {
    return this.policies.versions(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: '策略的各个版本，含保存人和保存时间（系统默认版本二者为空）' })
  @ApiOkResponse({ type: [PolicyVersionView] })
  async history(@Param('id') id: string) {
    return (await this.policies.history(id)).map((h) => ({ ...h, savedAt: h.savedAt ? toShanghaiIso(h.savedAt) : null }));
  }

  @Put(':id')
  @RequireRoles('admin')
  @ApiOperation({ summary: '保存策略的新版本（旧版本保留）' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiOkResponse({ type: PolicyView })
  save(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.policies.save(id, body, actor.personId);
  }

  @Post('preview')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '预览：某策略在今后 N 天会向谁发送哪些提醒（不保存）' })
  async preview(@Body() dto: PreviewDto) {
    const candidate = dto.policy ? this.policies.check({ ...dto.policy, version: (dto.policy.version ?? 0) || 0 }) : undefined;
    const itemIds = dto.number ? [(await this.queries.load(dto.number)).id] : undefined;
    const rows = await this.scheduler.preview({ candidate, itemIds, from: this.clock.now(), days: dto.days ?? 7 });
    return rows.map((r) => ({ ...r, plannedAt: toShanghaiIso(r.plannedAt), sendAt: toShanghaiIso(r.sendAt), held: held(r.held) }));
  }

  @Post('preview/changes')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({
    summary: '预览变更：待保存的策略会让在办事项今后 N 天的提醒有何不同（新增、取消、改期，含夜间和节假日顺延），不保存',
  })
  @ApiOkResponse({ type: [ItemReminderChangesView] })
  async previewChanges(@Body() dto: PreviewChangesDto): Promise<ItemReminderChangesView[]> {
    const candidate = this.policies.check({ ...dto.policy, version: (dto.policy.version ?? 0) || 0 });
    const itemIds = dto.number ? [(await this.queries.load(dto.number)).id] : undefined;
    const items = await this.scheduler.previewChanges({ candidate, itemIds, from: this.clock.now(), days: dto.days ?? 14 });
    return items.map(({ item, policyBefore, policyAfter, changes }) => ({
      number: item.number,
      title: item.title,
      policyBefore,
      policyAfter,
      changes: changes.map((c) => ({
        change: CHANGE_LABELS[c.change],
        what: KIND_LABELS[c.kind],
        to: AUDIENCE_LABELS[c.audience],
        kind: c.kind,
        rule: c.rule,
        audience: c.audience,
        ...(c.before ? { before: timingView(c.before) } : {}),
        ...(c.after ? { after: timingView(c.after) } : {}),
      })),
    }));
  }
}
