import { randomBytes } from 'node:crypto';
import type { Clock } from './types';

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Access tokens of the one app. Both token endpoints hand out the same token (DingTalk documents that a token asked
 * for again within its life comes back unchanged with its life renewed; once expired a new one is issued), so a test
 * that wants an adapter to meet an expired token either lets the clock run past the TTL or calls expireAll().
 */
export class TokenBook {
  private current?: string;
  private readonly expiresAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  issue(): { token: string; expiresIn: number } {
    const now = this.clock();
    if (!this.current || this.check(this.current) !== 'ok') {
      this.current = randomBytes(16).toString('hex');
    }
    this.expiresAt.set(this.current, now + this.ttlSeconds * 1000);
    return { token: this.current, expiresIn: this.ttlSeconds };
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return 'missing';
    const until = this.expiresAt.get(token);
    if (until === undefined) return 'invalid';
    return this.clock() < until ? 'ok' : 'expired';
  }

  expireAll(): void {
    for (const token of this.expiresAt.keys()) this.expiresAt.set(token, Number.NEGATIVE_INFINITY);
    this.current = undefined;
  }
}
