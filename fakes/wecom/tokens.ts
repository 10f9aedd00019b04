import { randomBytes } from 'node:crypto';
import type { Clock } from './types';

export type TokenState = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Access tokens, one per app (agent). WeCom documents that asking again within a token's life returns the same
 * result, and a new token once it has expired; the fake answers the same token with the seconds it has left
 * (unverified: whether `expires_in` counts down or stays 7200).
 */
export class TokenBook {
  private readonly current = new Map<number, string>();
  private readonly tokens = new Map<string, { agentId: number; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  issue(agentId: number): { token: string; expiresIn: number } {
    const now = this.clock();
    let token = this.current.get(agentId);
    if (!token || this.check(token).state !== 'ok') {
      // Real tokens are long opaque strings (≤512 bytes); 64 url-safe characters stand in.
      token = randomBytes(48).toString('base64url');
      this.tokens.set(token, { agentId, expiresAt: now + this.ttlSeconds * 1000 });
      this.current.set(agentId, token);
    }
    const left = Math.max(1, Math.ceil((this.tokens.get(token)!.expiresAt - now) / 1000));
    return { token, expiresIn: left };
  }

  check(token: string | null | undefined): { state: TokenState; agentId?: number } {
    if (!token) return { state: 'missing' };
    const entry = this.tokens.get(token);
    if (!entry) return { state: 'invalid' };
    return { state: this.clock() < entry.expiresAt ? 'ok' : 'expired', agentId: entry.agentId };
  }

  /** Every token issued so far is expired at once (a revoked secret, or time passing). */
  expireAll(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = Number.NEGATIVE_INFINITY;
    this.current.clear();
  }
}
