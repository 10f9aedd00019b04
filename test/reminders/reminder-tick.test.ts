import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboundComposer } from '../../src/chat/outbound.composer';
import { CalendarService } from '../../src/calendar/calendar.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { Item } from '../../src/cases/item.entity';
import { ItemUnit } from '../../src/cases/item-unit.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { toShanghaiIso } from '../../src/shared/shanghai-time';
import { lookaheadEnd, ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ReminderPolicyService } from '../../src/reminders/reminder-policy.service';
import { Reminder } from '../../src/reminders/reminder.entity';
import { coalesce, planReminders } from '../../src/reminders/schedule.rules';
import { policyFor } from '../../src/reminders/reminder.policy';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const MONDAY_9 = new Date('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai

/** Issue 6 step 2: the tick on MariaDB with an injected clock — plan, claim, re-check (R3), digest (R10), outbox. */
describe('reminder tick (R1, R3, R4, R5, R10)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: MONDAY_9 });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  async function openItem(title: string): Promise<Item> {
    t.clock.set(MONDAY_9);
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'hotline', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline: { node: '1d' } },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    return item;
  }

  /** Walks the clock hour by hour, ticking as the service would. */
  async function walk(hours: number): Promise<void> {
    const s = t.get(ReminderScheduler);
    for (let h = 1; h <= hours; h++) {
      t.clock.set(new Date(MONDAY_9.getTime() + h * HOUR));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
  }

  const digests = (target: string) =>
    t.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest', target: target as never }, order: { id: 'ASC' } });

  it('R1/R4/R5/R10: a 1-day item overdue without a report: every digest the rules predict, at the quiet-hours-shifted instant, once', async () => {
    const item = await openItem('十三七一零时间线');
    await walk(110); // to Friday 19:00: the deadline was Tuesday 18:00 (C3: a 1d node ends at the day end), so past 3 days overdue
    // The expectation, from the pure rules: what the unit's group should get, deferred and coalesced.
    const cal = await t.get(CalendarService).calendar();
    const policy = policyFor(item, await t.get(ReminderScheduler).policies());
    const planned = planReminders({
      item: {
        id: item.id,
        board: item.board,
        source: item.source,
        state: 'in_progress',
        registeredAt: item.registeredAt,
        deadlineAt: item.deadlineAt,
        lastReportAt: null,
      },
      policy,
      calendar: cal,
      from: MONDAY_9,
      until: new Date(MONDAY_9.getTime() + 110 * HOUR + 1),
    });
    const expectedUnit = coalesce(planned.filter((p) => p.audience === 'unit').map((p) => ({ ...p, dueAt: p.sendAt, recipient: 'unit' })));
    const unit = await digests(`group:${org.groups.lead}`);
    // Issue 14: the A1 clue opened at 2 days rides in that moment's digest (a reminder the clue opener stores, not planned).
    const plannedLines = (m: (typeof unit)[number]) => (m.payload.reminders as { kind: string }[]).filter((r) => r.kind !== 'clue_opened').length;
    expect(unit.map(plannedLines)).toEqual(expectedUnit.map((d) => d.reminders.length));
    expect(unit.length).toBe(expectedUnit.length);
    // Concretely: the first is 5 h before the Tuesday 18:00 deadline — 13:00, in working hours (no R10 move).
    const firstKinds = (unit[0].payload.reminders as { kind: string }[]).map((r) => r.kind);
    expect(firstKinds).toContain('before_deadline');
    // What the group will read: one message, one line per reminder, in the 13710 wording.
    const [delivery] = await t.get(OutboundComposer).compose(unit[0], new Set(['dingtalk']));
    expect(delivery.outbound).toMatchObject({ type: 'text' });
    const text = (delivery.outbound as { text: string }).text;
    expect(text.split('\n')).toHaveLength(firstKinds.length);
    expect(text).toContain(`【督办提醒】${item.number}「十三七一零时间线」将于 2026-03-03 18:00 到期`);
    const reminders = await t.db.getRepository(Reminder).find({ where: { itemId: item.id }, order: { dueAt: 'ASC' } });
    expect(toShanghaiIso(reminders[0].plannedAt)).toBe('2026-03-03T13:00:00+08:00');
    expect(toShanghaiIso(reminders[0].dueAt)).toBe('2026-03-03T13:00:00+08:00');
    // Nothing went out between 22:00 and 08:00.
    for (const r of reminders.filter((x) => x.status === 'sent')) {
      const hour = Number(toShanghaiIso(r.dueAt)!.slice(11, 13));
      expect(hour >= 8 && hour < 22).toBe(true);
    }
    // R4 then R5: after day 2 the owner is told to report to its coordinating leader (not the D3 leader, 001 §14),
    // and at 3 days the item becomes 重点督办 on its timeline.
    expect((await digests(`person:${org.leader.id}`)).length).toBe(0);
    expect((await digests(`person:${org.owner.id}`)).length).toBe(1);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).keySupervision).toBe(true);
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'key_supervision' })).toBe(1);
    // Ticking again at the same instant sends nothing more.
    const before = await t.db.getRepository(OutboxMessage).countBy({ kind: 'reminder_digest' });
    await t.get(ReminderScheduler).plan(t.clock.now());
    await t.get(ReminderScheduler).dispatch(t.clock.now());
    expect(await t.db.getRepository(OutboxMessage).countBy({ kind: 'reminder_digest' })).toBe(before);
  });

  it('R3: a report that arrives cancels the urges it makes pointless', async () => {
    const item = await openItem('报送后取消催办');
    await walk(35); // Tuesday 20:00: 2 h overdue
    await t.get(ItemCommandsService).report(item.number, org.leadContact.actor, '已办理完毕，报告如下');
    const sentBefore = await t.db.getRepository(Reminder).countBy({ itemId: item.id, status: 'sent' });
    const s = t.get(ReminderScheduler);
    for (let h = 36; h <= 110; h++) {
      t.clock.set(new Date(MONDAY_9.getTime() + h * HOUR));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
    expect(await t.db.getRepository(Reminder).countBy({ itemId: item.id, status: 'sent' })).toBe(sentBefore);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: item.id })).keySupervision).toBe(false);
  });
});

