import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { ItemQueriesService } from '../cases/item-queries.service';
import { Clock } from '../shared/clock';
import { toShanghaiIso } from '../shared/shanghai-time';
import { ReminderPolicyService } from './reminder-policy.service';
import { ReminderScheduler } from './reminder-scheduler.service';
import type { PolicyRow } from './reminder.policy';

class PreviewDto {
  @ApiPropertyOptional({ description: '待保存的策略（不传则用现行策略）' }) @IsOptional() @IsObject() policy?: PolicyRow;
  @ApiPropertyOptional({ description: '只看这一事项；不传则看全部在办事项' }) @IsOptional() @IsString() number?: string;
  @ApiPropertyOptional({ default: 7 }) @IsOptional() @IsInt() @Min(1) @Max(90) days?: number;
}

/** Issue 6 §1 and §5: reminder policies as versioned data, and a preview before a change is saved. */
@ApiTags('reminders 提醒策略')
@ApiBearerAuth()
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
  current() {
    return this.policies.current();
  }

  @Get(':id/versions') versions(@Param('id') id: string) {
    return this.policies.versions(id);
  }

  @Put(':id')
  @RequireRoles('admin')
  @ApiOperation({ summary: '保存策略的新版本（旧版本保留）' })
  @ApiBody({ schema: { type: 'object' } })
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
    return rows.map((r) => ({ ...r, plannedAt: toShanghaiIso(r.plannedAt), sendAt: toShanghaiIso(r.sendAt) }));
  }
}
