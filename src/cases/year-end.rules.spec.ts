/** 年底清零 (R7; 001 重点工作任务制度 §4.3: 所有事项年底都要销号清零，做到件件有结果) — when the check runs, on the real 2026 calendar. */
import { chineseDaysSource } from '../calendar/chinese-days.source';
import { WorkCalendar } from '../calendar/work-calendar';
import { officeYearEndText, ownerYearEndText, yearEndCheckDay, yearEndCheckDays } from './year-end.rules';

const calendar = new WorkCalendar(chineseDaysSource());
const sh = (s: string) => new Date(`${s}:00+08:00`);

describe('年底清零: the last working days of the year', () => {
  it('R7 — the last 5 working days of 2026 are 12-25 and 12-28…12-31 (12-26/27 are a weekend)', () => {
    expect(yearEndCheckDays(2026, 5, calendar)).toEqual(['2026-12-25', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
    expect(yearEndCheckDays(2026, 1, calendar)).toEqual(['2026-12-31']);
  });

  it('R7 — the check runs on those days in office hours only (09:00 until the day end), never on the weekend between them', () => {
    expect(yearEndCheckDay(sh('2026-12-25T09:00'), 5, '18:00', calendar)).toBe('2026-12-25');
    expect(yearEndCheckDay(sh('2026-12-25T08:59'), 5, '18:00', calendar)).toBeNull();
    expect(yearEndCheckDay(sh('2026-12-25T18:00'), 5, '18:00', calendar)).toBeNull();
    expect(yearEndCheckDay(sh('2026-12-26T10:00'), 5, '18:00', calendar)).toBeNull();
    expect(yearEndCheckDay(sh('2026-12-24T10:00'), 5, '18:00', calendar)).toBeNull();
    expect(yearEndCheckDay(sh('2026-12-31T17:59'), 5, '18:00', calendar)).toBe('2026-12-31');
    expect(yearEndCheckDay(sh('2026-12-31T10:00'), 0, '18:00', calendar)).toBeNull(); // 0 turns the check off
  });

  it('texts name the items and say what to do (抓紧办结或说明原因), in Chinese, without rule ids', () => {
    const items = [
      { number: 'DB2026-0001', title: '保障性住房', leadUnit: '市住建局', deadline: '2026-12-31 18:00', owner: '综合科' },
      { number: 'DB2026-0002', title: '营商环境改革', leadUnit: '市发展改革委', deadline: '2026-12-20 18:00', owner: '改革科' },
    ];
    const owner = ownerYearEndText(2026, items.slice(0, 1));
    expect(owner.text).toContain('DB2026-0001「保障性住房」（主办：市住建局，期限 2026-12-31 18:00）');
    expect(owner.text).toContain('抓紧办结');
    expect(owner.text).toContain('书面说明原因');
    const office = officeYearEndText(2026, '2026-12-25', items);
    expect(office.text).toContain('尚有2项未办结，涉及立项主体2个');
    expect(`${owner.text}${office.text}`).not.toMatch(/\b[A-Z]\d+：|key_task|reform/);
  });
});
