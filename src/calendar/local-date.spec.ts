import { addDays, isValidLocalDate, weekday } from './local-date';
import { shanghaiInstant } from '../shared/shanghai-time';

/** Issue 17: the date helpers remember what they parsed; the answers must stay those of a fresh parse. */
describe('remembered dates', () => {
  it('a date asked about again gets the same answer, valid or not', () => {
    for (let i = 0; i < 3; i++) {
      expect(isValidLocalDate('2028-02-29')).toBe(true);
      expect(isValidLocalDate('2027-02-29')).toBe(false);
      expect(isValidLocalDate('2027-2-28')).toBe(false);
      expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
      expect(weekday('2026-03-04')).toBe(3);
    }
    expect(() => addDays('2027-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2027-02-29', 1)).toThrow(RangeError);
  });

  it('an instant asked for again is a new Date: changing one answer does not change the next', () => {
    const first = shanghaiInstant('2026-03-04', '09:00');
    expect(first.toISOString()).toBe('2026-03-04T01:00:00.000Z');
    first.setTime(0);
    const again = shanghaiInstant('2026-03-04', '09:00');
    expect(again).not.toBe(first);
    expect(again.toISOString()).toBe('2026-03-04T01:00:00.000Z');
    expect(shanghaiInstant('2026-03-04').toISOString()).toBe('2026-03-03T16:00:00.000Z');
  });

  it('many dates: the memo starts over past its bound and still answers right', () => {
    let d = '1900-01-01';
    for (let i = 0; i < 60_000; i++) d = addDays(d, 1);
    expect(d).toBe(addDays('1900-01-01', 60_000));
    expect(isValidLocalDate('1900-01-01')).toBe(true);
  });
});