describe('two instances on one MariaDB (FOR UPDATE SKIP LOCKED)', () => {
  it('share due reminders without sending any twice', async () => {
    const a = await startTestApp({ now: MONDAY_9 });
    try {
      const org = await seedOrg(a);
      const reg = a.get(RegistrationService);
      const cmd = a.get(ItemCommandsService);
      for (let i = 0; i < 60; i++) {
        const item = await reg.register(
          {
            title: `并发提醒${i}`,
            content: '内容',
            source: 'hotline',
            ownerId: org.owner.id,
            leaderId: org.leader.id,
            leadUnitId: i % 2 ? org.units.lead : org.units.co,
            deadline: { node: '1d' },
          },
          org.supervisor.actor,
        );
        await cmd.assign(item.number, org.owner.actor);
      }
      // A second service instance on the same database, with its own connection pool.
      const b = await startTestApp({ now: MONDAY_9, attachTo: a });
      try {
        const later = new Date(MONDAY_9.getTime() + 40 * HOUR); // Wednesday 01:00: several reminders due per item (deadline Tuesday 18:00)
        await a.get(ReminderScheduler).plan(new Date(MONDAY_9.getTime() + HOUR), 40 * HOUR);
        await b.get(ReminderScheduler).plan(new Date(MONDAY_9.getTime() + HOUR), 40 * HOUR); // planning twice adds nothing
        const due = await a.db.getRepository(Reminder).createQueryBuilder('r').where('r.due_at <= :later', { later }).getCount();
        expect(due).toBeGreaterThan(100);
        // Both instances tick at once: each skips the rows the other has locked.
        const [x, y] = await Promise.all([a.get(ReminderScheduler).dispatch(later), b.get(ReminderScheduler).dispatch(later)]);
        expect(x + y).toBe(due);
      } finally {
        await b.close();
      }
      const later = new Date(MONDAY_9.getTime() + 40 * HOUR);
      const digests = await a.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest' } });
      const keys = digests.flatMap((d) => (d.payload.reminders as { key: string }[]).map((r) => `${d.target}|${r.key}`));
      expect(new Set(keys).size).toBe(keys.length);
      expect(await a.db.getRepository(Reminder).countBy({ status: 'pending' })).toBe(
        await a.db.getRepository(Reminder).createQueryBuilder('r').where('r.due_at > :later', { later }).getCount(),
      );
    } finally {
      await a.close();
    }
  });
});

