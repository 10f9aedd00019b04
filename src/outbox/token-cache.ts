import type { Clock } from '../shared/clock';

/**
 * An access token kept a little under its life (5 minutes, or a fifth of a short life, of margin so it never expires
 * in flight), fetched by one caller at a time, and fetched again on demand after an auth error. Both platforms use it.
 */
export class TokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly fetchToken: () => Promise<{ value: string; lifeSeconds: number }>,
  ) {}

  get(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt > this.clock.now().getTime()) return Promise.resolve(this.token.value);
    this.fetching ??= (async () => {
      try {
        const { value, lifeSeconds } = await this.fetchToken();
        const life = lifeSeconds * 1000;
        this.token = { value, expiresAt: this.clock.now().getTime() + life - Math.min(300_000, life / 5) };
        return value;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
