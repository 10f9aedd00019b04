import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TIME_NODES, TimeNode } from '../deadline.rules';
import { TEXT_LIMITS } from '../text-limits';
import { TRAFFIC_LIGHTS, type TrafficLight } from '../item.view';
import { URGE_METHOD_CODES, URGE_METHODS } from '../urging.rules';
import { BOARDS, Board, CATEGORIES, Category, ITEM_KINDS, ITEM_STATES, ItemKind, ItemState, RATINGS, Rating, SOURCES, Source } from '../../shared/vocabulary';

const keys = (o: object) => Object.keys(o);

/** C3: exactly one of deadlineNode, deadlineDate, workingDays — or none for the board's default. */
class DeadlineFields {
  @ApiPropertyOptional({ enum: TIME_NODES, description: 'C3 时间节点（自立项起算）' })
  @IsOptional()
  @IsIn(TIME_NODES)
  deadlineNode?: TimeNode;

  @ApiPropertyOptional({ example: '2026-12-10', description: '截止日期（北京时间当天下班时间到期）' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  deadlineDate?: string;

  @ApiPropertyOptional({ example: 10, description: 'N 个工作日（按法定节假日与调休计算）' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250)
  workingDays?: number;

  @ApiPropertyOptional({ description: '期限超过一个月时必填的理由；专项督查超过一个月的，由督查室填写，作为例外记录在案' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  deadlineReason?: string;
}

export class RegisterItemDto extends DeadlineFields {
  @ApiProperty({ example: '推进老旧小区改造' }) @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty({ example: '按市政府常务会议纪要要求……' }) @IsString() @IsNotEmpty() @MaxLength(16000) content!: string;
  @ApiProperty({
    enum: keys(SOURCES),
    description: Object.entries(SOURCES)
      .map(([k, v]) => `${k}=${v}`)
      .join('，'),
  })
  @IsIn(keys(SOURCES))
  source!: Source;
  @ApiPropertyOptional({ description: '纪要/批示件号' }) @IsOptional() @IsString() @MaxLength(100) sourceRef?: string;
  @ApiPropertyOptional({ enum: keys(BOARDS), default: 'daily' }) @IsOptional() @IsIn(keys(BOARDS)) board?: Board;
  @ApiPropertyOptional({ enum: keys(CATEGORIES), default: 'decision' }) @IsOptional() @IsIn(keys(CATEGORIES)) category?: Category;
  @ApiPropertyOptional({
    enum: keys(ITEM_KINDS),
    default: 'task',
    description:
      'task=督办事项；rectification=整改通知（期限按规则：下达次日起2个工作日，第3个工作日12:00前报送）；' +
      'open_ended=无固定时限事项（不填期限，适时报告进展，年底前报送书面综合报告）',
  })
  @IsOptional()
  @IsIn(keys(ITEM_KINDS))
  kind?: ItemKind;
  @ApiPropertyOptional({ description: '默认为登记人' }) @IsOptional() @IsInt() ownerId?: number;
  @ApiProperty() @IsInt() leaderId!: number;
  @ApiProperty() @IsInt() leadUnitId!: number;
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsInt({ each: true }) coUnitIds?: number[];
  @ApiPropertyOptional({ description: 'D1 服务对象' }) @IsOptional() @IsString() @MaxLength(100) servedParty?: string;
  @ApiPropertyOptional({ description: '涉密事项——为 true 时拒绝登记' }) @IsOptional() @IsBoolean() classified?: boolean;
  @ApiPropertyOptional({ description: '存为草稿，稍后提交立项' }) @IsOptional() @IsBoolean() draft?: boolean;
}

/** Issue 15: the 立项 form asks what the deadline would be before saving. */
export class DeadlinePreviewDto extends DeadlineFields {
  @ApiPropertyOptional({ enum: keys(BOARDS), default: 'daily' }) @IsOptional() @IsIn(keys(BOARDS)) board?: Board;
  @ApiPropertyOptional({ enum: keys(CATEGORIES), default: 'decision' }) @IsOptional() @IsIn(keys(CATEGORIES)) category?: Category;
  @ApiPropertyOptional({ enum: keys(ITEM_KINDS), default: 'task' }) @IsOptional() @IsIn(keys(ITEM_KINDS)) kind?: ItemKind;
}

export class ChildItemDto extends DeadlineFields {
  @ApiProperty() @IsInt() unitId!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16000) content?: string;
}

export class DecomposeDto {
  @ApiProperty({ type: [ChildItemDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ChildItemDto)
  children!: ChildItemDto[];
}

export class ReportDto {
  @ApiProperty({ example: '已完成初稿，正在征求意见' }) @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.report.max) content!: string;
}

/** P2, P4 (issue 13): the 督查室 changes who owns, approves and handles an open item; only the fields given change. */
export class ReassignDto {
  @ApiPropertyOptional({ description: '新的立项主体（持立项主体或督查员角色的人员编号）；其所在科室随之成为立项主体' }) @IsOptional() @IsInt() ownerId?: number;
  @ApiPropertyOptional({ description: '新的分管领导（审定人）' }) @IsOptional() @IsInt() leaderId?: number;
  @ApiPropertyOptional({ description: '新的主办单位' }) @IsOptional() @IsInt() leadUnitId?: number;
  @ApiPropertyOptional({ type: [Number], description: '新的协办单位（整体替换；不填则不变）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  coUnitIds?: number[];
  @ApiProperty({ description: '调整理由（记入一事一卷）' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class ExtensionRequestDto {
  @ApiProperty({ example: '2026-12-20T18:00:00+08:00' }) @IsDateString() newDeadline!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
  @ApiProperty({ description: 'E1 落实方案' }) @IsString() @IsNotEmpty() @MaxLength(5000) plan!: string;
}

export class DecisionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class ClosureRequestDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.closureSummary.max) summary!: string;
  @ApiPropertyOptional({ description: '服务对象是否同意（事项有服务对象时必填）' }) @IsOptional() @IsBoolean() servedPartyAgreed?: boolean;
}

export class VerifyDto {
  @ApiProperty({ enum: ['expert_review', 'public_evaluation'] }) @IsIn(['expert_review', 'public_evaluation']) method!: 'expert_review' | 'public_evaluation';
  @ApiProperty() @IsBoolean() passed!: boolean;
  @ApiProperty() @IsString() @MaxLength(2000) note!: string;
}

export class RateDto {
  @ApiProperty({
    enum: keys(RATINGS),
    description: Object.entries(RATINGS)
      .map(([k, v]) => `${k}=${v}`)
      .join('，'),
  })
  @IsIn(keys(RATINGS))
  rating!: Rating;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.ratingComment.max) comment?: string;
}

/** R5: a 催办 by hand (000 §8.3, 001 §13). */
export class UrgingDto {
  @ApiProperty({
    enum: [...URGE_METHOD_CODES, ...Object.values(URGE_METHODS)],
    description: `催办方式：${URGE_METHOD_CODES.map((m) => `${m}=${URGE_METHODS[m]}`).join('，')}（也可直接写中文名称）`,
  })
  // The refusal lists the Chinese names only (validation.ts reads the values after "following values:").
  @IsIn([...URGE_METHOD_CODES, ...Object.values(URGE_METHODS)], {
    message: `$property must be one of the following values: ${Object.values(URGE_METHODS).join('、')}`,
  })
  method!: string;
  @ApiProperty({ example: '对方表示周五前报送整改方案', description: '催办记录：通话情况、现场情况、函询事项、约谈要求或整改要求' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.urgingRecord.max)
  record!: string;
  @ApiPropertyOptional({ example: '市发改委办公室陈主任', description: '致电或约谈的对象（电话催办、约谈必填）' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contact?: string;
  @ApiPropertyOptional({
    example: '2026-03-10',
    description: '限期整改的期限（仅限期整改必填）：日期为当天下班时间到期，休息日顺延到下一个工作日；也可写工作日的具体时间',
  })
  @IsOptional()
  @IsDateString()
  newLimit?: string;
}

/** R5: 重点督办 set or cleared by the 督查室 (001 §14, 003 二(三)). */
export class KeySupervisionDto {
  @ApiProperty({ description: 'true=列为重点督办，false=取消重点督办' }) @IsBoolean() on!: boolean;
  @ApiProperty({ example: '经催办仍进展缓慢' }) @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.keySupervisionReason.max) reason!: string;
  @ApiPropertyOptional({ example: '市政府分管副秘书长', description: '按哪位领导的要求（列入时可填）' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  requestedBy?: string;
}

export class ItemListQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2147483647) unitId?: number;
  @ApiPropertyOptional({ enum: keys(SOURCES) }) @IsOptional() @IsIn(keys(SOURCES)) source?: Source;
  @ApiPropertyOptional({ enum: keys(BOARDS) }) @IsOptional() @IsIn(keys(BOARDS)) board?: Board;
  @ApiPropertyOptional({ enum: ITEM_STATES }) @IsOptional() @IsIn(ITEM_STATES) state?: ItemState;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
  /** B3: the 台账's traffic light (the console's 灯 filter). */
  @ApiPropertyOptional({ enum: TRAFFIC_LIGHTS, description: '预警灯：green 绿灯、yellow 黄灯、red 红灯、done 已办结' })
  @IsOptional()
  @IsIn(TRAFFIC_LIGHTS)
  light?: TrafficLight;
  @ApiPropertyOptional({ description: '编号（可部分）' }) @IsOptional() @IsString() @MaxLength(32) number?: string;
  @ApiPropertyOptional({ description: '关键词：标题或编号中含有的文字' }) @IsOptional() @IsString() @MaxLength(50) keyword?: string;
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) registeredFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: '含当天' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) registeredTo?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}
