import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import type { Actor } from '../shared/actor';
import { SecurityClock } from '../shared/clock';
import { ConsoleSession, LoginCode } from './console-session.entity';
import { LOGIN_CODE_TTL_MS, SESSION_MAX_MS, SESSION_TOUCH_MS, sessionAlive } from './session.rules';
import { TokenService } from './token.service';

const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** What the console is told about who signed in. */
export interface SessionView {
  personId: number | null;
  name: string;
  roles: string[];
  isAdmin: boolean;
}

export const sessionView = (a: Actor): SessionView => ({
  personId: a.personId,
  name: a.name,
  roles: a.personId === null && a.isAdmin ? ['admin'] : [...new Set(a.grants.map((g) => g.role))],
  isAdmin: a.isAdmin,
});

/**
 * Issue 15 (sign-in): console sessions and the bot's one-time sign-in codes. The cookie's and the code's plain values
 * are never stored, only their SHA-256. The session itself is read on every request; the person and their roles are
 * kept a few seconds (TokenService.sessionActor, DirectoryCache), forgotten at every change of the directory, so a role
 * taken away or a person deactivated takes effect at once (through another instance: within DirectoryCache.TTL_MS).
 */
@Injectable()
export class SessionService {
  private readonly adminKey: string;

  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly clock: SecurityClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.adminKey = sha256hex(`duban console admin session:${config.adminToken}`);
  }

  /** Whether the cookie must be Secure: the service is reached over https. */
  get secure(): boolean {
    return this.config.publicBaseUrl.toLowerCase().startsWith('https://');
  }

  get publicBaseUrl(): string {
    return this.config.publicBaseUrl;
  }

  /** Opens a session for a resolved actor; returns the cookie's value (shown once, never stored). */
  async open(actor: Actor): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    // Sessions past their absolute end can never come back: they go, so the table stays small.
    await this.db.createQueryBuilder().delete().from(ConsoleSession).where('expires_at < :now', { now }).execute();
    await this.db.getRepository(ConsoleSession).insert({
      personId: actor.personId,
      adminKey: actor.personId === null ? this.adminKey : null,
      sessionHash: sha256hex(value),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
      revokedAt: null,
    });
    return value;
  }

  /** The actor behind a cookie value, or null (unknown, expired, revoked, person gone); `renewed` when its use was recorded. */
  async resolve(value: string): Promise<{ actor: Actor; renewed: boolean } | null> {
    const repo = this.db.getRepository(ConsoleSession);
    const s = await repo.findOneBy({ sessionHash: sha256hex(value) });
    const now = this.clock.now();
    if (!s || !sessionAlive(s, now)) return null;
    let actor: Actor | null;
    if (s.personId === null) {
      actor = s.adminKey === this.adminKey ? { personId: null, name: '系统管理员', isAdmin: true, grants: [], channel: 'api' } : null;
    } else {
      actor = await this.tokens.sessionActor(s.personId);
    }
    if (!actor) return null;
    const renewed = now.getTime() - s.lastSeenAt.getTime() >= SESSION_TOUCH_MS;
    if (renewed) await repo.update({ id: s.id }, { lastSeenAt: now });
    return { actor, renewed };
  }

  /** Logout: the session behind this cookie value ends now. */
  async revoke(value: string): Promise<void> {
    await this.db.getRepository(ConsoleSession).update({ sessionHash: sha256hex(value), revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** A one-time sign-in code for a person (/登录), written in the caller's transaction; its plain value is returned once. */
  async issueLoginCode(personId: number, em: EntityManager = this.db.manager): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    await em.createQueryBuilder().delete().from(LoginCode).where('expires_at < :now', { now }).execute();
    await em.insert(LoginCode, { personId, codeHash: sha256hex(code), expiresAt: new Date(now.getTime() + LOGIN_CODE_TTL_MS), usedAt: null });
    return code;
  }

  /** The console link carrying a code: `${DUBAN_PUBLIC_URL}/登录?code=…`. */
  loginLink(code: string): string {
    return `${this.config.publicBaseUrl}/${encodeURIComponent('登录')}?code=${encodeURIComponent(code)}`;
  }

  /** Redeems a code once: the first caller within 10 minutes gets the person; anyone after (or later) gets null. */
  async redeemLoginCode(code: string): Promise<Actor | null> {
    const now = this.clock.now();
    const repo = this.db.getRepository(LoginCode);
    const row = await repo.findOneBy({ codeHash: sha256hex(code) });
    if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return null;
    // Single use even under a race: only one UPDATE finds it unused.
    const taken = await repo.update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
    if (!taken.affected) return null;
    return this.tokens.actorFor(row.personId, 'api');
  }
}
