import { WorkCalendar } from '../calendar/work-calendar';
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { shanghaiInstant } from '../shared/shanghai-time';
import { deadlineAfterRefusal, deadlineForNewLeadUnit, nodeWorkingDays } from './custody.rules';

const calendar = new WorkCalendar(chineseDaysSource());
const at = (d: string, t = '00:00') => shanghaiInstant(d, t);
const show = (d: Date) => d.toISOString();

describe('issue 14 — blame follows custody: the new lead unit’s own time at a reassignment (A1, C3, P4)', () => {
  it('C3 — a node counts the working days after registration up to the deadline day (at least 1)', () => {
    expect(nodeWorkingDays('2026-03-02', '2026-03-06', calendar)).toBe(4);
    // 国庆/中秋 2026: 10-01…10-07 rest, 10-10 (Saturday) a 调休 working day: 10-08, 10-09, 10-10, 10-12.
    expect(nodeWorkingDays('2026-09-30', '2026-10-12', calendar)).toBe(4);
    expect(nodeWorkingDays('2026-03-06', '2026-03-06', calendar)).toBe(1);
  });

  it('the deadline is already past: the new unit gets the original node again from the reassignment day', () => {
    const item = { registeredAt: at('2026-03-02', '09:00'), deadlineAt: at('2026-03-06', '18:00') };
    expect(show(deadlineForNewLeadUnit(item, at('2026-03-09', '10:00'), calendar, '18:00'))).toBe(show(at('2026-03-13', '18:00')));
  });

  it('the deadline is today (less than a working day away): the same — the new unit is not given hours', () => {
    const item = { registeredAt: at('2026-03-02', '09:00'), deadlineAt: at('2026-03-06', '18:00') };
    expect(show(deadlineForNewLeadUnit(item, at('2026-03-06', '09:00'), calendar, '18:00'))).toBe(show(at('2026-03-12', '18:00')));
  });

  it('at least one working day still ahead: the office’s deadline stands', () => {
    const item = { registeredAt: at('2026-03-02', '09:00'), deadlineAt: at('2026-03-06', '18:00') };
    expect(show(deadlineForNewLeadUnit(item, at('2026-03-05', '17:00'), calendar, '18:00'))).toBe(show(item.deadlineAt));
  });

  it('over a holiday: reassigned on 09-30, the deadline 09-30 past at 19:00 — 1 working day from 09-30 is 10-08', () => {
    const item = { registeredAt: at('2026-09-29', '09:00'), deadlineAt: at('2026-09-30', '18:00') };
    expect(show(deadlineForNewLeadUnit(item, at('2026-09-30', '19:00'), calendar, '18:00'))).toBe(show(at('2026-10-08', '18:00')));
  });
});

describe('issue 14 — an extension refused late: the owner’s time deciding is not the unit’s lateness (A1, E1)', () => {
  const deadline = at('2026-03-13', '18:00');
  it('refused with a working day or more left: the deadline stands', () => {
    expect(show(deadlineAfterRefusal(deadline, at('2026-03-12', '10:00'), calendar, '18:00'))).toBe(show(deadline));
  });
  it('refused on the deadline day or after it: to the end of the next working day', () => {
    expect(show(deadlineAfterRefusal(deadline, at('2026-03-13', '09:00'), calendar, '18:00'))).toBe(show(at('2026-03-16', '18:00')));
    expect(show(deadlineAfterRefusal(deadline, at('2026-03-16', '10:00'), calendar, '18:00'))).toBe(show(at('2026-03-17', '18:00')));
  });
  it('refused on the eve of 国庆: the next working day is 10-08', () => {
    expect(show(deadlineAfterRefusal(at('2026-09-30', '18:00'), at('2026-09-30', '15:00'), calendar, '18:00'))).toBe(show(at('2026-10-08', '18:00')));
  });
});
