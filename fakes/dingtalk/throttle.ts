import { errors } from './errors';
import type { Clock, FakeResponse } from './types';

interface Forced {
  remaining: number;
  response: () => FakeResponse;
}

/**
 * Per-API flow control for the new APIs: DingTalk allows about 20 calls per second per app per API and answers 403
 * Forbidden.AccessDenied.QpsLimitForAppkeyAndApi above that. Tests can also force the next calls of one API to fail.
 */
export class ApiThrottle {
  /** Accepted call times per API path, newest last; only the last second matters. */
  private readonly windows = new Map<string, number[]>();
  private readonly forced = new Map<string, Forced[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limitPerSecond: number,
  ) {}

  /** The next n calls of `api` get the real throttle error, whatever the rate. */
  throttleNext(api: string, n: number): void {
    this.force(api, n, errors.qpsLimit);
  }

  /** The next n calls of `api` fail with the given response (e.g. 500 system.busy, 403 …ApiCountLimitForOrg). */
  force(api: string, n: number, response: () => FakeResponse): void {
    const list = this.forced.get(api) ?? [];
    list.push({ remaining: n, response });
    this.forced.set(api, list);
  }

  /** Returns the error to answer with, or undefined when the call may go through (and then counts it). */
  admit(api: string): FakeResponse | undefined {
    const queue = this.forced.get(api);
    if (queue?.length) {
      const head = queue[0];
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return head.response();
    }
    const now = this.clock();
    const recent = (this.windows.get(api) ?? []).filter((t) => now - t < 1000);
    // Rejected calls are not counted, so a client that backs off gets through once the second has passed.
    if (recent.length >= this.limitPerSecond) {
      this.windows.set(api, recent);
      return errors.qpsLimit();
    }
    recent.push(now);
    this.windows.set(api, recent);
    return undefined;
  }
}
