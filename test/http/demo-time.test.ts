import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { DemoClock } from '../../src/shared/clock';
import { bearer, type Org, seedOrg } from '../support/fixtures';
import { StubSimulator } from '../support/stub-simulator';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 16 (part 4, time): the demo's planned reminders (GET /api/demo/sim/reminders) and 「到下一条提醒」 (POST
 * /api/demo/sim/next-reminder), over the demo clock. The reminder tick is off here: the test plans by hand, so what is
 * stored is exactly what the rules give for an item of the 发改委 due today at 18:00.
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('the demo time strip: planned reminders and 到下一条提醒 (issue 16)', () => {
  let t: TestApp;
  let org: Org;
  const clock = new DemoClock();
  let today: string;

  beforeAll(async () => {
    // The next Monday 09:00 Beijing time, whatever day the test runs (the demo clock only goes forward).
    const now = clock.now().getTime();
    let at = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR + 9 * HOUR;
    while (at <= now + HOUR || new Date(at + 8 * HOUR).getUTCDay() !== 1) at += DAY;
    clock.advance(at - now);
    today = new Date(at + 8 * HOUR).toISOString().slice(0, 10);
    t = await startTestApp({ clock, simulator: new StubSimulator() });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('with nothing planned: an empty timeline, and 到下一条提醒 says what to do instead', async () => {
    const r = await t.http().get('/api/demo/sim/reminders').set(bearer(org.supervisor)).expect(200);
    expect(r.body).toEqual({ now: expect.stringMatching(new RegExp(`^${today}T09:`)), speed: 1, upcoming: [], recent: [] });
    const next = await t.http().post('/api/demo/sim/next-reminder').set(admin).expect(409);
    expect(next.body).toEqual({ code: 'DEMO.NO_REMINDER', message: expect.stringMatching(/没有要发的提醒。请先交办一件期限较近的事项，或用「\+1天」/) });
  });

  it('lists the planned reminders with whom and which chat, and moves the clock reminder by reminder — over the night to 08:00 (R1, R4, R10)', async () => {
    const item = await t.get(RegistrationService).register(
      {
        title: '限时完成燃气管道隐患排查',
        content: '今日下班前报送排查结果。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date: today },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    const scheduler = t.get(ReminderScheduler);
    await scheduler.plan(clock.now());

    const r = await t.http().get('/api/demo/sim/reminders?limit=3').set(bearer(org.supervisor)).expect(200);
    // Planning stores the next 12 hours: the 13:00 reminder before the deadline and the first urge at 21:00.
    expect(r.body.upcoming.map((x: { kind: string }) => x.kind)).toEqual(['before_deadline', 'overdue_urge']);
    expect(r.body.upcoming[0]).toEqual({
      id: expect.any(Number),
      at: `${today}T13:00:00+08:00`,
      plannedAt: `${today}T13:00:00+08:00`,
      held: false,
      sent: false,
      sentAt: null,
      number: item.number,
      title: '限时完成燃气管道隐患排查',
      kind: 'before_deadline',
      what: '到期前提醒',
      audience: 'unit',
      to: '承办单位 市发展改革委',
      panes: [{ chatId: 'dingtalk:group:cidLEAD', title: '发改委督办群', platform: 'dingtalk' }],
    });
    // Only an admin moves the clock (for everyone watching).
    await t.http().post('/api/demo/sim/next-reminder').set(bearer(org.supervisor)).expect(403);
    const first = await t.http().post('/api/demo/sim/next-reminder').set(admin).expect(200);
    expect(first.body).toEqual({
      now: expect.stringMatching(new RegExp(`^${today}T13:00`)),
      speed: 1,
      number: item.number,
      what: '到期前提醒',
      to: '承办单位 市发展改革委',
    });
    const second = await t.http().post('/api/demo/sim/next-reminder').set(admin).expect(200);
    expect(second.body).toMatchObject({ now: expect.stringMatching(new RegExp(`^${today}T21:00`)), what: '逾期催办' });
    // After 21:00 the rules' next instants (23:00, 00:00 …) are in the night: the clock goes to 08:00 the next morning.
    await scheduler.plan(clock.now());
    const planned = await t.http().get('/api/demo/sim/reminders').set(bearer(org.supervisor)).expect(200);
    const late = planned.body.upcoming.find((x: { kind: string }) => x.kind === 'after_deadline');
    // R10: planned at 23:00 (R1, 5 h after the deadline), sent at 08:00 the next morning.
    expect(late).toMatchObject({ at: expect.stringMatching(/T08:00:00\+08:00$/), plannedAt: `${today}T23:00:00+08:00`, held: true });
    const third = await t.http().post('/api/demo/sim/next-reminder').set(admin).expect(200);
    expect(third.body.now.slice(0, 10) > today).toBe(true);
    expect(third.body.now.slice(11, 16)).toBe('08:00');
  });
});
