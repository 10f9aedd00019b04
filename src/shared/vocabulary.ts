/** Plain domain vocabulary shared by the rule core, services and DTOs (DOMAIN C1, C5, P2). */
export const ITEM_STATES = [
  'draft',
  'registered',
  'assigned',
  'in_progress',
  'closure_requested',
  'under_review',
  'pending_approval',
  'closed',
  'archived',
] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export const STATE_LABELS: Record<ItemState, string> = {
  draft: '草稿',
  registered: '已立项',
  assigned: '已交办',
  in_progress: '办理中',
  closure_requested: '已申请办结',
  under_review: '审核中',
  pending_approval: '待审定',
  closed: '已办结',
  archived: '已归档',
};

export const OPEN_STATES: readonly ItemState[] = ['registered', 'assigned', 'in_progress', 'closure_requested', 'under_review', 'pending_approval'];

/** C1: where an item comes from. */
export const SOURCES = {
  meeting: '会议议定事项',
  instruction: '领导批示',
  work_report: '政府工作报告重点工作',
  reform: '重大改革事项',
  livelihood: '十件实事',
  npc_suggestion: '人大建议',
  cppcc_proposal: '政协提案',
  hotline: '市长热线',
  superior: '上级交办',
  other: '其他',
} as const;
export type Source = keyof typeof SOURCES;

/** C1: the board ("版块") an item is managed on. */
export const BOARDS = { daily: '日常管理', key_task: '重点工作', reform: '重大改革', ongoing: '持续跟进' } as const;
export type Board = keyof typeof BOARDS;

/** 000 §3: the kind of 督查; 专项督查 has its own default deadline (C3). */
export const CATEGORIES = { decision: '决策督查', special: '专项督查', survey: '调研督查', proposal: '建议提案办理督查' } as const;
export type Category = keyof typeof CATEGORIES;

/** R9: a 整改通知 is registered like an item but its deadline comes from the rule (2 working days, report by 12:00 on day 3). */
/** open_ended (000 §12): no time limit — reports when there is progress, and one written report at the year's end. */
export const ITEM_KINDS = { task: '督办事项', rectification: '整改通知', open_ended: '无固定时限事项' } as const;
export type ItemKind = keyof typeof ITEM_KINDS;

/** D2 */
export const RATINGS = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' } as const;
export type Rating = keyof typeof RATINGS;

/** P2 */
export const ROLES = ['supervisor', 'owner', 'leader', 'unit_contact', 'unit_head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Channel = 'api' | 'dingtalk' | 'wecom' | 'system' | 'import';
export type Platform = 'dingtalk' | 'wecom';
export type UnitRole = 'lead' | 'co';

export const isKeyOf = <T extends object>(obj: T, k: unknown): k is keyof T => typeof k === 'string' && Object.prototype.hasOwnProperty.call(obj, k);

/** What each role is called (P2); org/grant.rules and the 400 messages (src/http/validation) read it here. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  supervisor: '督查员',
  owner: '立项主体',
  leader: '领导',
  unit_contact: '联络员',
  unit_head: '负责人',
};

/** The office's own ways of urging (R5): 电话, 现场, 函询, 约谈, 限期整改 — cases/urging.rules builds on these. */
export const URGE_METHOD_LABELS = {
  phone: '电话催办',
  on_site: '现场督办',
  letter: '函询',
  interview: '约谈',
  rectify: '限期整改',
} as const;

/** The kinds of 通报 (B1) — bulletins/bulletin.rules builds on these. */
export const BULLETIN_KIND_LABELS = { monthly: '月度通报', quarterly: '季度通报', key_supervision: '重点督办通报' } as const;
