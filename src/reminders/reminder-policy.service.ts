import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Person } from '../org/person.entity';
import { Clock } from '../shared/clock';
import { invalid, notFound } from '../shared/errors';
import { policyProblems } from './policy.validation';
import { ReminderPolicyRow } from './reminder-policy.entity';
import { DEFAULT_POLICIES, LANDED_POLICY_VERSIONS, PolicyRow } from './reminder.policy';
import { inTransaction } from '../database/transaction';

const CACHE_MS = 30_000;

/**
 * R10: reminder policies are data. The seeded defaults (DOMAIN §4) stand until an admin saves a change, which
 * becomes a new version; the latest version of each policy is in force, and every reminder records the version.
 *
 * A default that changes in code gets a new version number (reminder.policy.ts): a database with no saved version of
 * that id follows it at once (the higher version wins; a saved version of the same number is the admin's and wins);
 * where an admin had saved versions, a migration appends the new default after them (1764800200000 for issue 13's
 * add-on policies), so the new default reaches every database and no landed version is edited.
 */
@Injectable()
export class ReminderPolicyService {
  private cache: Promise<PolicyRow[]> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  current(): Promise<PolicyRow[]> {
    // A version saved on another instance is read here within CACHE_MS.
    if (Date.now() - this.loadedAt > CACHE_MS) this.cache = null;
    if (this.cache) return this.cache;
    this.loadedAt = Date.now();
    this.cache = this.db
      .getRepository(ReminderPolicyRow)
      .find({ order: { id: 'ASC', version: 'ASC' } })
      .then((rows) => {
        const latest = new Map<string, PolicyRow>();
        for (const p of DEFAULT_POLICIES) latest.set(p.id, p);
        for (const r of rows) {
          const seen = latest.get(r.id);
          if (!seen || r.version >= seen.version) latest.set(r.id, { ...r.body, id: r.id, version: r.version });
        }
        // Seed order first (it decides ties), then policies an admin added.
        return [...DEFAULT_POLICIES.map((p) => latest.get(p.id)!), ...[...latest.values()].filter((p) => !DEFAULT_POLICIES.some((d) => d.id === p.id))];
      });
    return this.cache;
  }

  async versions(id: string): Promise<PolicyRow[]> {
    const rows = await this.db.getRepository(ReminderPolicyRow).find({ where: { id }, order: { version: 'ASC' } });
    // The defaults' versions as they landed, then the saved ones (a saved version of the same number replaces a default's).
    const seeds = [...LANDED_POLICY_VERSIONS, ...DEFAULT_POLICIES].filter((p) => p.id === id && !rows.some((r) => r.version === p.version));
    if (seeds.length === 0 && rows.length === 0) throw notFound('POLICY.NOT_FOUND', `没有名为「${id}」的提醒策略。`);
    return [...seeds, ...rows.map((r) => ({ ...r.body, id: r.id, version: r.version }))].sort((a, b) => a.version - b.version);
  }

  /**
   * Issue 15 (提醒策略 page): every version with who saved it and when — the defaults as they landed have neither
   * (savedAt and savedBy null: 系统默认).
   */
  async history(id: string): Promise<{ version: number; savedAt: Date | null; savedBy: string | null; policy: PolicyRow }[]> {
    const versions = await this.versions(id);
    const rows = await this.db.getRepository(ReminderPolicyRow).find({ where: { id }, order: { version: 'ASC' } });
    const ids = rows.map((r) => r.createdById).filter((p): p is number => p !== null);
    const people = ids.length ? await this.db.getRepository(Person).findBy({ id: In(ids) }) : [];
    return versions.map((policy) => {
      const row = rows.find((r) => r.version === policy.version);
      const by = row ? (row.createdById === null ? '管理员（管理令牌）' : (people.find((p) => p.id === row.createdById)?.name ?? '已删除的人员')) : null;
      return { version: policy.version, savedAt: row?.createdAt ?? null, savedBy: by, policy };
    });
  }

  /** Checks and saves a new version; the version number is given here, never by the caller. */
  async save(id: string, body: unknown, byPersonId: number | null): Promise<PolicyRow> {
    const candidate = this.check({ ...(body as object), id });
    return inTransaction(this.db, async (em) => {
      const rows = await em.find(ReminderPolicyRow, { where: { id }, order: { version: 'DESC' }, take: 1 });
      const seed = DEFAULT_POLICIES.find((p) => p.id === id);
      const version = Math.max(rows[0]?.version ?? 0, seed?.version ?? 0) + 1;
      const policy = { ...candidate, id, version };
      // Principle 6: saved at the service's time (the 提醒策略 page shows it), not the database server's.
      await em.insert(ReminderPolicyRow, { id, version, body: policy, createdById: byPersonId, createdAt: this.clock.now() });
      this.cache = null;
      return policy;
    });
  }

  check(body: unknown): PolicyRow {
    const problems = policyProblems(body);
    if (problems.length) throw invalid('POLICY.INVALID', `提醒策略有误：${problems.map((p) => p.message).join('；')}`, { field: problems[0].field, problems });
    return body as PolicyRow;
  }
}