/** Issue 6 §1 and §5: policies are versioned data an admin edits; a preview shows what a candidate would send. */
describe('reminder policies over HTTP', () => {
  it('an admin saves a new version; the preview shows the candidate before saving; reminders record the version used', async () => {
    const t = await startTestApp({ now: MONDAY_9 });
    try {
      const org = await seedOrg(t);
      const item = await t.get(RegistrationService).register(
        {
          title: '策略预览',
          content: '内容',
          source: 'hotline',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          deadline: { node: '3d' },
        },
        org.supervisor.actor,
      );
      // Issue 14: an item is reminded once it is the unit's (交办); one never handed over is not urged.
      await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
      const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      const current = await t.http().get('/api/reminder-policies').set(admin).expect(200);
      const daily = current.body.find((p: { id: string }) => p.id === 'daily');
      expect(daily.beforeDeadline).toEqual([{ hours: 5 }]);

      // Preview a candidate that also reminds a day before: 24 h appears for this item, nothing is saved.
      const candidate = { ...daily, beforeDeadline: [{ hours: 24 }, { hours: 5 }] };
      const preview = await t.http().post('/api/reminder-policies/preview').set(admin).send({ policy: candidate, number: item.number, days: 4 }).expect(200);
      const before = preview.body
        .filter((r: { kind: string }) => r.kind === 'before_deadline')
        .map((r: { plannedAt: string; sendAt: string }) => [r.plannedAt, r.sendAt]);
      expect(before).toEqual([
        // C3: a 3d node registered Monday 09:00 ends Thursday 18:00.
        ['2026-03-04T18:00:00+08:00', '2026-03-04T18:00:00+08:00'],
        ['2026-03-05T13:00:00+08:00', '2026-03-05T13:00:00+08:00'],
      ]);
      expect((await t.http().get('/api/reminder-policies').set(admin)).body.find((p: { id: string }) => p.id === 'daily').version).toBe(daily.version);

      // Saving: a bad value is refused naming the field; a good one becomes the next version and plans reminders.
      const bad = await t
        .http()
        .put('/api/reminder-policies/daily')
        .set(admin)
        .send({ ...candidate, quietHours: { start: '25:00', end: '08:00' } })
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'POLICY.INVALID', field: 'quietHours' });
      await t.http().put('/api/reminder-policies/daily').set(bearer(org.supervisor)).send(candidate).expect(403);
      const saved = await t.http().put('/api/reminder-policies/daily').set(admin).send(candidate).expect(200);
      expect(saved.body.version).toBe(daily.version + 1);
      expect((await t.http().get('/api/reminder-policies/daily/versions').set(admin)).body.map((p: { version: number }) => p.version)).toEqual([
        daily.version,
        daily.version + 1,
      ]);
      await t.get(ReminderScheduler).plan(MONDAY_9, 4 * 24 * HOUR);
      const rows = await t.db.getRepository(Reminder).find({ where: { itemId: item.id, kind: 'before_deadline' } });
      expect(rows.map((r) => [r.policyId, r.policyVersion])).toEqual([
        ['daily', daily.version + 1],
        ['daily', daily.version + 1],
      ]);
    } finally {
      await t.close();
    }
  });
});

/**
 * Issue 13 scope 2 (R4, R10 with quiet days) on the 2026 calendar: 劳动节 05-01…05-05. Deadlines are given as a date
 * (ends at the day end, 18:00) so the test does not depend on how time nodes are counted.
 */
