/**
 * The working-time clock (DOMAIN R4 "working time", A1, C3): only working days pass. Expected instants written out by
 * hand from the real 2026 calendar (劳动节 05-01…05-05, 调休 Saturday 05-09; 国庆 10-01…10-07, 调休 Saturday 10-10).
 */
import { chineseDaysSource } from './chinese-days.source';
import { WorkCalendar } from './work-calendar';
import { addWorkingTime, nextWorkingMorning, workingTimeBetween } from './working-time';

const cal = new WorkCalendar(chineseDaysSource());
const t = (s: string) => new Date(`${s}+08:00`);
const H = 3600_000;

describe('working time (R4: overdue time counts working days only)', () => {
  it('adds hours inside a working day as plain hours', () => {
    expect(addWorkingTime(t('2026-03-02T18:00:00'), 5 * H, cal)).toEqual(t('2026-03-02T23:00:00'));
  });
  it('R4 — a weekend adds nothing: Friday 18:00 + 1 day is Monday 18:00', () => {
    expect(addWorkingTime(t('2026-03-06T18:00:00'), 24 * H, cal)).toEqual(t('2026-03-09T18:00:00'));
    expect(addWorkingTime(t('2026-03-06T18:00:00'), 9 * H, cal)).toEqual(t('2026-03-09T03:00:00'));
  });
  it('R4 — 劳动节 2026 adds nothing: 04-30 18:00 + 1 day is 05-06 18:00', () => {
    expect(addWorkingTime(t('2026-04-30T18:00:00'), 24 * H, cal)).toEqual(t('2026-05-06T18:00:00'));
    expect(addWorkingTime(t('2026-04-30T18:00:00'), 72 * H, cal)).toEqual(t('2026-05-08T18:00:00'));
    // 05-09 is a 调休 Saturday: a working day.
    expect(addWorkingTime(t('2026-04-30T18:00:00'), 96 * H, cal)).toEqual(t('2026-05-09T18:00:00'));
  });
  it('counts backwards the same way (R1 "5 h before")', () => {
    expect(addWorkingTime(t('2026-03-09T03:00:00'), -5 * H, cal)).toEqual(t('2026-03-06T22:00:00'));
    expect(addWorkingTime(t('2026-03-02T18:00:00'), -5 * H, cal)).toEqual(t('2026-03-02T13:00:00'));
  });
  it('a start on a rest day begins counting on the next working day', () => {
    expect(addWorkingTime(t('2026-03-07T10:00:00'), 2 * H, cal)).toEqual(t('2026-03-09T02:00:00'));
  });
  it('workingTimeBetween is the inverse of addWorkingTime', () => {
    const a = t('2026-04-30T18:00:00');
    for (const h of [0, 1, 5, 23, 24, 30, 48, 72, 96, 200]) {
      expect(workingTimeBetween(a, addWorkingTime(a, h * H, cal), cal)).toBe(h * H);
    }
    expect(workingTimeBetween(t('2026-03-06T18:00:00'), t('2026-03-08T23:00:00'), cal)).toBe(6 * H);
    expect(workingTimeBetween(t('2026-03-09T18:00:00'), t('2026-03-06T18:00:00'), cal)).toBe(-24 * H);
  });
  it('nextWorkingMorning: an instant on a rest day or in the night moves to the next working day at the given time', () => {
    expect(nextWorkingMorning(t('2026-05-01T10:00:00'), '08:00', cal)).toEqual(t('2026-05-06T08:00:00'));
    expect(nextWorkingMorning(t('2026-04-30T23:00:00'), '08:00', cal)).toEqual(t('2026-05-06T08:00:00'));
    expect(nextWorkingMorning(t('2026-04-30T07:00:00'), '08:00', cal)).toEqual(t('2026-04-30T08:00:00'));
    expect(nextWorkingMorning(t('2026-04-30T09:00:00'), '08:00', cal)).toEqual(t('2026-05-06T08:00:00'));
  });
});
