import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { reminderLine, ReminderLine } from './reminder.texts';

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const base: ReminderLine = {
  kind: 'leader_escalation',
  rule: 'R4',
  number: 'DB2026-0001',
  title: '背街小巷整治',
  deadlineAt: sh('2026-03-03 18:00'),
  leadUnit: '市发展改革委',
  now: sh('2026-03-05 18:00'),
  ownerOffice: '综合一科',
};

describe('R4 — 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调 (001 §14): what each one is asked', () => {
  it('the owner office is asked to report to its coordinating leader', () => {
    const text = reminderLine({ ...base, audience: 'owner' });
    expect(text).toContain('逾期已满2天仍未反馈');
    expect(text).toContain('请及时报请分管领导协调');
  });

  it('the coordinating leader is asked to coordinate (协调), naming the office that reports', () => {
    const text = reminderLine({ ...base, audience: 'coordinating_leader' });
    expect(text).toContain('综合一科');
    expect(text).toContain('请您协调');
    expect(text).not.toContain('报请分管领导');
  });

  it('with no coordinating leader the 督查室 is told, with the next step (请在单位设置中指定分管领导)', () => {
    const text = reminderLine({ ...base, audience: 'coordinating_leader', noCoordinatingLeader: true });
    expect(text).toContain('尚未指定分管领导');
    expect(text).toContain('请在单位设置中为「综合一科」指定分管领导');
  });

  it('no rule ids in what people read', () => {
    for (const audience of ['owner', 'coordinating_leader', 'leader']) expect(reminderLine({ ...base, audience })).not.toMatch(/R\d/);
  });
});

const calendar = new WorkCalendar(chineseDaysSource());
const line = (now: string, clock?: { calendar: WorkCalendar }) =>
  reminderLine({
    kind: 'overdue_urge',
    rule: 'R4',
    number: 'DB-1',
    title: '节前到期',
    deadlineAt: sh('2026-04-30 18:00'),
    leadUnit: '市住建局',
    now: sh(now),
    ...clock,
  });

describe('reminder texts: how overdue an item is, in the time the rules count (R4 in working time, issue 13)', () => {
  it('R4: 逾期 counted in working time — after 劳动节 a deadline of 04-30 18:00 is 14 hours overdue at 05-06 08:00, holidays not counted', () => {
    expect(line('2026-05-06 08:00', { calendar })).toBe('【催办】DB-1「节前到期」已逾期14小时（节假日不计），请立即反馈办理情况。');
  });

  it('on working days only, nothing is added: 04-30 21:00 is 3 hours overdue', () => {
    expect(line('2026-04-30 21:00', { calendar })).toBe('【催办】DB-1「节前到期」已逾期3小时，请立即反馈办理情况。');
  });

  it('without a calendar (overdueClock "calendar"): every hour counts, as before', () => {
    expect(line('2026-05-06 08:00')).toBe('【催办】DB-1「节前到期」已逾期5天14小时，请立即反馈办理情况。');
  });
});

describe('issue 14: what people read carries no rule ids and says what to do, with their own number', () => {
  const kinds = [
    'before_deadline',
    'after_deadline',
    'overdue_urge',
    'overdue_follow_up',
    'leader_escalation',
    'key_supervision',
    'weekly',
    'month_end_report',
    'month_end_urge',
    'month_end_escalation',
    'quarterly_summary',
    'fixed_report',
    'rectification_due',
    'review_pending',
    'extension_pending',
    'approval_pending',
    'something_new',
  ];
  const audiences = ['unit', 'owner', 'coordinating_leader', 'supervision_office', 'leader'];
  it.each(kinds)('%s: no rule id (R4, D3 …) in any audience, signed or not', (kind) => {
    for (const audience of audiences)
      for (const signed of [true, false]) {
        const text = reminderLine({ ...base, kind, rule: 'R4', audience, signed });
        expect(text).not.toMatch(/[A-Z]\d+[：:）)]/);
        expect(text).not.toMatch(/（[A-Z]\d+/);
      }
  });

  it('an unsigned item is asked to 签收 with its own command; a signed one to 反馈', () => {
    expect(reminderLine({ ...base, kind: 'overdue_urge', audience: 'unit', signed: false, calendar: undefined })).toBe(
      '【催办】DB2026-0001「背街小巷整治」已逾期2天，贵单位尚未签收。请尽快签收：/签收 DB2026-0001',
    );
    expect(reminderLine({ ...base, kind: 'overdue_urge', audience: 'unit', signed: true })).toBe(
      '【催办】DB2026-0001「背街小巷整治」已逾期2天，请立即反馈办理情况。',
    );
  });

  it('the leader is asked to 审定 with the command; the owner to 评定', () => {
    expect(reminderLine({ ...base, kind: 'approval_pending', audience: 'leader' })).toContain('请审定：/审定 DB2026-0001');
    expect(reminderLine({ ...base, kind: 'review_pending', audience: 'owner' })).toContain('/评定 DB2026-0001 良好');
  });
});
