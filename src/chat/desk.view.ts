import { ApiProperty } from '@nestjs/swagger';

const LIGHT_ENUM = ['green', 'yellow', 'red', 'done'];
type Light = 'green' | 'yellow' | 'red' | 'done';

/** One item on the desk, with what waits on the reader for it. */
export class DeskItem {
  @ApiProperty({ description: '事项编号' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ description: '状态名称' }) stateLabel!: string;
  @ApiProperty({ enum: LIGHT_ENUM, description: '预警灯' }) light!: Light;
  @ApiProperty({ type: String, nullable: true, description: '办理期限（北京时间）' }) deadline!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '主办单位' }) leadUnitName!: string | null;
  @ApiProperty({ description: '重点督办' }) keySupervision!: boolean;
  @ApiProperty({ description: '等待办理的事，或事项的情况，如「待签收」「逾期2天未反馈」' }) note!: string;
}

export class DeskList {
  @ApiProperty({ description: '共多少项' }) total!: number;
  @ApiProperty({ type: [DeskItem], description: '最紧的几项' }) items!: DeskItem[];
}

export class DeskLights {
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
  @ApiProperty() done!: number;
}

export class DeskUnitCount {
  @ApiProperty() unitId!: number;
  @ApiProperty({ description: '主办单位' }) unitName!: string;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
  @ApiProperty() done!: number;
}

export class DeskSourceCount {
  @ApiProperty() source!: string;
  @ApiProperty({ description: '来源名称' }) label!: string;
  @ApiProperty() count!: number;
}

/** 工作台: what waits on the reader, by their roles, and the picture of everything they may see (P4). */
export class DeskView {
  @ApiProperty({ description: '生成时间（北京时间）' }) generatedAt!: string;
  @ApiProperty({ description: '本周结束（下周一零时，北京时间）' }) weekEndsAt!: string;
  @ApiProperty({ enum: ['unit', 'owner', 'leader', 'supervisor'], isArray: true, description: '读者在事项中的身份' })
  roles!: ('unit' | 'owner' | 'leader' | 'supervisor')[];
  @ApiProperty({ type: DeskLights, description: '可见事项按预警灯计数' }) lights!: DeskLights;
  @ApiProperty({ type: [DeskItem], description: '已立项、待交办（督查室可见的全部，立项主体本科室的）' }) toAssign!: DeskItem[];
  @ApiProperty({ type: [DeskItem], description: '本单位待签收' }) toSign!: DeskItem[];
  @ApiProperty({ type: [DeskItem], description: '本单位主办、办理中，需按期反馈' }) toReport!: DeskItem[];
  @ApiProperty({ type: [DeskItem], description: '办结申请待立项主体评定' }) toRate!: DeskItem[];
  @ApiProperty({ type: [DeskItem], description: '待分管领导审定' }) toApprove!: DeskItem[];
  @ApiProperty({ type: [DeskItem], description: '延期申请待立项主体审批' }) extensions!: DeskItem[];
  @ApiProperty({ type: DeskList, description: '本周到期' }) dueThisWeek!: DeskList;
  @ApiProperty({ type: DeskList, description: '逾期未反馈（红灯）' }) overdue!: DeskList;
  @ApiProperty({ type: DeskList, description: '重点督办' }) keySupervision!: DeskList;
  @ApiProperty({ type: [DeskUnitCount], description: '按主办单位、预警灯计数' }) byUnit!: DeskUnitCount[];
  @ApiProperty({ type: [DeskSourceCount], description: '按来源计数' }) bySource!: DeskSourceCount[];
}
