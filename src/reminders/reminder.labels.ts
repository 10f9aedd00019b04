import type { Audience, ReminderKind } from './schedule.types';

/** What a person reads for each reminder kind and audience (the preview; issue 16: the demo's timeline of planned reminders). */
export const KIND_LABELS: Record<ReminderKind, string> = {
  before_deadline: '到期前提醒',
  after_deadline: '逾期提醒',
  overdue_urge: '逾期催办',
  overdue_follow_up: '逾期持续催办',
  leader_escalation: '报请分管领导协调',
  key_supervision: '转入重点督办',
  weekly: '每周提醒',
  month_end_report: '月度进展反馈提醒',
  month_end_urge: '月度进展催报',
  month_end_escalation: '月度进展逾期转督查室',
  quarterly_summary: '季度小结',
  fixed_report: '定期报送',
  rectification_due: '整改期满',
  review_pending: '待审核评定提醒',
  extension_pending: '待审批延期提醒',
  approval_pending: '待审定提醒',
  clue_opened: '问题线索告知',
};
export const AUDIENCE_LABELS: Record<Audience, string> = {
  unit: '承办单位',
  leader: '交办领导',
  coordinating_leader: '立项主体的分管领导',
  supervision_office: '督查室',
  owner: '立项主体',
};
