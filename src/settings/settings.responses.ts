import { ApiProperty } from '@nestjs/swagger';
import { DAY_COUNTS, NODE_UNITS, TIME_NODES } from './deadline-policy';

/*
 * The settings' answers as OpenAPI describes them (issue 15: the console's types come from web/src/api.gen.ts); they only
 * describe what SettingsService returns.
 */

export class NodeLengthView {
  @ApiProperty() n!: number;
  @ApiProperty({ enum: [...NODE_UNITS], description: 'working_day 工作日，calendar_day 自然日，month 月' }) unit!: (typeof NODE_UNITS)[number];
}

type TimeNode = (typeof TIME_NODES)[number];

/** The default time node of each board. */
export class BoardNodesView {
  @ApiProperty({ enum: [...TIME_NODES], description: '日常管理' }) daily!: TimeNode;
  @ApiProperty({ enum: [...TIME_NODES], description: '重点工作' }) key_task!: TimeNode;
  @ApiProperty({ enum: [...TIME_NODES], description: '重大改革' }) reform!: TimeNode;
  @ApiProperty({ enum: [...TIME_NODES], description: '持续跟进' }) ongoing!: TimeNode;
}

/** What each time node means. */
export class NodeLengthsView {
  @ApiProperty({ type: NodeLengthView }) '1d'!: NodeLengthView;
  @ApiProperty({ type: NodeLengthView }) '3d'!: NodeLengthView;
  @ApiProperty({ type: NodeLengthView }) '7d'!: NodeLengthView;
  @ApiProperty({ type: NodeLengthView }) '1m'!: NodeLengthView;
}

/** C3, E1, E2: the deadline policy (settings key `deadline`). */
export class DeadlinePolicyView {
  @ApiProperty({ type: BoardNodesView, description: '各版块默认时间节点' }) defaultNodeByBoard!: BoardNodesView;
  @ApiProperty({ type: NodeLengthsView, description: '各时间节点的长度（自立项次日起算）' }) nodes!: NodeLengthsView;
  @ApiProperty({ description: '专项督查默认工作日数' }) specialWorkingDays!: number;
  @ApiProperty({ example: '18:00', description: '下班时间（期限到期时刻）' }) dayEnd!: string;
  @ApiProperty({ description: '专项督查期限上限（月）' }) specialCeilingMonths!: number;
  @ApiProperty({ description: '期限超过这个月数须写明理由' }) reasonBeyondMonths!: number;
  @ApiProperty({ description: '延期须在期限前至少这么多天申请' }) extensionMinDaysBefore!: number;
  @ApiProperty({ enum: [...DAY_COUNTS] }) extensionDaysUnit!: (typeof DAY_COUNTS)[number];
  @ApiProperty({ description: '延期后立项这么多天内仍办不完的转入持续跟进' }) ongoingAfterDays!: number;
  @ApiProperty({ description: '重点工作、重大改革延期超过立项后这么多个月转为持续推进' }) keyTaskOngoingAfterMonths!: number;
  @ApiProperty({ description: '12月最后几个工作日提示年底清零（0 为不提示）' }) yearEndCheckWorkingDays!: number;
}

export class SettingView {
  @ApiProperty({ enum: ['deadline'] }) key!: 'deadline';
  @ApiProperty({ type: DeadlinePolicyView }) value!: DeadlinePolicyView;
  @ApiProperty({ description: '保存的版本（0 为系统默认）' }) version!: number;
}