describe('quiet days through the scheduler (R3, R4, R10)', () => {
  const THU_NOON = new Date('2026-04-30T04:00:00Z'); // 2026-04-30 12:00 Shanghai, the day before 劳动节
  const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-04-27 09:00') });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());
  const digests = (target: string) =>
    t.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest', target: target as never }, order: { id: 'ASC' } });

  async function openItem(title: string): Promise<Item> {
    t.clock.set(at('2026-04-27 09:00'));
    const item = await t.get(RegistrationService).register(
      {
        title,
        content: '内容',
        source: 'hotline',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date: '2026-04-30' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    return item;
  }

  it('R10: nothing is sent during 劳动节; on 05-06 08:00 the unit gets ONE message with one line per item; answered items get nothing', async () => {
    const late = [await openItem('节前到期甲'), await openItem('节前到期乙')];
    const inHoliday = await openItem('节日期间已报送');
    const beforeHoliday = await openItem('节前已报送');
    const s = t.get(ReminderScheduler);
    const reportAt: Record<string, number> = { [at('2026-04-30 20:00').getTime()]: beforeHoliday.id, [at('2026-05-03 10:00').getTime()]: inHoliday.id };
    const numbers = new Map([inHoliday, beforeHoliday].map((i) => [i.id, i.number]));
    for (let now = THU_NOON.getTime(); now <= at('2026-05-06 12:00').getTime(); now += HOUR) {
      t.clock.set(new Date(now));
      if (reportAt[now]) await t.get(ItemCommandsService).report(numbers.get(reportAt[now])!, org.leadContact.actor, '已办理完毕，报告如下');
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
    }
    const sent = (await digests(`group:${org.groups.lead}`)).filter((m) => m.dueAt >= THU_NOON);
    const when = sent.map((m) => toShanghaiIso(m.dueAt));
    // Before the holiday: the 13:00 "5 h before" and the 21:00 urge (+3 h); then nothing until 05-06 08:00.
    expect(when.filter((w) => w! < '2026-05-06')).toEqual(['2026-04-30T13:00:00+08:00', '2026-04-30T21:00:00+08:00']);
    expect(when.filter((w) => w! >= '2026-05-06')).toEqual(['2026-05-06T08:00:00+08:00', '2026-05-06T09:00:00+08:00', '2026-05-06T12:00:00+08:00']);
    const lines = (m: OutboxMessage) => (m.payload.reminders as { itemId: number; kind: string }[]).map((r) => [r.itemId, r.kind]);
    const morning = sent.find((m) => toShanghaiIso(m.dueAt) === '2026-05-06T08:00:00+08:00')!;
    // One line per item: the 逾期5小时 reminder held from 04-30 23:00 stands for the urges of 00:00, 03:00 and 06:00.
    expect(lines(morning)).toEqual(late.map((i) => [i.id, 'after_deadline']).sort());
    const rows = await t.db.getRepository(Reminder).find({ where: { itemId: late[0].id, status: 'sent' }, order: { plannedAt: 'ASC' } });
    expect(rows.filter((r) => toShanghaiIso(r.dueAt) === '2026-05-06T08:00:00+08:00').map((r) => toShanghaiIso(r.plannedAt))).toEqual([
      '2026-04-30T23:00:00+08:00',
      '2026-05-01T00:00:00+08:00', // planned at the rule's instant; held to the working morning (due_at)
      '2026-05-06T03:00:00+08:00',
      '2026-05-06T06:00:00+08:00',
    ]);
    // R3: the item answered during the holiday — its held reminders were cancelled, not sent; the one answered before: nothing after.
    const after = (id: number) => sent.filter((m) => m.dueAt > at('2026-04-30 20:00') && lines(m).some(([itemId]) => itemId === id));
    expect(after(inHoliday.id).map((m) => toShanghaiIso(m.dueAt))).toEqual(['2026-04-30T21:00:00+08:00']);
    expect(after(beforeHoliday.id)).toEqual([]);
    expect(await t.db.getRepository(Reminder).countBy({ itemId: inHoliday.id, status: 'cancelled' })).toBeGreaterThan(0);
    expect(
      (await t.db.getRepository(Reminder).findBy({ itemId: inHoliday.id, status: 'sent' })).every((r) => r.dueAt.getTime() < at('2026-05-01 00:00').getTime()),
    ).toBe(true);
  });

  it('R10: a day declared a rest day after the reminders were planned — what was held onto it is held again, to the next working morning', async () => {
    t.clock.set(at('2026-06-01 09:00'));
    const item = await t.get(RegistrationService).register(
      {
        title: '调休后顺延',
        content: '内容',
        source: 'hotline',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date: '2026-06-08' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    const s = t.get(ReminderScheduler);
    t.clock.set(at('2026-06-08 21:00'));
    await s.plan(t.clock.now());
    await s.dispatch(t.clock.now());
    const held = () => t.db.getRepository(Reminder).findOneByOrFail({ itemId: item.id, kind: 'after_deadline', plannedAt: at('2026-06-08 23:00') });
    // 逾期5小时 = 23:00 on Monday 06-08, held out of the night to Tuesday 08:00.
    expect([toShanghaiIso((await held()).plannedAt), toShanghaiIso((await held()).dueAt)]).toEqual(['2026-06-08T23:00:00+08:00', '2026-06-09T08:00:00+08:00']);
    await t.get(CalendarService).putOverride('2026-06-09', 'restday', '临时调休');
    try {
      t.clock.set(at('2026-06-09 08:00'));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
      expect([(await held()).status, toShanghaiIso((await held()).dueAt)]).toEqual(['pending', '2026-06-10T08:00:00+08:00']);
      t.clock.set(at('2026-06-10 08:00'));
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
      expect((await held()).status).toBe('sent');
    } finally {
      await t.get(CalendarService).deleteOverride('2026-06-09');
    }
  });

  it('policy preview: turning quiet days off shows, per item, the reminders that would go out during 劳动节 instead of being held', async () => {
    const item = await openItem('预览节假日顺延');
    t.clock.set(THU_NOON);
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const daily = (await t.http().get('/api/reminder-policies').set(admin).expect(200)).body.find((p: { id: string }) => p.id === 'daily');
    expect([daily.overdueClock, daily.quietDays]).toEqual(['working', true]);
    const res = await t
      .http()
      .post('/api/reminder-policies/preview/changes')
      .set(admin)
      .send({ policy: { ...daily, quietDays: false }, number: item.number, days: 7 })
      .expect(200);
    expect(res.body).toHaveLength(1);
    const [mine] = res.body;
    expect(mine).toMatchObject({ number: item.number, title: '预览节假日顺延', policyBefore: `daily@${daily.version}`, policyAfter: 'daily（待保存）' });
    expect(mine.changes[0]).toEqual({
      change: '改期',
      what: '逾期提醒',
      to: '承办单位',
      kind: 'after_deadline',
      rule: 'R1',
      audience: 'unit',
      before: { plannedAt: '2026-04-30T23:00:00+08:00', sendAt: '2026-05-06T08:00:00+08:00', held: '节假日顺延' },
      after: { plannedAt: '2026-04-30T23:00:00+08:00', sendAt: '2026-05-01T08:00:00+08:00', held: '夜间顺延' },
    });
    // The 04-30 reminders before the night are unchanged, so they are not listed.
    expect(mine.changes.some((c: { before?: { plannedAt: string } }) => c.before && c.before.plannedAt < '2026-04-30T22:00:00+08:00')).toBe(false);
    // The old listing shows the hold too.
    const list = await t.http().post('/api/reminder-policies/preview').set(admin).send({ number: item.number, days: 7 }).expect(200);
    expect(list.body.find((r: { plannedAt: string }) => r.plannedAt === '2026-04-30T23:00:00+08:00')).toMatchObject({
      sendAt: '2026-05-06T08:00:00+08:00',
      held: '节假日顺延',
    });
    // A candidate that changes nothing lists nothing; nothing was saved.
    await t.http().post('/api/reminder-policies/preview/changes').set(admin).send({ policy: daily, number: item.number }).expect(200, []);
    expect((await t.http().get('/api/reminder-policies').set(admin)).body.find((p: { id: string }) => p.id === 'daily').version).toBe(daily.version);
  });
});

/** Issue 6 at scale: a tick plans the items that need it, not the whole register. */
describe('incremental planning', () => {
  it('plans new and changed items, items whose next reminder comes near, and every open item after a policy change', async () => {
    const t = await startTestApp({ now: MONDAY_9 });
    try {
      const org = await seedOrg(t);
      const numbers: string[] = [];
      for (const title of ['增量规划一', '增量规划二', '增量规划三']) {
        const item = await t
          .get(RegistrationService)
          .register(
            { title, content: '内容', source: 'hotline', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, deadline: { node: '7d' } },
            org.supervisor.actor,
          );
        await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
        numbers.push(item.number);
      }
      const s = t.get(ReminderScheduler);
      const marks = async () => (await t.db.getRepository(Item).find({ order: { id: 'ASC' } })).map((i) => i.remindersPlannedUntil?.getTime() ?? null);
      const at = (h: number) => new Date(MONDAY_9.getTime() + h * HOUR);

      // Issue 17: nothing falls in the 12 h stored, nor in the look-ahead (their first reminder is 03-11 13:00): each
      // mark is the item's look-ahead bound, not 12 h from now.
      const ids = (await t.db.getRepository(Item).find({ order: { id: 'ASC' } })).map((i) => i.id);
      const bounds = (h: number) => ids.map((id) => lookaheadEnd(id, at(h), at(h + 12)).getTime());
      await s.plan(at(0));
      expect(s.lastPlan.items).toBe(3);
      expect(await marks()).toEqual(bounds(0));
      // An hour later nothing needs planning: the marks are untouched.
      await s.plan(at(1));
      expect(s.lastPlan.items).toBe(0);
      expect(await marks()).toEqual(bounds(0));
      // A command clears the item's mark; the next tick plans that item alone.
      t.clock.set(at(2));
      await t.get(ItemCommandsService).sign(numbers[0], org.leadContact.actor);
      expect((await marks())[0]).toBeNull();
      await s.plan(at(2));
      expect(s.lastPlan.items).toBe(1);
      expect(await marks()).toEqual([bounds(2)[0], ...bounds(0).slice(1)]);
      // Where the old mark was 12 h ahead, planned again every 6 h: at 7 h nothing is planned.
      await s.plan(at(7));
      expect(s.lastPlan.items).toBe(0);
      // A new policy version: every open item is planned again, under it.
      const daily = (await s.policies()).find((p) => p.id === 'daily')!;
      await t.get(ReminderPolicyService).save('daily', { ...daily, beforeDeadline: [{ hours: 24 }, { hours: 5 }] }, null);
      await s.plan(at(8));
      expect(s.lastPlan.items).toBe(3);
      expect(await marks()).toEqual(bounds(8));
      // Walking on, tick by tick (every 5 h here), the new version's 24 h and 5 h reminders are stored once each.
      for (let h = 13; h <= 218; h += 5) await s.plan(at(h)); // a 7d node registered Monday 09:00 ends Wednesday 03-11 18:00
      const fresh = (await t.db.getRepository(Reminder).find({ where: { kind: 'before_deadline' } })).filter((r) => r.policyVersion === daily.version + 1);
      expect(fresh.map((r) => toShanghaiIso(r.plannedAt)).sort()).toEqual([
        ...Array(3).fill('2026-03-10T18:00:00+08:00'),
        ...Array(3).fill('2026-03-11T13:00:00+08:00'),
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('dispatch of a large backlog', () => {
  it('R10: one dispatch sends everything due, recipient by recipient — a batch that ends mid-recipient leaves that recipient whole for the next', async () => {
    const t = await startTestApp({ now: MONDAY_9 });
    try {
      const org = await seedOrg(t);
      // 2 × 300 items, all with their "5 h before" reminder due at 10:00: more than one claim (500) can hold.
      const items = await t.db.getRepository(Item).save(
        Array.from({ length: 600 }, (_, i) => ({
          number: `DB2026-${String(9000 + i)}`,
          title: `积压${i}`,
          content: '内容',
          source: 'hotline' as const,
          board: 'daily' as const,
          category: 'decision' as const,
          state: 'in_progress' as const,
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          registeredById: null,
          servedParty: null,
          registeredAt: MONDAY_9,
          assignedAt: MONDAY_9,
          deadlineAt: new Date(MONDAY_9.getTime() + 6 * HOUR),
          deadlineSpec: '1d',
          deadlineReason: null,
          parentId: null,
          closedAt: null,
          numberRetiredAt: null,
          archivedAt: null,
          rating: null,
        })),
        { chunk: 200 },
      );
      await t.db.getRepository(ItemUnit).insert(
        items.map((item, i) => ({
          itemId: item.id,
          unitId: i % 2 ? org.units.lead : org.units.other,
          role: 'lead' as const,
          signedAt: null,
          signedById: null,
        })),
      );
      const s = t.get(ReminderScheduler);
      await s.plan(MONDAY_9, 2 * HOUR);
      expect(await s.dispatch(new Date(MONDAY_9.getTime() + HOUR))).toBe(600);
      const digests = await t.db.getRepository(OutboxMessage).find({ where: { kind: 'reminder_digest' } });
      // One digest per recipient: the lead unit's group, and the other unit's contact (it has no group) — each whole.
      expect(digests.map((d) => (d.payload.reminders as unknown[]).length).sort()).toEqual([300, 300]);
    } finally {
      await t.close();
    }
  });
});
