import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ItemUnit } from '../../src/cases/item-unit.entity';
import { Item } from '../../src/cases/item.entity';
import { dataSourceOptions } from '../../src/app.data-source';
import { ChatGroup } from '../../src/org/chat-group.entity';
import { Person } from '../../src/org/person.entity';
import { Unit } from '../../src/org/unit.entity';
import { ReminderPolicyRow } from '../../src/reminders/reminder-policy.entity';
import { Reminder } from '../../src/reminders/reminder.entity';
import { DEFAULT_POLICIES } from '../../src/reminders/reminder.policy';
import { createTestDatabase } from '../support/test-db';
import { dingtalkEnv } from '../support/platform-env';

const ITEMS = 10_000;
const UNITS = 500; // 20 items per unit: each unit's group gets one digest of 20 lines
const APP = { clientId: 'dinginst', clientSecret: 'dinginst-secret-0123456789', robotCode: 'dinginst' };
const ROOT = join(__dirname, '..', '..');
const numberOf = (n: number) => `DB2026-${String(n).padStart(5, '0')}`;

/** One real service process (`src/main.ts` under ts-node), as deployed, on the shared database. */
function startInstance(name: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${log.slice(-2000)}`)), 60_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (process.env.DUBAN_TEST_CHILD_LOGS) appendFileSync(`${process.env.DUBAN_TEST_CHILD_LOGS}-${name}.log`, b);
      if (log.includes('"event":"started"')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

/**
 * Issue 6, done-when: three service instances on one MariaDB, 10,000 reminders falling due together, one instance
 * killed with SIGKILL while they are being dispatched and delivered. Every reminder must reach its unit's group
 * exactly once — counted at the fake DingTalk, whose custom robots drop a repeated msgUuid as DingTalk does.
 */
describe('three instances, 10,000 reminders, one kill -9 (issue 6)', () => {
  jest.setTimeout(240_000);
  let fake: FakeDingTalk;
  let ds: DataSource;
  let drop: () => Promise<void>;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await ds?.destroy();
    await drop?.();
    await fake?.stop();
  });

  it('delivers each reminder once, loses none, when one of three instances dies mid-dispatch', async () => {
    fake = await FakeDingTalk.start({
      ...APP,
      customRobots: Array.from({ length: UNITS }, (_, u) => ({ accessToken: `tok${u}`, secret: `SECrobot${u}`, conversationId: `cid${u}` })),
    });
    const db = await createTestDatabase();
    drop = db.drop;
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    await ds.runMigrations({ transaction: 'each' });

    // The register, written straight into the tables (the commands are tested elsewhere; here only the tick is).
    // Each item's deadline is 5 h and 10 min away: the instances plan its R1 "5 h before" reminder for 10 minutes from
    // now (as in service, where reminders are planned hours ahead); once all 10,000 are planned they are made due at
    // once (due_at only — the planned instant, which the dispatch re-check reads, stays). Whatever the hour
    // — the daily policy's quiet hours and quiet days are switched off in a new version (policies are data), so CI at 03:00
    // or on a Sunday works.
    const daily = DEFAULT_POLICIES.find((p) => p.id === 'daily')!;
    await ds.getRepository(ReminderPolicyRow).insert({
      id: 'daily',
      version: daily.version + 1,
      body: { ...daily, version: daily.version + 1, quietHours: { start: '00:00', end: '00:00' }, quietDays: false, overdueClock: 'calendar' },
      createdById: null,
    });
    const [owner, leader] = await ds.getRepository(Person).save([{ name: '李秘书长' }, { name: '赵副市长' }]);
    const units = await ds.getRepository(Unit).save(Array.from({ length: UNITS }, (_, u) => ({ code: `U${u}`, name: `第${u}单位` })));
    await ds.getRepository(ChatGroup).insert(
      units.map((unit, u) => ({
        platform: 'dingtalk' as const,
        externalId: `cid${u}`,
        name: `${unit.name}督办群`,
        unitId: unit.id,
        purpose: 'unit' as const,
        webhookUrl: `${fake.oapiBase}/robot/send?access_token=tok${u}`,
        webhookSecret: `SECrobot${u}`,
      })),
    );
    const now = Date.now();
    for (let from = 1; from <= ITEMS; from += 1000) {
      const items = await ds.getRepository(Item).save(
        Array.from({ length: 1000 }, (_, k) => ({
          number: numberOf(from + k),
          title: `提醒事项${from + k}`,
          content: '内容',
          source: 'hotline' as const,
          board: 'daily' as const,
          category: 'decision' as const,
          state: 'in_progress' as const,
          ownerId: owner.id,
          leaderId: leader.id,
          registeredById: null,
          servedParty: null,
          registeredAt: new Date(now - 2 * 86_400_000),
          assignedAt: new Date(now - 2 * 86_400_000),
          deadlineAt: new Date(now + 5 * 3_600_000 + 10 * 60_000),
          deadlineSpec: '3d',
          deadlineReason: null,
          parentId: null,
          closedAt: null,
          numberRetiredAt: null,
          archivedAt: null,
          rating: null,
        })),
        { chunk: 250 },
      );
      await ds
        .getRepository(ItemUnit)
        .insert(items.map((item, k) => ({ itemId: item.id, unitId: units[(from + k) % UNITS].id, role: 'lead' as const, signedAt: null, signedById: null })));
    }

    const env = {
      DATABASE_URL: db.url,
      PORT: '0',
      DUBAN_DEMO_SEED: 'false',
      DUBAN_ADMIN_TOKEN: 'instances-admin-token-0123456789',
      DUBAN_REMINDER_TICK_MS: '300',
      DUBAN_OUTBOX_POLL_MS: '100',
      DUBAN_OUTBOX_LEASE_MS: '8000',
      ...dingtalkEnv(fake, APP),
    };
    children.push(...(await Promise.all(['a', 'b', 'c'].map((n) => startInstance(n, env)))));
    const planned = () => ds.getRepository(Reminder).countBy({ kind: 'before_deadline' });
    for (let i = 0; (await planned()) < ITEMS; i++) {
      if (i > 600) throw new Error(`only ${await planned()} of ${ITEMS} reminders planned after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await ds.query("UPDATE reminder SET due_at = ? WHERE kind = 'before_deadline'", [new Date()]);

    // Count what the groups have received: each item number, how many times.
    const seen = () => {
      const count = new Map<string, number>();
      for (let u = 0; u < UNITS; u++) {
        for (const m of fake.groupMessages(`cid${u}`)) for (const n of JSON.stringify(m).match(/DB2026-\d{5}/g) ?? []) count.set(n, (count.get(n) ?? 0) + 1);
      }
      return count;
    };
    const messages = () => Array.from({ length: UNITS }, (_, u) => fake.groupMessages(`cid${u}`).length).reduce((a, b) => a + b, 0);

    // Kill one instance with SIGKILL once deliveries are under way: its open transaction and its leased rows are
    // left behind exactly as a crash leaves them.
    await fake.waitFor(() => messages() >= 60, 120_000);
    children[0].kill('SIGKILL');
    const killedAt = messages();

    await fake.waitFor(() => seen().size === ITEMS, 150_000);
    await new Promise((r) => setTimeout(r, 2000)); // let anything still in flight land, so a double would show
    const count = seen();
    expect(count.size).toBe(ITEMS);
    expect([...count.values()].filter((c) => c !== 1)).toEqual([]);
    expect(killedAt).toBeLessThan(messages()); // the kill really came mid-way
    // And the database agrees: every reminder sent, no digest dead or pending.
    expect(await ds.getRepository(Reminder).countBy({ status: 'pending', kind: 'before_deadline' })).toBe(0);
    expect(await ds.getRepository(Reminder).countBy({ status: 'sent', kind: 'before_deadline' })).toBe(ITEMS);
    const digests = await ds.getRepository(OutboxMessage).findBy({ kind: 'reminder_digest' });
    expect(digests.filter((d) => d.status !== 'sent')).toEqual([]);
    // Each digest reached its group once (a resend after the kill is dropped by DingTalk's msgUuid check), and
    // digests stay mostly whole: a unit's 20 reminders due together leave as one message, unless the kill rolled
    // back a claim half-way through a unit or planning had not reached all of a unit's items when they fell due.
    expect(messages()).toBe(digests.length);
    expect(digests.length).toBeLessThan(UNITS * 1.5);
  });
});
