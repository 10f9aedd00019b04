import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '../shared/actor';
import { CurrentActor, RequireRoles } from '../auth/auth.guard';
import { Clock } from '../shared/clock';
import { invalid } from '../shared/errors';
import { shanghaiInstant, shanghaiYear } from '../shared/shanghai-time';
import { ScoringService } from './scoring.service';

class ManualScoreDto {
  @ApiProperty({ enum: ['S4', 'S9', 'S10'], description: 'S4 表彰；S9 督查发现问题；S10 阻挠督查或迟报材料' }) @IsIn(['S4', 'S9', 'S10']) rule!:
    'S4' | 'S9' | 'S10';
  @ApiProperty({ description: '理由（必填，写入积分明细）' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
  @ApiPropertyOptional({ description: '单位（S4、S10 必填）' }) @IsOptional() @IsInt() unitId?: number;
  @ApiPropertyOptional({ description: '事项编号（S9 必填）' }) @IsOptional() @IsString() @MaxLength(32) itemNumber?: string;
  @ApiPropertyOptional({ enum: ['lead', 'co'], description: '主办或协办' }) @IsOptional() @IsIn(['lead', 'co']) unitRole?: 'lead' | 'co';
  @ApiPropertyOptional({ description: '造成问题的协办单位' }) @IsOptional() @IsInt() causedByUnitId?: number;
  @ApiPropertyOptional({ description: '协办单位原因时主办单位扣分（0 到 −3）' }) @IsOptional() @IsNumber() leadPoints?: number;
  @ApiPropertyOptional({ enum: ['obstruction', 'late_material'], description: '阻挠督查或迟报材料' })
  @IsOptional()
  @IsIn(['obstruction', 'late_material'])
  kind?: 'obstruction' | 'late_material';
  @ApiPropertyOptional({ description: 'S10 迟报天数' }) @IsOptional() @IsInt() @Min(1) @Max(365) days?: number;
  @ApiPropertyOptional({ description: '发生日期 YYYY-MM-DD（默认今天）' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) date?: string;
}

/** Issue 7 §1: the 激励积分 ledger over the API — ranking, a unit's lines, manual entries, S3, the table, the recompute. */
@ApiTags('scores 激励积分')
@ApiBearerAuth()
@Controller('api')
export class ScoringController {
  constructor(
    private readonly scoring: ScoringService,
    private readonly clock: Clock,
  ) {}

  private year(y?: string): number {
    if (y === undefined || y === '') return shanghaiYear(this.clock.now());
    if (!/^\d{4}$/.test(y)) throw invalid('SCORE.BAD_YEAR', `年份「${y}」无效，请写四位数字，例如 2026。`, { field: 'year' });
    return Number(y);
  }

  @Get('scores')
  @RequireRoles('admin', 'supervisor', 'leader', 'owner')
  @ApiOperation({ summary: '年度积分排名（基准分 + 明细合计；并列同名次）' })
  ranking(@Query('year') year?: string) {
    return this.scoring.ranking(this.year(year));
  }

  @Get('scores/units/:unitId')
  @ApiOperation({ summary: '某单位的积分与每一条加减分明细（承办单位只能看本单位）' })
  explain(@Param('unitId', ParseIntPipe) unitId: number, @CurrentActor() actor: Actor, @Query('year') year?: string) {
    return this.scoring.explain(unitId, this.year(year), actor);
  }

  @Post('scores/manual')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '督查室手工加减分：S4 表彰、S9 督查发现问题、S10 阻挠督查/迟报材料' })
  manual(@Body() dto: ManualScoreDto, @CurrentActor() actor: Actor) {
    const { date, ...entry } = dto;
    return this.scoring.manual({ ...entry, at: date ? shanghaiInstant(date, '12:00') : undefined }, actor);
  }

  @Post('scores/quarters/:year/:quarter/close')
  @HttpCode(200)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: 'S3 季度结算：本季度时限节点均无需催办的单位 +5（可重复调用，不重复加分）' })
  close(@Param('year', ParseIntPipe) year: number, @Param('quarter', ParseIntPipe) quarter: number) {
    if (![1, 2, 3, 4].includes(quarter)) throw invalid('SCORE.BAD_QUARTER', '季度须为 1–4。', { field: 'quarter' });
    return this.scoring.closeQuarter(year, quarter as 1 | 2 | 3 | 4);
  }

  @Get('scores/recompute')
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({ summary: '从时间线重算全年积分，与台账逐条核对' })
  recompute(@Query('year') year?: string) {
    return this.scoring.recompute(this.year(year));
  }

  @Get('score-table')
  @ApiOperation({ summary: '现行积分规则表（S1–S11）' })
  table() {
    return this.scoring.table();
  }

  @Get('score-table/versions') versions() {
    return this.scoring.tableVersions();
  }

  @Put('score-table')
  @RequireRoles('admin')
  @ApiBody({ schema: { type: 'object' } })
  @ApiOperation({ summary: '保存积分规则表的新版本（此后发生的事件按新版本计分）' })
  save(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.scoring.saveTable(body, actor.personId);
  }
}
