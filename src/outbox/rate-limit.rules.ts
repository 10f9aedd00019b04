/**
 * Issue 6 §4, pure: a sliding log per target. The platforms count "N within any window" (DingTalk: 20 a minute per
 * custom robot, 20 QPS per API; WeCom: 20 a minute per group robot, 30 a minute per member), so a fixed window that
 * resets on the minute would let 2N through across its edge. Keeping the send times themselves is exact, and the
 * logs stay small (at most N numbers).
 *
 * Issue 17 ("limits to the full"): what the platform counts is when a request ARRIVES, which we never see; we see when
 * we started it and when its answer came back, and the arrival lies between. So the log keeps each send's answer
 * time: send k+N may start once send k's answer is a window old, and its arrival is then surely a window after send k's.
 * While a send is under way its entry is its start, negated (`-start`): it holds its slot and cannot leave the window
 * before its answer is recorded (settle). An entry never settled (the instance died mid-send) counts as answered
 * IN_FLIGHT_MAX_MS after its start — longer than any platform call may take (their clients give up after 10 s).
 * The earlier design logged the start and added a margin of at least 100 ms to every window, which held a 20 QPS API
 * to 0.83 of its rate; now the margin only covers clocks (10 ms, or 0.5 % of a long window).
 */
export interface SlideResult {
  /** 0 when a slot is free now; else how long until one may be. */
  wait: number;
  /** The log to store: the sends still inside the window (the caller appends its own when a slot was taken). */
  log: number[];
}

export const IN_FLIGHT_MAX_MS = 30_000;
/** How soon to look again when the slot is held by a send still waiting for its answer. */
export const IN_FLIGHT_RECHECK_MS = 20;

export const marginFor = (windowMs: number) => Math.max(10, Math.ceil(windowMs * 0.005));

/** The instant an entry stops counting from: its answer, or for a send still under way, not before now. */
function answeredAt(entry: number, now: number): number {
  if (entry >= 0) return entry;
  const start = -entry;
  return now - start >= IN_FLIGHT_MAX_MS ? start + IN_FLIGHT_MAX_MS : Number.POSITIVE_INFINITY;
}

export function slide(log: readonly number[], now: number, limit: number, windowMs: number): SlideResult {
  const span = windowMs + marginFor(windowMs);
  const inside = log.filter((e) => now - answeredAt(e, now) < span).sort((a, b) => answeredAt(a, now) - answeredAt(b, now));
  if (inside.length < limit) return { wait: 0, log: inside };
  const freesAt = answeredAt(inside[inside.length - limit], now);
  const wait = Number.isFinite(freesAt) ? freesAt + span - now : IN_FLIGHT_RECHECK_MS;
  return { wait: Math.max(1, wait), log: inside };
}

/** The entry a send takes when it starts (under way). */
export const started = (at: number): number => -at;

/** The send started at `start` has its answer at `end`: its entry now counts from `end`. A pruned entry stays gone. */
export function settle(log: readonly number[], start: number, end: number): number[] {
  const i = log.indexOf(-start);
  if (i < 0) return [...log];
  const next = [...log];
  next[i] = Math.max(end, start);
  return next;
}

export const parseLog = (s: string | null | undefined): number[] => (s ? s.split(',').map(Number).filter(Number.isFinite) : []);
export const formatLog = (log: readonly number[]): string => log.join(',');
