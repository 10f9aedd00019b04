import { describeDeadline } from './deadline.rules';

// 2026: 劳动节 05-01…05-05 off; weekends otherwise off.
const holidays = new Set(['2026-05-01', '2026-05-04', '2026-05-05']);
const calendar = {
  isWorkday: (d: string) => {
    const w = new Date(`${d}T00:00:00Z`).getUTCDay();
    return !holidays.has(d) && w !== 0 && w !== 6;
  },
};
const sh = (local: string) => new Date(`${local}:00+08:00`);

describe('the 立项 form’s due date in words (issue 15, C3)', () => {
  it('says the weekday and that the count went past 劳动节', () => {
    expect(describeDeadline(sh('2026-05-06T18:00'), sh('2026-04-30T10:00'), calendar)).toEqual({
      when: '2026年5月6日（星期三）18:00',
      pastHolidays: true,
      sentence: '办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延',
    });
  });
  it('says nothing of holidays when only a weekend lies between', () => {
    expect(describeDeadline(sh('2026-03-19T18:00'), sh('2026-03-13T10:00'), calendar).sentence).toBe('办理期限：2026年3月19日（星期四）18:00');
  });
});
