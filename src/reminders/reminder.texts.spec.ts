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
