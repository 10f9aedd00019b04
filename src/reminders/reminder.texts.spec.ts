import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { reminderLine } from './reminder.texts';

const calendar = new WorkCalendar(chineseDaysSource());
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
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
