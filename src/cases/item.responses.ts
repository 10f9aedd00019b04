import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BOARDS, CATEGORIES, ITEM_STATES, RATINGS, SOURCES } from '../shared/vocabulary';
import { OFFERED_ACTIONS } from './item-actions.rules';
import { TRAFFIC_LIGHTS } from './item.view';

/*
 * The item's answers as OpenAPI describes them (issue 15: the console's types come from web/src/api.gen.ts). These classes
 * only describe what itemView, eventView and the actions computation already return; nothing here changes an answer.
 */

const REQUEST_KINDS = ['extension', 'closure', 'verification'];
const REQUEST_STATUSES = ['pending', 'approved', 'refused', 'returned', 'withdrawn', 'failed_agreement', 'passed', 'failed'];
const CHANNELS = ['api', 'dingtalk', 'wecom', 'system', 'import'];

export class RefView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
}

export class ItemUnitView extends RefView {
  @ApiProperty({ type: String, nullable: true, description: '签收时间（北京时间）；未签收为空' }) signedAt!: string | null;
}

/** One item as the API shows it: labels in Chinese, instants in +08:00 (itemView). */
export class ItemFactsView {
  @ApiProperty({ example: 'DB2026-0001' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: '办理要求' }) content!: string;
  @ApiProperty({ enum: Object.keys(SOURCES) }) source!: keyof typeof SOURCES;
  @ApiProperty({ description: '来源名称' }) sourceLabel!: string;
  @ApiProperty({ type: String, nullable: true, description: '来源文号或出处' }) sourceRef!: string | null;
  @ApiProperty({ enum: Object.keys(BOARDS) }) board!: keyof typeof BOARDS;
  @ApiProperty({ description: '版块名称' }) boardLabel!: string;
  @ApiProperty({ enum: Object.keys(CATEGORIES) }) category!: keyof typeof CATEGORIES;
  @ApiProperty({ description: '类别名称' }) categoryLabel!: string;
  @ApiProperty({ enum: [...ITEM_STATES] }) state!: (typeof ITEM_STATES)[number];
  @ApiProperty({ description: '状态名称' }) stateLabel!: string;
  @ApiProperty({ type: RefView, nullable: true, description: '立项主体（人）' }) owner!: RefView | null;
  @ApiProperty({ type: RefView, nullable: true, description: '立项主体（科室）' }) ownerOffice!: RefView | null;
  @ApiProperty({ type: RefView, nullable: true, description: '分管领导' }) leader!: RefView | null;
  @ApiProperty({ type: ItemUnitView, nullable: true, description: '主办单位' }) leadUnit!: ItemUnitView | null;
  @ApiProperty({ type: [ItemUnitView], description: '协办单位' }) coUnits!: ItemUnitView[];
  @ApiProperty({ type: String, nullable: true, description: '办理期限（北京时间）' }) deadline!: string | null;
  @ApiProperty({ description: '期限如何给出：7d、date:2026-12-10、wd:10' }) deadlineSpec!: string;
  @ApiProperty({ type: String, nullable: true, description: '期限说明' }) deadlineReason!: string | null;
  @ApiProperty({ description: '承办单位逾期未反馈（红灯）' }) overdue!: boolean;
  @ApiProperty({ enum: [...TRAFFIC_LIGHTS], description: '预警灯' }) light!: (typeof TRAFFIC_LIGHTS)[number];
  @ApiProperty({ description: '重点督办' }) keySupervision!: boolean;
  @ApiProperty({ type: String, nullable: true, description: '服务对象' }) servedParty!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '上级事项编号（分解立项的子事项）' }) parentNumber!: string | null;
  @ApiProperty({ description: '已分解立项' }) decomposed!: boolean;
  @ApiProperty({ description: '被退回的次数' }) returnCount!: number;
  @ApiProperty({ description: '服务对象不同意办结的次数' }) failedClosureAttempts!: number;
  @ApiProperty({ enum: Object.keys(RATINGS), nullable: true }) rating!: keyof typeof RATINGS | null;
  @ApiProperty({ type: String, nullable: true, description: '评定等次名称' }) ratingLabel!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '立项时间（北京时间）' }) registeredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '交办时间（北京时间）' }) assignedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '办结时间（北京时间）' }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '编号作废时间（北京时间）' }) numberRetiredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '归档时间（北京时间）' }) archivedAt!: string | null;
}

/** F1/F2: a progress report as stored (times in UTC ISO). */
export class ReportView {
  @ApiProperty() id!: number;
  @ApiProperty() itemId!: number;
  @ApiProperty() unitId!: number;
  @ApiProperty() authorId!: number;
  @ApiProperty() content!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ description: '报送时间（ISO，UTC）' }) submittedAt!: string;
  @ApiProperty({ enum: ['submitted', 'returned'] }) status!: 'submitted' | 'returned';
  @ApiProperty({ type: String, nullable: true }) returnedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) returnedById!: number | null;
  @ApiProperty({ type: String, nullable: true, description: '退回理由' }) returnReason!: string | null;
}

