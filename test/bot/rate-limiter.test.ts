import { IN_FLIGHT_RECHECK_MS, marginFor } from '../../src/outbox/rate-limit.rules';
import { RateLimiter } from '../../src/outbox/rate-limiter';
import { startTestApp } from '../support/test-app';

/** Issue 6 §4: a per-target limit shared by instances — two services on one MariaDB never exceed it together. */
describe('rate limiter shared through the database', () => {
  it('two instances taking slots at once get exactly the limit, then a wait until the window ends', async () => {
    const a = await startTestApp();
    const b = await startTestApp({ attachTo: a });
    try {
      const now = new Date('2026-03-02T01:00:00Z');
      const limit = { bucket: 'dingtalk:webhook:7', limit: 20, windowMs: 60_000 };
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).get(RateLimiter).acquire([limit], now)));
      expect(results.filter((w) => w === 0)).toHaveLength(20);
      // The twenty are under way: the others are told to look again shortly, not to wait a whole window.
      expect(results.filter((w) => w > 0)).toEqual(Array(10).fill(IN_FLIGHT_RECHECK_MS));
      // Issue 17: each instance records its sends' answers, 5 ms later; the window now counts from the answers.
      const answered = new Date(now.getTime() + 5);
      await Promise.all(results.map((w, i) => (w === 0 ? (i % 2 ? a : b).get(RateLimiter).settle([limit], now, answered) : undefined)));
      expect(await a.get(RateLimiter).acquire([limit], answered)).toBe(60_000 + marginFor(60_000));
      // Just before the window (and its margin) has passed since the answers, still no; then the window opens again.
      expect(await a.get(RateLimiter).acquire([limit], new Date(answered.getTime() + 60_000))).toBe(marginFor(60_000));
      expect(await a.get(RateLimiter).acquire([limit], new Date(answered.getTime() + 60_000 + marginFor(60_000)))).toBe(0);
      // A different target has its own window.
      expect(await b.get(RateLimiter).acquire([{ ...limit, bucket: 'wecom:member:wx-1', limit: 30 }], now)).toBe(0);
      // All or nothing: a delivery that counts against two buckets takes a slot in neither if one is full.
      const full = { bucket: 'full', limit: 1, windowMs: 60_000 };
      expect(await a.get(RateLimiter).acquire([full], now)).toBe(0);
      const other = { bucket: 'other', limit: 5, windowMs: 60_000 };
      expect(await a.get(RateLimiter).acquire([other, full], now)).toBeGreaterThan(0);
      expect(await a.get(RateLimiter).acquire([{ ...other, limit: 1 }], now)).toBe(0); // 'other' was not spent above
    } finally {
      await b.close();
      await a.close();
    }
  });
});
