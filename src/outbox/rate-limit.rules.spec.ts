import { formatLog, IN_FLIGHT_MAX_MS, IN_FLIGHT_RECHECK_MS, marginFor, parseLog, settle, slide, started } from './rate-limit.rules';

const MIN = 60_000;
const SEC = 1000;

/** Sends as fast as the log allows for `ms`, each answered `latency(k)` after it starts; what the platform would see. */
function run(limit: number, windowMs: number, ms: number, latency: (k: number) => number, arrival: (start: number, end: number) => number) {
  let log: number[] = [];
  let now = 1;
  const inFlight: { start: number; end: number }[] = [];
  const arrivals: number[] = [];
  while (now < ms) {
    // Answers that have come back by now are recorded.
    for (const f of inFlight.filter((x) => x.end <= now)) log = settle(log, f.start, f.end);
    inFlight.splice(0, inFlight.length, ...inFlight.filter((x) => x.end > now));
    const r = slide(log, now, limit, windowMs);
    log = r.log;
    if (r.wait === 0) {
      log = [...log, started(now)];
      const end = now + latency(arrivals.length);
      inFlight.push({ start: now, end });
      arrivals.push(arrival(now, end));
      now += 1;
    } else now += Math.min(r.wait, Math.max(1, Math.min(...inFlight.map((x) => x.end), now + r.wait) - now));
  }
  return arrivals.sort((a, b) => a - b);
}

/** The most arrivals in any window (t − W, t] — the platform's count. */
function peak(arrivals: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i] - arrivals[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('sliding send log (issue 6 §4, issue 17)', () => {
  it('lets the first N through and makes the next one wait until the oldest answer is a window old (plus the margin)', () => {
    let log: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = slide(log, 1000 + i, 20, MIN);
      expect(r.wait).toBe(0);
      log = settle([...r.log, started(1000 + i)], 1000 + i, 1010 + i); // answered 10 ms later
    }
    const r = slide(log, 5000, 20, MIN);
    expect(r.wait).toBe(1010 + MIN + marginFor(MIN) - 5000);
  });

  it('never allows more than N in any window, even across what a fixed window would call its edge', () => {
    // 20 sends answered at :59, then someone asks at :01 of the next minute: a fixed window would say yes.
    const log = Array.from({ length: 20 }, (_, i) => 59_000 + i);
    expect(slide(log, 61_000, 20, MIN).wait).toBeGreaterThan(0);
  });

  it('forgets sends answered longer ago than the window', () => {
    const log = [1, 2, 3];
    const span = MIN + marginFor(MIN);
    const r = slide(log, span + 2, 3, MIN); // 1 and 2 are a whole span old, 3 is not
    expect(r.wait).toBe(0);
    expect(r.log).toEqual([3]);
  });

  it('a send under way holds its slot until its answer is recorded, and is looked at again shortly', () => {
    const log = [started(100), started(101)];
    const r = slide(log, 100 + 5 * SEC, 2, SEC); // both still waiting for their answers after 5 s
    expect(r.wait).toBe(IN_FLIGHT_RECHECK_MS);
    expect(r.log).toHaveLength(2);
    // One answered at 5 s: it counts from then.
    const answered = settle(r.log, 100, 5100);
    expect(slide(answered, 5200, 2, SEC).wait).toBe(5100 + SEC + marginFor(SEC) - 5200); // the answered one frees first
    expect(slide(answered, 5200, 3, SEC).wait).toBe(0);
  });

  it('a send never answered (its instance died) counts as answered IN_FLIGHT_MAX_MS after it started', () => {
    const log = [started(100)];
    expect(slide(log, 100 + IN_FLIGHT_MAX_MS - 1, 1, SEC).wait).toBe(IN_FLIGHT_RECHECK_MS);
    const r = slide(log, 100 + IN_FLIGHT_MAX_MS + 1, 1, SEC);
    expect(r.wait).toBe(100 + IN_FLIGHT_MAX_MS + SEC + marginFor(SEC) - (100 + IN_FLIGHT_MAX_MS + 1));
    expect(slide(log, 100 + IN_FLIGHT_MAX_MS + SEC + marginFor(SEC), 1, SEC).wait).toBe(0);
  });

  it('a settle for an entry no longer in the log changes nothing', () => {
    expect(settle([5, started(7)], 6, 9)).toEqual([5, -7]);
  });

  // The property that matters: whatever the latency and wherever the arrival falls between start and answer, the
  // platform never counts more than N in a window — and a 20 QPS API is used to at least 0.95 of its rate.
  it.each([
    ['a 20 QPS API, answers in 2–40 ms', 20, SEC, (k: number) => 2 + ((k * 7919) % 39)],
    ['a 20 a minute robot, answers in 5–300 ms', 20, MIN, (k: number) => 5 + ((k * 104729) % 296)],
  ])('%s: never more than N arrivals in any window, and ≥ 0.95 of the rate', (_name, limit, windowMs, latency) => {
    const duration = windowMs === SEC ? 60 * SEC : 30 * MIN;
    for (const arrival of [(s: number) => s, (_s: number, e: number) => e, (s: number, e: number) => Math.floor((s + e) / 2)]) {
      const arrivals = run(limit, windowMs, duration, latency, arrival);
      expect(peak(arrivals, windowMs)).toBeLessThanOrEqual(limit);
      expect(arrivals.length / ((duration / windowMs) * limit)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('stores the log as text and reads it back, sends under way included (unreadable parts are skipped)', () => {
    expect(parseLog(formatLog([1, 22, -333]))).toEqual([1, 22, -333]);
    expect(parseLog(null)).toEqual([]);
    expect(parseLog('5,x,7')).toEqual([5, 7]);
  });
});
