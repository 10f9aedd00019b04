import { formatLog, marginFor, parseLog, slide } from './rate-limit.rules';

const MIN = 60_000;

describe('sliding send log (issue 6 §4)', () => {
  it('lets the first N through and makes the next one wait until the oldest leaves the window (plus the margin)', () => {
    let log: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = slide(log, 1000 + i, 20, MIN);
      expect(r.wait).toBe(0);
      log = [...r.log, 1000 + i];
    }
    const r = slide(log, 5000, 20, MIN);
    expect(r.wait).toBe(1000 + MIN + marginFor(MIN) - 5000);
  });

  it('never allows more than N in any window, even across what a fixed window would call its edge', () => {
    // 20 sends at :59, then someone asks at :01 of the next minute: a fixed window would say yes.
    const log = Array.from({ length: 20 }, (_, i) => 59_000 + i);
    expect(slide(log, 61_000, 20, MIN).wait).toBeGreaterThan(0);
  });

  it('forgets sends older than the window', () => {
    const log = [0, 1, 2];
    const span = MIN + marginFor(MIN);
    const r = slide(log, span + 1, 3, MIN); // 0 and 1 are a whole span old, 2 is not
    expect(r.wait).toBe(0);
    expect(r.log).toEqual([2]);
  });

  it('a steady sender gets exactly N per (window + margin)', () => {
    let log: number[] = [];
    let now = 0;
    let sent = 0;
    while (now < 10 * MIN) {
      const r = slide(log, now, 20, MIN);
      if (r.wait === 0) {
        log = [...r.log, now];
        sent++;
        now += 100;
      } else {
        log = r.log;
        now += r.wait;
      }
    }
    // 10 minutes / 61.2 s per window, 20 each: 9.8 windows → 200 at most, 180 at least.
    expect(sent).toBeLessThanOrEqual(200);
    expect(sent).toBeGreaterThanOrEqual(180);
  });

  it('stores the log as text and reads it back (unreadable parts are skipped)', () => {
    expect(parseLog(formatLog([1, 22, 333]))).toEqual([1, 22, 333]);
    expect(parseLog(null)).toEqual([]);
    expect(parseLog('5,x,7')).toEqual([5, 7]);
  });
});
