import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { BOARDS, ITEM_KINDS, SOURCES } from '../shared/vocabulary';

/*
 * A reminder policy as OpenAPI describes it (issue 15: the console's types come from web/src/api.gen.ts). One shape for
 * both layers (reminder.policy.ts: a whole policy, or an add-on with fixed report dates only); it only describes the rows
 * ReminderPolicyService returns.
 */

export class PolicyScopeView {
  @ApiPropertyOptional({ enum: Object.keys(BOARDS), isArray: true, description: '适用的版块' }) boards?: (keyof typeof BOARDS)[];
  @ApiPropertyOptional({ enum: Object.keys(SOURCES), isArray: true, description: '适用的来源' }) sources?: (keyof typeof SOURCES)[];
  @ApiPropertyOptional({ enum: Object.keys(ITEM_KINDS).filter((k) => k !== 'task'), isArray: true, description: '适用的事项类型（整改通知、无固定时限事项）' })
  kinds?: Exclude<keyof typeof ITEM_KINDS, 'task'>[];
}

export class HoursView {
  @ApiProperty() hours!: number;
}

export class CadenceStepView {
  @ApiProperty({ description: '逾期到这么多小时为止' }) untilHours!: number;
  @ApiProperty({ description: '每隔这么多小时催办一次' }) everyHours!: number;
}

export class MonthEndReportView {
  @ApiProperty({ type: [String], description: '下月初每日催报的时刻' }) urgeAt!: string[];
  @ApiProperty({ description: '连续催报的天数' }) urgeDays!: number;
  @ApiProperty({ description: '超过这么多天未报交督查室' }) escalateAfterDays!: number;
}

export class FixedDateView {
  @ApiProperty({ type: [Number], description: '月份' }) months!: number[];
  @ApiProperty({ description: '日' }) day!: number;
}

export class MonthlyDatesView {
  @ApiProperty({ type: [Number], description: '每月的这些日子' }) monthly!: number[];
}

export class QuietHoursView {
  @ApiProperty({ example: '22:00' }) start!: string;
  @ApiProperty({ example: '08:00' }) end!: string;
}

export class FollowUpView {
  @ApiProperty({ example: '09:00' }) at!: string;
  @ApiProperty() everyWorkingDays!: number;
}

export class DecisionRemindersView {
  @ApiProperty() afterWorkingDays!: number;
  @ApiProperty() everyWorkingDays!: number;
  @ApiProperty({ example: '09:00' }) at!: string;
}

/** R1–R10: a reminder policy version (an add-on carries only its scope and fixed report dates). */
export class PolicyView {
  @ApiProperty({ example: 'daily' }) id!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ enum: ['base', 'add_on'], description: 'base 完整策略（不写即是），add_on 在事项本身的提醒之外另加报送日期' })
  layer?: 'base' | 'add_on';
  @ApiProperty({ type: PolicyScopeView }) appliesTo!: PolicyScopeView;
  @ApiPropertyOptional({ type: [HoursView], description: '截止前几小时提醒' }) beforeDeadline?: HoursView[];
  @ApiPropertyOptional({ type: [HoursView], description: '逾期后几小时提醒' }) afterDeadline?: HoursView[];
  @ApiPropertyOptional({ type: [CadenceStepView], description: '逾期催办频次' }) overdueCadence?: CadenceStepView[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: '逾期这么多小时报请分管领导' }) escalateToLeaderAfterHours?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '逾期这么多小时转入重点督办' }) keySupervisionAfterHours?: number | null;
  @ApiPropertyOptional({ description: '办理期超过这么多天的每周提醒（0 为一律每周）' }) weeklyWhenLongerThanDays?: number;
  @ApiPropertyOptional({ type: MonthEndReportView, description: '逐月反馈' }) monthEndReport?: MonthEndReportView;
  @ApiPropertyOptional({ description: '季度小结' }) quarterlySummary?: boolean;
  @ApiPropertyOptional({
    description: '固定报送日期：每年某几个月的某日，或每月的某几日',
    oneOf: [{ type: 'array', items: { $ref: getSchemaPath(FixedDateView) } }, { $ref: getSchemaPath(MonthlyDatesView) }],
  })
  fixedReportDates?: FixedDateView[] | MonthlyDatesView;
  @ApiPropertyOptional({ description: '整改时限（小时）' }) rectificationHours?: number;
  @ApiPropertyOptional({ example: '12:00', description: '整改报送截止时刻' }) rectificationReportBy?: string;
  @ApiPropertyOptional({ example: '09:00', description: '按日期发送的提醒的时刻' }) notifyAt?: string;
  @ApiPropertyOptional({ type: QuietHoursView, description: '夜间免打扰' }) quietHours?: QuietHoursView;
  @ApiPropertyOptional({ enum: ['working', 'calendar'], description: '逾期时长按工作时间还是自然时间计' }) overdueClock?: 'working' | 'calendar';
  @ApiPropertyOptional({ description: '周末和节假日不发提醒' }) quietDays?: boolean;
  @ApiPropertyOptional({ type: FollowUpView, nullable: true, description: '催办频次用完后的持续催办' }) overdueFollowUp?: FollowUpView | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '每群每日最多几条提醒' }) maxUrgesPerDay?: number | null;
  @ApiPropertyOptional({ type: DecisionRemindersView, nullable: true, description: '待立项主体或领导决定的提醒' })
  decisionReminders?: DecisionRemindersView | null;
}

export class PolicyVersionView {
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, nullable: true, description: '保存时间（北京时间）；系统默认版本为空' }) savedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '保存人；系统默认版本为空' }) savedBy!: string | null;
  @ApiProperty({ type: PolicyView }) policy!: PolicyView;
}
