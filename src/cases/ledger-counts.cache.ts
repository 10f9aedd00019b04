import { Injectable, OnModuleInit } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource, type EntityMetadata, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { Clock } from '../shared/clock';

export type LightCounts = Record<'green' | 'yellow' | 'red' | 'done', number>;

/** How long a filter's counts are answered as they are … */
export const LIGHT_COUNTS_TTL_MS = 5_000;
/** … and until when they are still answered while being read again. */
export const LIGHT_COUNTS_STALE_MS = 15_000;
const MAX_ENTRIES = 500;
/** The tables whose rows the counts are made of: items (state, deadline, answers) and their units (the unit filter, P4 scope). */
const COUNTED = new Set(['item', 'item_unit']);

interface Entry {
  counts: LightCounts;
  generation: number;
  /** Real time (performance.now) and the service's time when the counts were read. */
  readAt: number;
  serviceAt: number;
}

/**
 * Issue 17, B3: the 台账's light counts (and their sum, the total) per filter and read scope, kept for a few seconds.
 * Counting every item of a filter by light is the dearest part of a page (a GROUP BY over all of them; 100,000 items:
 * tens of milliseconds), and a person paging through the 台账, or ten people looking at it, ask for the same counts
 * again and again.
 *
 * Why counts a few seconds old are acceptable: they are a summary above the list (how many red, yellow, green, done,
 * and the page count), not a figure anyone acts on item by item — the rows of the page are always read fresh, and an
 * item's light is shown on its own row. A light moves with the clock (green → yellow 24 h before the deadline, yellow
 * → red at the deadline), so counts are anyway only true "as of" the moment they were read.
 *
 * And within this process they are never stale after a change: every write of an item or of its units (through
 * TypeORM: registration, commands, jobs — the service writes no item by raw SQL) drops all kept counts, at the
 * write and again when its transaction commits, so a command followed by a read of the 台账 sees the new counts. A
 * read that began before a write does not keep what it read (the generation moved on). What remains is another
 * service process's writes, or writes around TypeORM (a database console): those show within LIGHT_COUNTS_STALE_MS at
 * most, within about LIGHT_COUNTS_TTL_MS on a 台账 in use. Age counts by real time and by the service's time, whichever
 * is more, so a test or the demo moving the clock ahead by hours or days (which moves the lights) gets counts read at
 * the new time; a clock moved back drops them too.
 */
@Injectable()
export class LedgerCountsCache implements EntitySubscriberInterface, OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  /** Transactions that wrote counted rows: the counts are dropped again when they commit. */
  private readonly dirty = new WeakSet<QueryRunner>();
  /** The read under way per key, and the generation it began in. */
  private readonly pending = new Map<string, { generation: number; promise: Promise<LightCounts> }>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (!this.db.subscribers.includes(this)) this.db.subscribers.push(this);
  }

  /**
   * The counts kept for `key`, or a fresh read through `read`. Fresh counts are answered as they are; counts past
   * LIGHT_COUNTS_TTL_MS but within LIGHT_COUNTS_STALE_MS are answered too while one read replaces them in the
   * background, so a busy 台账 never waits for its counts; older ones are read again first. One read per key at a time:
   * ten requests for the same counts wait for the same read.
   */
  async get(key: string, read: () => Promise<LightCounts>): Promise<LightCounts> {
    const hit = this.entries.get(key);
    const age = hit ? this.ageOf(hit) : 'gone';
    if (hit && age !== 'gone') {
      if (age === 'stale') this.refresh(key, read).catch(() => undefined); // the next request gets the new counts
      return { ...hit.counts };
    }
    return { ...(await this.refresh(key, read)) };
  }

  /** Drops every kept count. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Reads the counts (or joins the read under way) and keeps them, unless a write came while the read ran. */
  private refresh(key: string, read: () => Promise<LightCounts>): Promise<LightCounts> {
    const running = this.pending.get(key);
    if (running && running.generation === this.generation) return running.promise;
    const generation = this.generation;
    const serviceAt = this.clock.now().getTime();
    // Performance only: how long ago in real time, not a time of the domain (the service's clock is checked too).
    const readAt = performance.now();
    const promise = read()
      .then((counts) => {
        if (generation === this.generation) {
          this.entries.delete(key);
          if (this.entries.size >= MAX_ENTRIES) this.prune();
          this.entries.set(key, { counts: { ...counts }, generation, readAt, serviceAt });
        }
        return counts;
      })
      .finally(() => {
        if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
      });
    this.pending.set(key, { generation, promise });
    return promise;
  }

  /** Fresh, stale (answered while read again) or gone, by real time and by the service's time (a clock moved ahead or back). */
  private ageOf(e: Entry): 'fresh' | 'stale' | 'gone' {
    const real = performance.now() - e.readAt;
    const service = this.clock.now().getTime() - e.serviceAt;
    if (e.generation !== this.generation || service < 0) return 'gone';
    const age = Math.max(real, service);
    return age < LIGHT_COUNTS_TTL_MS ? 'fresh' : age < LIGHT_COUNTS_STALE_MS ? 'stale' : 'gone';
  }

  /** The expired entries go; if all are fresh, the oldest. */
  private prune(): void {
    for (const [k, e] of this.entries) if (this.ageOf(e) === 'gone') this.entries.delete(k);
    while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  private wrote(metadata: EntityMetadata | undefined, qr: QueryRunner | undefined): void {
    if (!metadata || !COUNTED.has(metadata.tableName)) return;
    this.invalidate();
    if (qr?.isTransactionActive) this.dirty.add(qr);
  }

  // TypeORM's subscriber hooks (every entity: this subscriber names no `listenTo`).
  afterInsert(e: { metadata: EntityMetadata; queryRunner: QueryRunner }): void {
    this.wrote(e.metadata, e.queryRunner);
  }
  afterUpdate(e: { metadata: EntityMetadata; queryRunner: QueryRunner }): void {
    this.wrote(e.metadata, e.queryRunner);
  }
  afterRemove(e: { metadata: EntityMetadata; queryRunner: QueryRunner }): void {
    this.wrote(e.metadata, e.queryRunner);
  }
  afterSoftRemove(e: { metadata: EntityMetadata; queryRunner: QueryRunner }): void {
    this.wrote(e.metadata, e.queryRunner);
  }
  afterRecover(e: { metadata: EntityMetadata; queryRunner: QueryRunner }): void {
    this.wrote(e.metadata, e.queryRunner);
  }
  /** A savepoint's release also "commits": the counts are dropped again then, and once more when the transaction itself commits. */
  afterTransactionCommit(e: { queryRunner: QueryRunner }): void {
    if (!this.dirty.has(e.queryRunner)) return;
    this.invalidate();
    if (!e.queryRunner.isTransactionActive) this.dirty.delete(e.queryRunner);
  }
}
