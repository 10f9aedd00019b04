/**
 * Issue 6 §4, pure: a sliding log per target. The platforms count "N within any window" (DingTalk: 20 a minute per
 * custom robot, 20 QPS per API; WeCom: 20 a minute per group robot, 30 a minute per member), so a fixed window that
 * resets on the minute would let 2N through across its edge. Keeping the send times themselves is exact, and the
 * logs stay small (at most N numbers).
 */
export interface SlideResult {
  /** 0 when a slot is free now; else how long until the oldest send leaves the window. */
  wait: number;
  /** The log to store: the sends still inside the window (plus `now` when a slot was taken). */
  log: number[];
}

/**
 * A send we record at `t` reaches the platform a little later, and the next one may arrive faster: a margin (2 % of
 * the window, at least 100 ms) keeps the platform's count under the limit even then. At 50 ms a busy 2-core machine
 * was throttled once on a 1-second API window (bench:outbox); 100 ms costs a 20 QPS API 9 % of its rate.
 */
export const marginFor = (windowMs: number) => Math.max(100, Math.ceil(windowMs * 0.02));

export function slide(log: readonly number[], now: number, limit: number, windowMs: number): SlideResult {
  const span = windowMs + marginFor(windowMs);
  const inside = log.filter((t) => now - t < span).sort((a, b) => a - b);
  if (inside.length >= limit) return { wait: inside[inside.length - limit] + span - now, log: inside };
  return { wait: 0, log: inside };
}

export const parseLog = (s: string | null | undefined): number[] => (s ? s.split(',').map(Number).filter(Number.isFinite) : []);
export const formatLog = (log: readonly number[]): string => log.join(',');
