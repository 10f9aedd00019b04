import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ApiToken } from '../org/api-token.entity';
import { ConsoleSession } from './console-session.entity';
import { Person } from '../org/person.entity';
import { RoleGrant } from '../org/role-grant.entity';
import type { Actor } from '../shared/actor';
import { Clock } from '../shared/clock';
import { inTransaction } from '../database/transaction';
import { DirectoryCache } from '../org/directory-cache';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Bearer tokens: the bootstrap admin token from config, and tokens issued to people (stored as SHA-256 only). */
@Injectable()
export class TokenService {
  private readonly adminDigest: Buffer;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly directory: DirectoryCache,
  ) {
    this.adminDigest = sha256(config.adminToken);
  }

  async resolve(token: string): Promise<Actor | null> {
    const digest = sha256(token);
    // Compare digests in constant time: equal length whatever the caller sent.
    if (timingSafeEqual(digest, this.adminDigest)) {
      return { personId: null, name: '系统管理员', isAdmin: true, grants: [], channel: 'api' };
    }
    // Issue 17: who a token stands for (token → person → roles) is kept a few seconds (DirectoryCache) instead of three
    // reads per request. Issuing or revoking a token, retiring a person or changing their roles forgets it at once in
    // this process (another instance: within DirectoryCache.TTL_MS). A token not found is not kept.
    const hash = digest.toString('hex');
    const key = `api-token:${hash}`;
    const found = this.directory.get(key, async () => {
      const row = await this.db.getRepository(ApiToken).findOneBy({ tokenHash: hash, revokedAt: IsNull() });
      return row ? this.actorFor(row.personId, 'api') : null;
    });
    const actor = await found;
    if (!actor) {
      this.directory.drop(key, found);
      return null;
    }
    return { ...actor, grants: [...actor.grants] };
  }

  /**
   * The person's actor for a console session (issue 15), kept a few seconds like a token's (DirectoryCache): a role
   * taken away or the person retired is seen at once in this process.
   */
  async sessionActor(personId: number): Promise<Actor | null> {
    const actor = await this.directory.get(`session-actor:${personId}`, () => this.actorFor(personId, 'api'));
    return actor && { ...actor, grants: [...actor.grants] };
  }

  async actorFor(personId: number, channel: Actor['channel'], em: EntityManager = this.db.manager): Promise<Actor | null> {
    const person = await em.findOneBy(Person, { id: personId });
    if (!person || !person.active) return null;
    const grants = await em.findBy(RoleGrant, { personId });
    return {
      personId,
      name: person.name,
      isAdmin: grants.some((g) => g.role === 'admin'),
      grants: grants.map((g) => ({ role: g.role, unitId: g.unitId })),
      channel,
      officeId: person.unitId,
    };
  }

  /** Issues a new token; the plain text is returned once and never stored. */
  async issue(personId: number, label = ''): Promise<{ id: number; token: string }> {
    const token = `dbt_${randomBytes(24).toString('base64url')}`;
    // Principle 6: issued at the service's time, like its revocation.
    const row = await this.db
      .getRepository(ApiToken)
      .save({ personId, label, tokenHash: sha256(token).toString('hex'), revokedAt: null, createdAt: this.clock.now() });
    return { id: row.id, token };
  }

  /** A person's tokens as an admin sees them: which, since when, revoked or not — never the token or its hash. */
  async list(personId: number): Promise<{ id: number; label: string; createdAt: Date; revokedAt: Date | null }[]> {
    const rows = await this.db.getRepository(ApiToken).find({ where: { personId }, order: { id: 'ASC' } });
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.createdAt, revokedAt: r.revokedAt }));
  }

  /**
   * Every token the person still holds, revoked at once (someone leaves, a phone is lost); how many. Issue 15: their
   * console sessions end with them (not counted).
   */
  async revokeAll(personId: number, now: Date): Promise<number> {
    return inTransaction(this.db, async (em) => {
      const r = await em.update(ApiToken, { personId, revokedAt: IsNull() }, { revokedAt: now });
      await em.update(ConsoleSession, { personId, revokedAt: IsNull() }, { revokedAt: now });
      return r.affected ?? 0;
    });
  }

  async revoke(tokenId: number, now: Date): Promise<boolean> {
    const r = await this.db.getRepository(ApiToken).update({ id: tokenId, revokedAt: IsNull() }, { revokedAt: now });
    return (r.affected ?? 0) > 0;
  }
}
