/** What each reminder says (R1–R9), in the words the 13710 documents use. Pure. */
import { formatShanghai } from '../shared/shanghai-time';
import { workingTimeBetween } from '../calendar/working-time';
import type { WorkdayTest } from '../calendar/working-time';

export interface ReminderLine {
  kind: string;
  rule: string;
  number: string;
  title: string;
  deadlineAt: Date;
  leadUnit: string;
  now: Date;
  /** Given when the item's policy counts overdue time in working time (overdueClock 'working', the default — R4). */
  calendar?: WorkdayTest;
  /** Who reads it (schedule.types Audience); the R4 escalation says different things to the owner and to the leader. */
  audience?: string;
  /** R4: the owner office's name, and whether it has no coordinating leader (the line then goes to the 督查室). */
  ownerOffice?: string;
  noCoordinatingLeader?: boolean;
  /** Issue 14: false while the item is 交办 but nobody has signed it — the unit is asked to 签收, not to 反馈. */
  signed?: boolean;
}

/** R4 (001 §14): 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调 — each reader is told what is asked of them. */
function escalationLine(r: ReminderLine, head: string): string {
  const late = `${head}（主办：${r.leadUnit}）逾期已满2天仍未反馈`;
  const office = r.ownerOffice ? `「${r.ownerOffice}」` : '立项主体';
  if (r.audience === 'owner') return `【逾期报告】${late}，请及时报请分管领导协调，督促主办单位落实。`;
  if (r.audience === 'coordinating_leader' && r.noCoordinatingLeader) {
    return `【逾期报告】${late}，立项主体${r.ownerOffice ? office : ''}尚未指定分管领导，无法报请协调。请在单位设置中为${office}指定分管领导，并先行督促落实。`;
  }
  if (r.audience === 'coordinating_leader') return `【报请协调】${late}，立项主体${r.ownerOffice ? office : ''}报请您协调，督促主办单位尽快落实。`;
  return `【逾期报告】${late}，请协调督促落实。`;
}

function overdueFor(deadlineAt: Date, now: Date, calendar?: WorkdayTest): string {
  const elapsed = now.getTime() - deadlineAt.getTime();
  const ms = calendar ? workingTimeBetween(deadlineAt, now, calendar) : elapsed;
  const h = Math.max(0, Math.floor(ms / 3_600_000));
  const text = h >= 24 ? `${Math.floor(h / 24)}天${h % 24 ? `${h % 24}小时` : ''}` : `${h}小时`;
  // Say so when rest days were left out, or "14小时" for a deadline six days ago reads as a mistake.
  return calendar && elapsed - ms >= 3_600_000 ? `${text}（节假日不计）` : text;
}

export function reminderLine(r: ReminderLine): string {
  const head = `${r.number}「${r.title}」`;
  // P1: an item not yet signed is urged to 签收 first, with the command and its own number.
  const sign = `贵单位尚未签收。请尽快签收：/签收 ${r.number}`;
  const unsigned = r.signed === false && (r.audience === undefined || r.audience === 'unit');
  switch (r.kind) {
    case 'before_deadline':
      if (unsigned) return `【督办提醒】${head}将于 ${formatShanghai(r.deadlineAt)} 到期，${sign}`;
      return `【督办提醒】${head}将于 ${formatShanghai(r.deadlineAt)} 到期，请按时反馈办理情况。`;
    case 'after_deadline':
    case 'overdue_urge':
    case 'overdue_follow_up':
      if (unsigned) return `【催办】${head}已逾期${overdueFor(r.deadlineAt, r.now, r.calendar)}，${sign}`;
      return `【催办】${head}已逾期${overdueFor(r.deadlineAt, r.now, r.calendar)}，请立即反馈办理情况。`;
    case 'leader_escalation':
      return escalationLine(r, head);
    case 'key_supervision':
      return `【重点督办】${head}（主办：${r.leadUnit}）逾期已满3天，转入重点督办并列入通报。`;
    case 'weekly':
      return `【每周提醒】${head}请报送本周推进情况。`;
    case 'month_end_report':
      return `【月度反馈】${head}请于本月底前反馈本月落实进展。`;
    case 'month_end_urge':
      return `【催报】${head}上月进展尚未反馈，请尽快报送。`;
    case 'month_end_escalation':
      return `【核查问责】${head}（主办：${r.leadUnit}）月度进展超过时限2日未报，转督查室核查。`;
    case 'quarterly_summary':
      return `【季度小结】${head}请于今日报送本季度落实情况书面小结。`;
    case 'fixed_report':
      return `【定期报送】${head}今天是报送日，请按时报送进展。`;
    case 'rectification_due':
      // R9 to the unit (issue 14): the order's time is up — it counts as 未整改, and the report is still asked for.
      if (r.audience === 'unit')
        return `【整改期满】${head}整改时限（${formatShanghai(r.deadlineAt)}）已到，未收到整改报告，按规定视为未整改。请立即报送整改情况：/反馈 ${r.number}`;
      return `【整改期满】${head}48小时整改期已到，未见整改报告，视为未整改。`;
    // Issue 14: the decisions waiting on the owner and the leader, each with what to do.
    case 'review_pending':
      return `【待审核】${head}（主办：${r.leadUnit}）已申请办结，尚待审核评定。请审核后评定：/评定 ${r.number} 良好（可改为优秀、合格或不合格）`;
    case 'extension_pending':
      return `【待审批】${head}（主办：${r.leadUnit}）已申请延期，尚待审批。请及时审批，以免影响承办单位按期办理：同意请发送 /批准延期 ${r.number}，不同意请发送 /驳回延期 ${r.number} 理由`;
    case 'approval_pending':
      return `【待审定】${head}（主办：${r.leadUnit}）已审核评定、报请审定，尚待您审定。请审定：/审定 ${r.number}`;
    default:
      return `【督办提醒】${head}请按时办理。`;
  }
}
