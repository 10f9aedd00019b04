import { ApiProperty } from '@nestjs/swagger';

/*
 * The calendar's answers as OpenAPI describes them (issue 15: the console's types come from web/src/api.gen.ts); they
 * only describe what CalendarService returns.
 */

const KINDS = ['workday', 'restday'];

export class SpecialDayView {
  @ApiProperty({ example: '2026-10-01' }) date!: string;
  @ApiProperty({ enum: KINDS, description: 'workday 上班，restday 放假' }) kind!: 'workday' | 'restday';
  @ApiProperty({ type: String, nullable: true, description: '节日名称（官方数据）' }) name!: string | null;
  @ApiProperty({ enum: ['official', 'override'], description: 'official 官方放假通知，override 管理员调整' }) source!: 'official' | 'override';
  @ApiProperty({ enum: KINDS, nullable: true, description: '官方安排（被调整前）' }) officialKind!: 'workday' | 'restday' | null;
  @ApiProperty({ description: '调整说明' }) note!: string;
}

export class YearDaysView {
  @ApiProperty() year!: number;
  @ApiProperty({ description: '系统自带的官方节假日数据是否含这一年' }) officialCovered!: boolean;
  @ApiProperty({ description: '这一年是否已有节假日安排（官方数据或管理员录入）' }) covered!: boolean;
  @ApiProperty({ type: [SpecialDayView], description: '与平常（周一至周五上班）不同的日子' }) days!: SpecialDayView[];
}

export class OverrideView {
  @ApiProperty({ example: '2027-02-10' }) date!: string;
  @ApiProperty({ enum: KINDS }) kind!: 'workday' | 'restday';
  @ApiProperty() note!: string;
  @ApiProperty({ description: '设置时间（ISO，UTC）' }) createdAt!: string;
}

export class YearCoverageView {
  @ApiProperty() year!: number;
  @ApiProperty({ description: '官方节假日数据是否含这一年' }) covered!: boolean;
}
