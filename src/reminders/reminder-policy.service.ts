import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { invalid, notFound } from '../shared/errors';
import { policyProblems } from './policy.validation';
import { ReminderPolicyRow } from './reminder-policy.entity';
import { DEFAULT_POLICIES, ReminderPolicy } from './reminder.policy';

const CACHE_MS = 30_000;

/**
 * R10: reminder policies are data. The seeded defaults (DOMAIN §4) stand until an admin saves a change, which
 * becomes a new version; the latest version of each policy is in force, and every reminder records the version.
 */
@Injectable()
export class ReminderPolicyService {
  private cache: Promise<ReminderPolicy[]> | null = null;
  private loadedAt = 0;

  constructor(private readonly db: DataSource) {}

  current(): Promise<ReminderPolicy[]> {
    // A version saved on another instance is read here within CACHE_MS.
    if (Date.now() - this.loadedAt > CACHE_MS) this.cache = null;
    if (this.cache) return this.cache;
    this.loadedAt = Date.now();
    this.cache = this.db
      .getRepository(ReminderPolicyRow)
      .find({ order: { id: 'ASC', version: 'ASC' } })
      .then((rows) => {
        const latest = new Map<string, ReminderPolicy>();
        for (const p of DEFAULT_POLICIES) latest.set(p.id, p);
        for (const r of rows) latest.set(r.id, { ...r.body, id: r.id, version: r.version });
        // Seed order first (it decides ties), then policies an admin added.
        return [...DEFAULT_POLICIES.map((p) => latest.get(p.id)!), ...[...latest.values()].filter((p) => !DEFAULT_POLICIES.some((d) => d.id === p.id))];
      });
    return this.cache;
  }

  async versions(id: string): Promise<ReminderPolicy[]> {
    const rows = await this.db.getRepository(ReminderPolicyRow).find({ where: { id }, order: { version: 'ASC' } });
    const seed = DEFAULT_POLICIES.find((p) => p.id === id);
    if (!seed && rows.length === 0) throw notFound('POLICY.NOT_FOUND', `没有名为「${id}」的提醒策略。`);
    return [...(seed ? [seed] : []), ...rows.map((r) => ({ ...r.body, id: r.id, version: r.version }))];
  }

  /** Checks and saves a new version; the version number is given here, never by the caller. */
  async save(id: string, body: unknown, byPersonId: number | null): Promise<ReminderPolicy> {
    const candidate = this.check({ ...(body as object), id });
    return this.db.transaction(async (em) => {
      const rows = await em.find(ReminderPolicyRow, { where: { id }, order: { version: 'DESC' }, take: 1 });
      const seed = DEFAULT_POLICIES.find((p) => p.id === id);
      const version = Math.max(rows[0]?.version ?? 0, seed?.version ?? 0) + 1;
      const policy = { ...candidate, id, version };
      await em.insert(ReminderPolicyRow, { id, version, body: policy, createdById: byPersonId });
      this.cache = null;
      return policy;
    });
  }

  check(body: unknown): ReminderPolicy {
    const problems = policyProblems(body);
    if (problems.length) throw invalid('POLICY.INVALID', `提醒策略有误：${problems.map((p) => p.message).join('；')}`, { field: problems[0].field, problems });
    return body as ReminderPolicy;
  }
}
