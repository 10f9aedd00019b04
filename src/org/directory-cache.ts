import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { ChatGroup } from './chat-group.entity';
import { PersonIdentity } from './person-identity.entity';
import { Person } from './person.entity';
import { RoleGrant } from './role-grant.entity';
import { Unit } from './unit.entity';
import { currentManager } from '../database/transaction';

/**
 * The directory's tables (P1–P3), and the people's bearer tokens (who a token stands for: TokenService.resolve): a
 * write to any of them forgets everything cached.
 */
const DIRECTORY: ReadonlySet<unknown> = new Set<unknown>([Person, PersonIdentity, RoleGrant, Unit, ChatGroup, ApiToken]);

/**
 * Issue 17: what every chat event reads of the directory — who clicked (identity, person, roles), the names of the units
 * and people an item shows, the group a card sits in — kept for a few seconds instead of read again per click; and
 * likewise for every API request: who a bearer token or a console session stands for (TokenService), the names of the
 * units and people in a list of items (ItemQueriesService.views, the 台账).
 *
 * In this process it is never stale: any write to the directory's tables through TypeORM (the 组织 page, the import,
 * the API) forgets everything at once, and again when that write's transaction ends, so a read that began before the
 * commit cannot put the old rows back — a person retired (停用) is refused at their next click. A transaction that
 * wrote the directory reads past the cache (it must see its own writes). Another instance sharing the database sees a
 * change within TTL_MS (a token revoked there, a person retired there: refused here within TTL_MS).
 */
@Injectable()
export class DirectoryCache implements OnModuleInit {
  static readonly TTL_MS = 5_000;
  /** Entries kept at most; past it the cache starts again empty (a bound, not a policy). */
  static readonly MAX_ENTRIES = 20_000;

  private generation = 0;
  private readonly entries = new Map<string, { at: number; generation: number; value: Promise<unknown> }>();
  /** Transactions (query runners) that wrote the directory and have not ended yet. */
  private readonly writers = new WeakSet<QueryRunner>();

  constructor(private readonly db: DataSource) {}

  onModuleInit(): void {
    const touched = (runner: QueryRunner | undefined, target: unknown) => {
      if (!DIRECTORY.has(target)) return;
      if (runner?.isTransactionActive) this.writers.add(runner);
      this.forget();
    };
    const ended = (runner: QueryRunner) => {
      if (!this.writers.has(runner)) return;
      this.writers.delete(runner);
      this.forget();
    };
    const subscriber: EntitySubscriberInterface = {
      afterInsert: (e) => touched(e.queryRunner, e.metadata.target),
      afterUpdate: (e) => touched(e.queryRunner, e.metadata.target),
      afterRemove: (e) => touched(e.queryRunner, e.metadata.target),
      afterSoftRemove: (e) => touched(e.queryRunner, e.metadata.target),
      afterTransactionCommit: (e) => ended(e.queryRunner),
      afterTransactionRollback: (e) => ended(e.queryRunner),
    };
    this.db.subscribers.push(subscriber);
  }

  /**
   * The value under `key`, loaded by `load` when missing, older than TTL_MS or from before the last change. `em`: the
   * caller's transaction — one that wrote the directory itself is answered by `load`, uncached.
   */
  get<T>(key: string, load: () => Promise<T>, em: EntityManager | undefined = currentManager()): Promise<T> {
    if (em?.queryRunner && this.writers.has(em.queryRunner)) return load();
    const now = Date.now(); // a cache's age, not a domain instant: the service clock is not the one to ask
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && now - hit.at < DirectoryCache.TTL_MS) return hit.value as Promise<T>;
    if (this.entries.size >= DirectoryCache.MAX_ENTRIES) this.entries.clear();
    const value = load();
    const entry = { at: now, generation: this.generation, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /**
   * The chat event's or command's own transaction when there is one (a read from the pool while it holds a connection
   * could wait for ever: see currentManager), else the pool.
   */
  private em(): EntityManager {
    return currentManager() ?? this.db.manager;
  }

  /** Forgets one key, if it still holds this value (a miss not worth keeping: an unknown token). */
  drop(key: string, value: Promise<unknown>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  /** Forget everything (the subscriber calls it on every write to the directory). */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The units by id (names for cards and answers), from the cache. */
  async units(ids: readonly number[]): Promise<Map<number, Unit>> {
    const wanted = [...new Set(ids)].sort((a, b) => a - b);
    if (wanted.length === 0) return new Map();
    const rows = await this.get(`units:${wanted.join(',')}`, () => this.em().findBy(Unit, { id: In(wanted) }));
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** The people by id (names for cards and answers), from the cache. */
  async people(ids: readonly number[]): Promise<Map<number, Person>> {
    const wanted = [...new Set(ids)].sort((a, b) => a - b);
    if (wanted.length === 0) return new Map();
    const rows = await this.get(`people:${wanted.join(',')}`, () => this.em().findBy(Person, { id: In(wanted) }));
    return new Map(rows.map((p) => [p.id, p]));
  }

  /** A chat group by id, from the cache. */
  group(id: number): Promise<ChatGroup | null> {
    return this.get(`group:${id}`, () => this.em().findOneBy(ChatGroup, { id }));
  }

  /** A chat group by its platform id, from the cache; `em`: the caller's transaction. */
  groupByExternalId(platform: string, externalId: string, em: EntityManager = this.em()): Promise<ChatGroup | null> {
    return this.get(`group:${platform}:${externalId}`, () => em.findOneBy(ChatGroup, { platform: platform as ChatGroup['platform'], externalId }), em);
  }
}