/** E1 extension, D1 closure and verification requests as stored (times in UTC ISO). */
export class ItemRequestView {
  @ApiProperty() id!: number;
  @ApiProperty() itemId!: number;
  @ApiProperty({ enum: REQUEST_KINDS }) kind!: 'extension' | 'closure' | 'verification';
  @ApiProperty({ enum: REQUEST_STATUSES }) status!: string;
  @ApiProperty() requestedById!: number;
  @ApiProperty({ description: '申请时间（ISO，UTC）' }) requestedAt!: string;
  @ApiProperty({ description: '理由或办结情况' }) text!: string;
  @ApiProperty({ type: String, nullable: true, description: '延期后的工作计划' }) plan!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '申请延至（ISO，UTC）' }) proposedDeadline!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: '服务对象是否同意' }) servedPartyAgreed!: boolean | null;
  @ApiProperty({ type: String, nullable: true, description: '核验方式' }) method!: string | null;
  @ApiProperty({ type: Number, nullable: true }) decidedById!: number | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '审批或评定意见' }) decisionNote!: string | null;
}

export class ItemDetailView extends ItemFactsView {
  @ApiProperty({ type: [ReportView], description: '进展反馈' }) reports!: ReportView[];
  @ApiProperty({ type: [ItemRequestView], description: '延期、办结与核验申请' }) requests!: ItemRequestView[];
  @ApiProperty({ type: [String], description: '分解出的子事项编号（读者可见的）' }) children!: string[];
}

/** C1–C3: the item just registered, and what the 督查室 should know about its deadline (C3's postponement). */
export class RegisteredItemView extends ItemDetailView {
  @ApiPropertyOptional({ type: [String], description: '提示，如办理期限遇节假日已顺延' }) warnings?: string[];
}

/** C6: one event of the 一事一卷 timeline (eventView). */
export class TimelineEventView {
  @ApiProperty() id!: number;
  @ApiProperty({ description: '事件类型' }) type!: string;
  @ApiProperty({ type: String, nullable: true, description: '时间（北京时间）' }) at!: string | null;
  @ApiProperty({ type: RefView, nullable: true }) actor!: RefView | null;
  @ApiProperty({ type: String, nullable: true }) actorName!: string | null;
  @ApiProperty({ enum: CHANNELS, description: '经由何处：控制台、钉钉、企业微信、系统、导入' }) channel!: string;
  @ApiProperty({ type: String, nullable: true }) fromState!: string | null;
  @ApiProperty({ type: String, nullable: true }) toState!: string | null;
  @ApiProperty({ type: String, nullable: true }) fromStateLabel!: string | null;
  @ApiProperty({ type: String, nullable: true }) toStateLabel!: string | null;
  @ApiProperty({ description: '发生了什么（中文）' }) summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) data!: Record<string, unknown> | null;
}

export class ItemTimelineView {
  @ApiProperty() number!: string;
  @ApiProperty({ type: [TimelineEventView] }) events!: TimelineEventView[];
}

export class PendingExtensionView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: String, nullable: true, description: '申请延至（北京时间）' }) proposedDeadline!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) plan!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '申请时间（北京时间）' }) requestedAt!: string | null;
}

export class OptionView {
  @ApiProperty() value!: string;
  @ApiProperty() label!: string;
}

export class UrgeMethodView extends OptionView {
  @ApiProperty({ description: '须填写联系人（电话催办、约谈）' }) needsContact!: boolean;
  @ApiProperty({ description: '须填写整改期限（限期整改）' }) needsLimit!: boolean;
}

/** What a button's form needs; each action fills only its own fields. */
export class ActionFormView {
  @ApiPropertyOptional({ description: '申请延期：现在的办理期限（北京时间）' }) currentDeadline?: string;
  @ApiPropertyOptional({ description: '申请延期：最迟可申请的一天（YYYY-MM-DD）' }) lastDay?: string;
  @ApiPropertyOptional({ description: '申请延期：须提前的天数' }) minDaysBefore?: number;
  @ApiPropertyOptional({ enum: ['working_day', 'calendar_day'] }) daysUnit?: 'working_day' | 'calendar_day';
  @ApiPropertyOptional({ example: '18:00', description: '下班时间' }) dayEnd?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: '申请办结：服务对象' }) servedParty?: string | null;
  @ApiPropertyOptional({ description: '撤回、退回的对象' }) what?: string;
  @ApiPropertyOptional({ description: '撤回对象的名称' }) whatLabel?: string;
  @ApiPropertyOptional({ type: PendingExtensionView, nullable: true, description: '审批延期：待审批的申请' }) request?: PendingExtensionView | null;
  @ApiPropertyOptional({ type: [OptionView], description: '评定：等次' }) grades?: OptionView[];
  @ApiPropertyOptional({ type: [UrgeMethodView], description: '催办：方式' }) methods?: UrgeMethodView[];
  @ApiPropertyOptional({ description: '重点督办：true 列入，false 取消' }) on?: boolean;
}

export class OfferedActionView {
  @ApiProperty({ enum: OFFERED_ACTIONS }) action!: (typeof OFFERED_ACTIONS)[number];
  @ApiProperty({ description: '按钮文字' }) label!: string;
  @ApiProperty({ description: '按钮旁的说明' }) hint!: string;
  @ApiPropertyOptional({ type: ActionFormView }) form?: ActionFormView;
}

export class ActionRefusalView {
  @ApiProperty({ enum: OFFERED_ACTIONS }) action!: (typeof OFFERED_ACTIONS)[number];
  @ApiProperty({ description: '为何现在不能办理、该怎么办（中文）' }) message!: string;
}

export class ItemActionsView {
  @ApiProperty() number!: string;
  @ApiProperty({ type: [OfferedActionView], description: '本人此刻可办理的操作' }) actions!: OfferedActionView[];
  @ApiProperty({ type: [ActionRefusalView], description: '此刻不能办理的操作及原因' }) unavailable!: ActionRefusalView[];
}
