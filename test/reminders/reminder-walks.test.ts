import { FakeDingTalk } from '../../fakes/dingtalk';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegisterInput, RegistrationService } from '../../src/cases/registration.service';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { dingtalkEnv } from '../support/platform-env';

const APP = { clientId: 'dingwalk', clientSecret: 'dingwalk-secret-0123456789', robotCode: 'dingwalk' };
const HOUR = 3600_000;

/**
 * Issue 6, done-when: 13710 timelines walked hour by hour with an injected clock, every message checked where it
 * arrives — at the fake DingTalk (the unit's group, the owner's, leader's and 督查室's one-to-one chats). The
 * expected instants are written out by hand from the seeds' wording, not computed by the code under test.
 */
describe('13710 timelines at the fake DingTalk (R1–R10)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let org: Org;

  beforeAll(async () => {
    // One clock for the service and the fake, so the fake's token expiry and rate windows move with the walk.
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    fake = await FakeDingTalk.start({ ...APP, now: () => clock.now().getTime() });
    t = await startTestApp({
      clock,
      env: {
        ...dingtalkEnv(fake, APP),
        DUBAN_OUTBOX_POLL_MS: '3600000', // the test drains the outbox itself, after each tick
      },
    });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  /** Where each message landed and when (Shanghai time), in order. */
  type Arrival = { at: string; to: string; text: string };
  const seen = new Map<string, number>();
  const inboxes = () => ({
    unit: fake.groupMessages('cidLEAD'),
    owner: fake.directMessages('dt-2'),
    leader: fake.directMessages('dt-3'),
    office: fake.directMessages('dt-1'),
  });

  async function register(input: Partial<RegisterInput> & { title: string }, at: string): Promise<string> {
    t.clock.set(new Date(at));
    const item = await t
      .get(RegistrationService)
      .register(
        { content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, ...input },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    await deliver(); // the assignment card, the signature notice: not what these tests look at
    return item.number;
  }

  async function deliver(): Promise<Arrival[]> {
    const relay = t.get(OutboxRelay);
    await relay.drain();
    await relay.drain();
    const out: Arrival[] = [];
    for (const [to, list] of Object.entries(inboxes())) {
      for (const m of list.slice(seen.get(to) ?? 0)) out.push({ at: formatShanghai(t.clock.now()), to, text: JSON.stringify(m) });
      seen.set(to, list.length);
    }
    return out;
  }

  /** Ticks every hour from `from` to `to` (Shanghai, inclusive) as the service would, delivering after each tick. */
  async function walk(from: string, to: string, onTick?: (at: Date) => Promise<void>): Promise<Arrival[]> {
    const s = t.get(ReminderScheduler);
    const out: Arrival[] = [];
    for (let at = new Date(from).getTime(); at <= new Date(to).getTime(); at += HOUR) {
      t.clock.set(new Date(at));
      await onTick?.(t.clock.now());
      await s.plan(t.clock.now());
      await s.dispatch(t.clock.now());
      out.push(...(await deliver()));
    }
    return out;
  }

  /** The arrivals that mention this item, each cut down to its own lines (a digest also lists other items). */
  const about = (number: string, arrivals: Arrival[]) =>
    arrivals
      .filter((a) => a.text.includes(number))
      .map((a) => ({
        ...a,
        text: a.text
          .split('\\n')
          .filter((line) => line.includes(number))
          .join('\n'),
      }));
  const summary = (arrivals: Arrival[]) => arrivals.map((a) => `${a.at} ${a.to} ${(a.text.match(/【[^】]+】/g) ?? []).join('')}`);

  it('R1, R4, R5, R10: a 1-day node overdue without a report — 5 h before, 5 h/1 d/2 d after, every 3 h then 2 h, the leader, 重点督办; nights deferred to 08:00 and coalesced', async () => {
    const number = await register({ title: '一天时限的事项', deadline: { node: '1d' } }, '2026-03-02T09:00:00+08:00');
    const got = about(number, await walk('2026-03-02T10:00:00+08:00', '2026-03-06T19:00:00+08:00'));
    const unit = (hhmm: string) => `${hhmm} unit`;
    expect(summary(got)).toEqual([
      // C3: a 1d node registered Monday 09:00 ends Tuesday 18:00. R1 5 h before: 13:00.
      `${unit('2026-03-03 13:00')} 【督办提醒】`,
      // R4 day 1: every 3 h from the deadline (21, 24, 03, 06, 09, 12, 15, 18); R1 5 h after (23:00) falls in the night.
      `${unit('2026-03-03 21:00')} 【催办】`,
      // 23:00, 24:00, 03:00 and 06:00 fall in the night: ONE message at 08:00.
      `${unit('2026-03-04 08:00')} 【催办】`,
      `${unit('2026-03-04 09:00')} 【催办】`,
      `${unit('2026-03-04 12:00')} 【催办】`,
      `${unit('2026-03-04 15:00')} 【催办】`,
      // R1 1 d after = the end of day 1; R4 day 2: every 2 h.
      `${unit('2026-03-04 18:00')} 【催办】`,
      `${unit('2026-03-04 20:00')} 【催办】`,
      // 22:00 … 06:00 and the 08:00 slot itself: one message at 08:00.
      `${unit('2026-03-05 08:00')} 【催办】`,
      `${unit('2026-03-05 10:00')} 【催办】`,
      `${unit('2026-03-05 12:00')} 【催办】`,
      `${unit('2026-03-05 14:00')} 【催办】`,
      `${unit('2026-03-05 16:00')} 【催办】`,
      // R1 2 d after; R4 then the owner, one to one, and — the owner's office having no coordinating leader — the
      // 督查室, asked to name one (立项主体要及时报请…分管领导协调, 001 §14; never the D3 leader).
      // Issue 14 (R10 with A1): the clue that opens at that moment rides in the same messages — a sentence on the unit's
      // urge, a line of the 督查室's digest (the dispatch opens it: this walk runs no scan of its own).
      `${unit('2026-03-05 18:00')} 【催办】`,
      `2026-03-05 18:00 owner 【逾期报告】`,
      `2026-03-05 18:00 office 【逾期报告】【问题线索】`,
      // Issue 14: after the cadence, one urge each working morning at 09:00 until the unit answers.
      `${unit('2026-03-06 09:00')} 【催办】`,
      // R5: 3 days overdue — 重点督办, told to the unit (issue 13: it was never told) and to the 督查室.
      `${unit('2026-03-06 18:00')} 【重点督办】`,
      `2026-03-06 18:00 office 【重点督办】`,
    ]);
    // The night digest at 08:00 is one message to the group, not four.
    expect(got.filter((a) => a.at === '2026-03-04 08:00')).toHaveLength(1);
  });

  it('R3: a report cancels the urges it answers; nothing more reaches the group', async () => {
    const number = await register({ title: '报送后停止催办', deadline: { node: '1d' } }, '2026-03-02T09:00:00+08:00');
    const got = about(
      number,
      await walk('2026-03-02T10:00:00+08:00', '2026-03-06T12:00:00+08:00', async (at) => {
        if (at.getTime() === new Date('2026-03-03T22:00:00+08:00').getTime())
          await t.get(ItemCommandsService).report(number, org.leadContact.actor, '已按要求办理完毕');
      }),
    );
    // Deadline Tuesday 18:00 (C3): the notice at 13:00 and the first urge at 21:00 went out; the report at 22:00 answers the rest.
    expect(summary(got).filter((s) => !s.includes(' owner '))).toEqual([`2026-03-03 13:00 unit 【督办提醒】`, `2026-03-03 21:00 unit 【催办】`]);
  });

  it('R1, R4, R5, R10 over 劳动节 2026: a deadline of 04-30 18:00 — nothing reaches anyone 05-01…05-05; the cadence, the leader and 重点督办 on working days', async () => {
    // The deadline is given as a date (the day end, 18:00), the day before the holiday.
    const number = await register({ title: '节前到期的事项', deadline: { date: '2026-04-30' } }, '2026-04-29T09:00:00+08:00');
    const got = about(number, await walk('2026-04-29T10:00:00+08:00', '2026-05-08T20:00:00+08:00'));
    const unit = (hhmm: string) => `${hhmm} unit`;
    expect(summary(got)).toEqual([
      // R1 截止时限前5小时: 13:00 on the deadline day.
      `${unit('2026-04-30 13:00')} 【督办提醒】`,
      // R4 +3 h: 21:00, before the night.
      `${unit('2026-04-30 21:00')} 【催办】`,
      // +5 h (23:00), +6 h (24:00), then the holiday adds nothing: +9 h and +12 h are 05-06 03:00 and 06:00.
      // All held to the first working morning: ONE message, one line.
      `${unit('2026-05-06 08:00')} 【催办】`,
      `${unit('2026-05-06 09:00')} 【催办】`,
      `${unit('2026-05-06 12:00')} 【催办】`,
      `${unit('2026-05-06 15:00')} 【催办】`,
      // R1 逾期1天: 24 working hours = 05-06 18:00; then every 2 h.
      `${unit('2026-05-06 18:00')} 【催办】`,
      `${unit('2026-05-06 20:00')} 【催办】`,
      // 22:00, 00:00 … 06:00: held to 08:00, one line.
      `${unit('2026-05-07 08:00')} 【催办】`,
      `${unit('2026-05-07 10:00')} 【催办】`,
      `${unit('2026-05-07 12:00')} 【催办】`,
      `${unit('2026-05-07 14:00')} 【催办】`,
      `${unit('2026-05-07 16:00')} 【催办】`,
      // R1 逾期2天 and R4 at 48 working hours: 05-07 18:00, outside quiet hours — the owner, and (its office having
      // no coordinating leader) the 督查室, asked to name one. The group has had its 6 reminder messages that day (issue
      // 14: the first test's item is urged at 09:00 each working morning too), so the unit's urge waits for 09:00 the next
      // working morning, one line with that morning's follow-up. The clue opened at that moment is not an urge: the unit
      // is told it at once, as its one message of the moment (issue 14), and the 督查室 in its digest.
      `2026-05-07 18:00 unit 【问题线索】`,
      `2026-05-07 18:00 owner 【逾期报告】`,
      `2026-05-07 18:00 office 【逾期报告】【问题线索】`,
      `${unit('2026-05-08 09:00')} 【催办】`,
      // R5 逾期3天 重点督办: 05-08 18:00.
      `${unit('2026-05-08 18:00')} 【重点督办】`,
      `2026-05-08 18:00 office 【重点督办】`,
    ]);
    expect(got.filter((a) => a.at === '2026-05-06 08:00')).toHaveLength(1);
    expect(got.find((a) => a.at === '2026-05-06 08:00')!.text.match(/【催办】/g)).toHaveLength(1);
    // How overdue, in the time the rules count: 6 h on 04-30 and 8 h on 05-06 — the holiday is not counted.
    expect(got.find((a) => a.at === '2026-05-06 08:00')!.text).toContain('已逾期14小时（节假日不计）');
  });

  it('R6: a key task — month-end notice, urges at 08:00 and 15:00 on the first 2 working days (after 劳动节), the owner at the last, the 督查室 after 2 working days', async () => {
    const number = await register(
      { title: '重点工作月报', board: 'key_task', deadline: { date: '2026-07-31' }, deadlineReason: '分阶段推进' },
      '2026-03-02T09:00:00+08:00',
    );
    // March is covered by the item's own start; April is the first month it reports on its own.
    const got = about(number, await walk('2026-04-29T09:00:00+08:00', '2026-05-08T12:00:00+08:00'));
    expect(summary(got)).toEqual([
      // 30 April 2026 is a Thursday, the last working day before the 劳动节 break.
      `2026-04-30 09:00 unit 【月度反馈】`,
      // 从下月1日开始，每日8时、15时分别催办一次，连续提醒2日 — 1–5 May are holidays: nobody is urged on them;
      // the 2 days are the first 2 working days, 6 and 7 May.
      `2026-05-06 08:00 unit 【催报】`,
      `2026-05-06 15:00 unit 【催报】`,
      `2026-05-07 08:00 unit 【催报】`,
      `2026-05-07 15:00 unit 【催报】`,
      `2026-05-07 15:00 owner 【催报】`,
      // 超过时限2日 (2 working days): 00:00 on 8 May, in the night → 08:00.
      `2026-05-08 08:00 office 【核查问责】`,
    ]);
  });

  it('R7: the 季度小结 comes on the last working day of the quarter, with the month-end notice in one message', async () => {
    const number = await register(
      { title: '重点工作季度小结', board: 'key_task', deadline: { date: '2026-09-30' }, deadlineReason: '分阶段推进' },
      '2026-04-01T09:00:00+08:00',
    );
    // 30 June 2026 is a Tuesday: Q2 ends; the June month-end notice is due at the same instant.
    const got = about(number, await walk('2026-06-29T09:00:00+08:00', '2026-06-30T20:00:00+08:00'));
    expect(summary(got)).toEqual([`2026-06-30 09:00 unit 【月度反馈】【季度小结】`]);
  });

  it("R6 + R3: the month's report, even a day late, stops the urging and the escalation", async () => {
    const number = await register(
      { title: '月报迟一天', board: 'key_task', deadline: { date: '2026-07-31' }, deadlineReason: '分阶段推进' },
      '2026-03-02T09:00:00+08:00',
    );
    const got = about(
      number,
      await walk('2026-04-29T09:00:00+08:00', '2026-05-08T12:00:00+08:00', async (at) => {
        // The first working day after 劳动节, after its first urge.
        if (at.getTime() === new Date('2026-05-06T10:00:00+08:00').getTime())
          await t.get(ItemCommandsService).report(number, org.leadContact.actor, '4月份进展：已完成方案编制');
      }),
    );
    expect(summary(got).filter((s) => !s.includes(' owner '))).toEqual([`2026-04-30 09:00 unit 【月度反馈】`, `2026-05-06 08:00 unit 【催报】`]);
  });

  it('R8: 政府工作报告 items report on 10 April (a Friday) and 10 July; a report in between answers July', async () => {
    const number = await register(
      { title: '政府工作报告重点任务', source: 'work_report', deadline: { date: '2026-12-20' }, deadlineReason: '全年任务' },
      '2026-03-02T09:00:00+08:00',
    );
    const april = about(number, await walk('2026-04-09T08:00:00+08:00', '2026-04-11T08:00:00+08:00'));
    expect(summary(april)).toEqual([`2026-04-10 09:00 unit 【定期报送】`]);
    // On a working morning (R10: a report of a Saturday would reach the owner the next working morning, not in this walk).
    t.clock.set(new Date('2026-06-18T10:00:00+08:00'));
    await t.get(ItemCommandsService).report(number, org.leadContact.actor, '二季度进展：已完成过半');
    await deliver();
    const july = about(number, await walk('2026-07-09T08:00:00+08:00', '2026-07-11T08:00:00+08:00'));
    expect(july).toEqual([]);
    // October 10 2026 is a 调休 Saturday — a working day, so the reminder stays on it. The walk jumps from July to
    // October: to the service, a downtime — its first tick sends the missed weekly reminders as one (issue 14 catch-up).
    const october = about(number, await walk('2026-10-09T08:00:00+08:00', '2026-10-11T08:00:00+08:00'));
    expect(summary(october)).toEqual([`2026-10-09 08:00 unit 【每周提醒】`, `2026-10-10 09:00 unit 【定期报送】`]);
  });

  it('R9 (003 §2.5: 整改时限为2个工作日(48小时)，并于第3日12:00前…报送): an order on a Monday counts Tuesday and Wednesday, due Thursday 12:00; unanswered, the 督查室 records 未整改', async () => {
    const number = await register({ title: '整改通知：路面坑洼', kind: 'rectification' }, '2026-03-02T10:00:00+08:00');
    const got = about(number, await walk('2026-03-02T11:00:00+08:00', '2026-03-06T12:00:00+08:00'));
    expect(summary(got)).toEqual([
      // 5 h before 12:00 is 07:00, in the night → 08:00.
      `2026-03-05 08:00 unit 【督办提醒】`,
      // Issue 14: the unit is urged at the same moment; the order counts as 未整改.
      `2026-03-05 12:00 unit 【整改期满】`,
      `2026-03-05 12:00 office 【整改期满】`,
    ]);
    expect(got[0].text).toContain('2026-03-05 12:00');
  });

  it('R9 + R3: the rectification report before 12:00 on day 3 — nothing at the deadline', async () => {
    const number = await register({ title: '整改通知：按时整改', kind: 'rectification' }, '2026-03-02T10:00:00+08:00');
    const got = about(
      number,
      await walk('2026-03-02T11:00:00+08:00', '2026-03-06T12:00:00+08:00', async (at) => {
        if (at.getTime() === new Date('2026-03-05T10:00:00+08:00').getTime())
          await t.get(ItemCommandsService).report(number, org.leadContact.actor, '已完成整改，附照片');
      }),
    );
    expect(summary(got).filter((s) => !s.includes(' owner '))).toEqual([`2026-03-05 08:00 unit 【督办提醒】`]);
  });

  it('R9: a deadline typed for a rectification order is refused in Chinese', async () => {
    await expect(
      t.get(RegistrationService).register(
        {
          title: '整改通知',
          content: '内容',
          source: 'meeting',
          kind: 'rectification',
          deadline: { node: '7d' },
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
        },
        org.supervisor.actor,
      ),
    ).rejects.toMatchObject({ code: 'DEADLINE.BY_RULE', message: expect.stringContaining('整改通知的期限由规则确定') });
  });
});
