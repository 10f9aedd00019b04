/**
 * The vocabulary of 责任追究 (DOMAIN A1–A3; seed 001《朔州市政府督查责任追究办法(试行)》§5–§10),
 * shared by the rule core, services and DTOs. Plain data only.
 */

/** A1 (001 追究 §5): what may open a clue (线索). A trigger opens a clue; it never punishes by itself. */
export const CLUE_TRIGGERS = {
  overdue: '无正当理由逾期超过2天', // §5(二)
  obstruction: '拒绝、阻碍督查', // §5(四)
  review_finding: '督查发现不作为、慢作为、假落实', // §5(一)(三); a 不合格 rating (D2) counts here
  ranking: '激励积分连续2年倒数后2位', // §5(五), 积分 §14 (S11)
  manual: '督查室移交', // §5(六) 其他不履行或不当履行职责
} as const;
export type ClueTrigger = keyof typeof CLUE_TRIGGERS;

/** A1 (001 追究 §5(一)(三)): what an inspection or review may find. */
export const REVIEW_FINDINGS = {
  inaction: '不作为',
  slow_action: '慢作为',
  non_implementation: '不落实',
  false_implementation: '假落实',
  misconduct: '乱作为',
} as const;
export type ReviewFinding = keyof typeof REVIEW_FINDINGS;

/**
 * A2 (001 追究 §9–§10): where a case stands. Each open state names the step now under way, so the state says whose
 * turn it is (as C5 does for items): the 督查室 in `clue_opened`, `recheck`, `result_reported`; the 主管部门/handling
 * body in `handed_over`, `verifying`, `opinion`, `implementing`; the 分管领导 in `audit` (their one-to-one card).
 * `applied` and `dismissed` are terminal.
 */
export const PROCEDURE_STATES = [
  'clue_opened',
  'handed_over',
  'verifying',
  'opinion',
  'audit',
  'recheck',
  'implementing',
  'result_reported',
  'applied',
  'dismissed',
] as const;
export type ProcedureState = (typeof PROCEDURE_STATES)[number];

export const PROCEDURE_STATE_LABELS: Record<ProcedureState, string> = {
  clue_opened: '问题线索',
  handed_over: '已移交',
  verifying: '核查中',
  opinion: '提出问责处理意见',
  audit: '问责处理意见审核',
  recheck: '督查室复核',
  implementing: '实施问责',
  result_reported: '问责结果已报送',
  applied: '结果已运用',
  dismissed: '不予追究',
};

export const TERMINAL_STATES: readonly ProcedureState[] = ['applied', 'dismissed'];

/** A2: the steps a person takes on a case. */
export const PROCEDURE_ACTIONS = [
  'hand_over',
  'start_verification',
  'skip_verification',
  'verify',
  'propose_opinion',
  'audit_approve',
  'audit_reject',
  'recheck_approve',
  'recheck_return',
  'implement',
  'report_result',
  'apply_result',
  'dismiss',
] as const;
export type ProcedureAction = (typeof PROCEDURE_ACTIONS)[number];

export const PROCEDURE_ACTION_LABELS: Record<ProcedureAction, string> = {
  hand_over: '移交线索',
  start_verification: '开始核查',
  skip_verification: '不经核查直接处理',
  verify: '提交核查报告',
  propose_opinion: '提出问责处理意见',
  audit_approve: '审核同意',
  audit_reject: '审核不同意',
  recheck_approve: '复核同意',
  recheck_return: '复核退回',
  implement: '记录问责实施情况',
  report_result: '报送问责结果',
  apply_result: '结果运用',
  dismiss: '不予追究',
};

/** A3 (001 追究 §6): measures against a unit. 约谈 is of its 主要负责人, and only together with 通报. */
export const UNIT_MEASURES = {
  self_examination: '检查',
  bulletin: '通报',
  talk: '约谈主要负责人',
} as const;
export type UnitMeasure = keyof typeof UNIT_MEASURES;

/** A3 (001 追究 §7): measures against a person (工作人员). */
export const PERSON_MEASURES = {
  self_examination: '检查',
  bulletin: '通报',
  admonition: '诫勉',
  organisational: '组织调整或组织处理', // 停职检查、调整职务、责令辞职、降职、免职
  discipline: '纪律处分',
} as const;
export type PersonMeasure = keyof typeof PERSON_MEASURES;

export type Measure = UnitMeasure | PersonMeasure;
export type MeasureTarget = 'unit' | 'person';
export const MEASURE_TARGET_LABELS: Record<MeasureTarget, string> = { unit: '单位', person: '工作人员' };

/** A2 (001 追究 §9(五)): 内部通报, or 在政府门户网站、新闻媒体公开通报. */
export const RESULT_SCOPES = { internal: '内部通报', public: '公开通报（政府门户网站、新闻媒体）' } as const;
export type ResultScope = keyof typeof RESULT_SCOPES;

/** A document on file: a 核查报告 by its title and the stored file id or 文号. */
export interface DocumentRef {
  title: string;
  ref: string;
}

/** A3: one unit or person the opinion holds accountable, with the measures proposed for them. */
export interface OpinionTarget {
  target: MeasureTarget;
  name: string;
  /** Raw keys as they arrived (form, chat); `validateMeasures` decides whether they are measures. */
  measures: readonly string[];
}

/** A clue ready to be stored; `dedupeKey` is unique, so one trigger never opens two clues. */
export interface ClueDraft {
  trigger: ClueTrigger;
  unitId: number;
  itemId: number | null;
  summary: string;
  dedupeKey: string;
}
