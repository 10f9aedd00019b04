import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import type { Clock } from '../../shared/clock';
import { CallbackSignature } from './callback-signature.entity';

export type SignatureUse = 'ok' | 'replay';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SWEEP_EVERY_MS = 60_000;

/**
 * Issue 11 D11: a signature that covers only a timestamp is used with one body only. Before a callback has any
 * effect its signature is inserted under a unique key (insert-or-refuse, so two instances cannot both take it):
 *  - ok:     never seen, or seen with the very same body — the platform delivering the same request again; go on
 *            (the inbox makes the effect happen once), so a retry after a failure is not lost;
 *  - replay: seen with another body — someone reusing a captured signature: refuse.
 * Rows expire with the freshness window (after it the timestamp alone refuses the pair); each instance sweeps the
 * expired ones at most once a minute.
 */
export class ReplayGuard {
  private readonly log = new Logger('callbacks');
  private lastSweep = 0;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async use(channel: string, signed: string, body: string, expiresAt: Date): Promise<SignatureUse> {
    await this.sweep();
    const signatureKey = sha256(signed);
    const bodyDigest = sha256(body);
    await this.db
      .createQueryBuilder()
      .insert()
      .into(CallbackSignature)
      .values({ channel, signatureKey, bodyDigest, expiresAt })
      .orIgnore()
      .updateEntity(false)
      .execute();
    // Whoever inserted first owns the pair; everyone reads back the body it was first used with.
    const seen = await this.db.getRepository(CallbackSignature).findOneBy({ channel, signatureKey });
    if (!seen || seen.bodyDigest === bodyDigest) return 'ok'; // (absent: swept as expired — the window check came first)
    this.log.warn(JSON.stringify({ event: 'callback_replay_refused', channel }));
    return 'replay';
  }

  private async sweep(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    await this.db.getRepository(CallbackSignature).delete({ expiresAt: LessThan(now) });
  }
}
