import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** 挂图作战 shows the boards of the key work (C1: 重点工作, 重大改革), one or both. */
export const WALL_BOARDS = ['key_task', 'reform', 'all'] as const;
export type WallBoard = (typeof WALL_BOARDS)[number];

export class WallQuery {
  @ApiPropertyOptional({ description: '版块：key_task 重点工作（默认）、reform 重大改革、all 两者', enum: WALL_BOARDS })
  @IsOptional()
  @IsIn(WALL_BOARDS)
  board?: WallBoard;
}

const LIGHT_ENUM = ['green', 'yellow', 'red', 'done'];

export class WallUnit {
  @ApiProperty() id!: number;
  @ApiProperty({ description: '单位名称' }) name!: string;
}

export class WallTask {
  @ApiProperty({ description: '事项编号' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: '版块名称' }) boardLabel!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ description: '状态名称' }) stateLabel!: string;
  @ApiProperty({ enum: LIGHT_ENUM, description: '预警灯' }) light!: 'green' | 'yellow' | 'red' | 'done';
  @ApiProperty({ type: String, nullable: true, description: '办理期限（北京时间）' }) deadline!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '最近一次反馈时间' }) lastReportAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '主办单位' }) leadUnitName!: string | null;
  @ApiProperty({ description: '重点督办' }) keySupervision!: boolean;
}

/** One cell: how one unit stands on one task. */
export class WallCell {
  @ApiProperty() unitId!: number;
  @ApiProperty({ description: '事项编号' }) number!: string;
  @ApiProperty({ enum: ['lead', 'co'], description: 'lead 主办、co 协办' }) role!: 'lead' | 'co';
  @ApiProperty({ type: String, nullable: true, description: '签收时间' }) signedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '本单位最近一次反馈时间' }) lastReportAt!: string | null;
}

export class WallView {
  @ApiProperty({ enum: WALL_BOARDS }) board!: WallBoard;
  @ApiProperty({ description: '图的标题' }) title!: string;
  @ApiProperty({ description: '生成时间（北京时间）' }) generatedAt!: string;
  @ApiProperty({ type: [WallUnit], description: '承办单位（行）' }) units!: WallUnit[];
  @ApiProperty({ type: [WallTask], description: '任务（列），按编号' }) tasks!: WallTask[];
  @ApiProperty({ type: [WallCell], description: '单位 × 任务：有承办关系的格子' }) cells!: WallCell[];
}
