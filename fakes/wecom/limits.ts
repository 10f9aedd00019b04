import type { Clock } from './types';

/** A sliding window of event times per key: how many fell within the last `windowMs`. */
export class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  count(key: string): number {
    const now = this.clock();
    const recent = (this.times.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.times.set(key, recent);
    return recent.length;
  }

  add(key: string): void {
    const list = this.times.get(key) ?? [];
    list.push(this.clock());
    this.times.set(key, list);
  }
}

interface Forced {
  remaining: number;
  errcode: number;
  errmsg?: string;
}

/** Failures a test asked for: the next n calls of one API path answer this errcode (45009, 45033, 60020, -1…). */
export class ForcedFailures {
  private readonly forced = new Map<string, Forced[]>();

  add(api: string, n: number, errcode: number, errmsg?: string): void {
    const list = this.forced.get(api) ?? [];
    list.push({ remaining: n, errcode, errmsg });
    this.forced.set(api, list);
  }

  /** The forced error for this call of `api`, if any (and counts it). */
  take(api: string): { errcode: number; errmsg?: string } | undefined {
    const queue = this.forced.get(api);
    if (!queue?.length) return undefined;
    const head = queue[0];
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return { errcode: head.errcode, errmsg: head.errmsg };
  }
}
