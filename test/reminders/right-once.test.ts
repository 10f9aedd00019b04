import { FakeDingTalk } from '../../fakes/dingtalk';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { Item } from '../../src/cases/item.entity';
import { RegisterInput, RegistrationService } from '../../src/cases/registration.service';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { dingtalkEnv } from '../support/platform-env';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingonce', clientSecret: 'dingonce-secret-0123456789', robotCode: 'dingonce' };
const HOUR = 3600_000;
/** Issue 14 (8): urges in the unit's group name its contact (the app robot's group message has no mention list). */
const AT = '\n\n@陈联络';

/**
 * Issue 14, "reminders that are right once", walked through the fake DingTalk with the exact words people receive:
 * one message per recipient per moment, a catch-up after downtime that sends one summary and still runs the
 * escalation steps that fell in the gap, an unsigned item urged to 签收, a 整改 order past its 12:00 urged to the unit
 * and recorded as 未整改, and every notice (clues included) held out of the night.
 */
describe('reminders that are right once, at the fake DingTalk (R1, R3–R5, R9, R10, A1)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let org: Org;

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    fake = await FakeDingTalk.start({ ...APP, now: () => clock.now().getTime() });
    t = await startTestApp({ clock, env: { ...dingtalkEnv(fake, APP), DUBAN_OUTBOX_POLL_MS: '3600000' } });
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  type Arrival = { at: string; to: string; text: string };
  const seen = new Map<string, number>();
  const inboxes = () => ({
    unit: fake.groupMessages('cidLEAD'),
    office: fake.directMessages('dt-1'),
    owner: fake.directMessages('dt-2'),
    leader: fake.directMessages('dt-3'),
  });

  async function deliver(): Promise<Arrival[]> {
    const relay = t.get(OutboxRelay);
    await relay.drain();
    await relay.drain();
    const out: Arrival[] = [];
    for (const [to, list] of Object.entries(inboxes())) {
      for (const m of list.slice(seen.get(to) ?? 0)) out.push({ at: formatShanghai(t.clock.now()), to, text: bodyOf(m) });
      seen.set(to, list.length);
    }
    return out;
  }

  /** The text a person reads: the markdown of an app-robot message. */
  const bodyOf = (m: object): string => {
    const p = (m as { msgParam?: { text?: string; content?: string } }).msgParam;
    if (!p || (p.text === undefined && p.content === undefined)) return JSON.stringify(m);
    return String(p.text ?? p.content).replace(/ {2}\n/g, '\n');
  };

  async function register(input: Partial<RegisterInput> & { title: string }, at: string, sign = true): Promise<string> {
    t.clock.set(new Date(at));
    const item = await t
      .get(RegistrationService)
      .register(
        { content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, ...input },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    if (sign) await t.get(ItemCommandsService).sign(item.number, org.leadContact.actor);
    await deliver();
    return item.number;
  }

  async function tick(at: Date): Promise<Arrival[]> {
    t.clock.set(at);
    await t.get(ReminderScheduler).plan(t.clock.now());
    await t.get(ReminderScheduler).dispatch(t.clock.now());
    await t.get(AccountabilityService).scanOverdue(t.clock.now());
    return deliver();
  }

  async function walk(from: string, to: string): Promise<Arrival[]> {
    const out: Arrival[] = [];
    for (let at = new Date(from).getTime(); at <= new Date(to).getTime(); at += HOUR) out.push(...(await tick(new Date(at))));
    return out;
  }

  const about = (number: string, arrivals: Arrival[]) =>
    arrivals
      .filter((a) => a.text.includes(number))
      .map((a) => ({
        ...a,
        text: a.text
          .split('\n')
          .filter((line) => line.includes(number) || !/DB\d{4}-/.test(line))
          .join('\n'),
      }));
  const summary = (arrivals: Arrival[]) => arrivals.map((a) => `${a.at} ${a.to} ${(a.text.match(/【[^】]+】/g) ?? []).join('')}`);

  it('issue 14 (1): the night digest and an urge due later but claimed at the same moment are ONE message to the group', async () => {
    // A 1d node registered Monday 09:00 ends Tuesday 18:00 (C3).
    const number = await register({ title: '夜间顺延合并的事项', deadline: { node: '1d' } }, '2026-03-02T09:00:00+08:00');
    await walk('2026-03-03T10:00:00+08:00', '2026-03-04T07:00:00+08:00');
    // The service was held up from 08:00 to 09:39: the 08:00 digest of the night's urges and the 09:00 urge go out together.
    const late = about(number, await tick(new Date('2026-03-04T09:39:00+08:00')));
    expect(late.map((a) => [a.at, a.to, a.text])).toEqual([
      ['2026-03-04 09:39', 'unit', `【催办】${number}「夜间顺延合并的事项」已逾期15小时，请立即反馈办理情况。${AT}`],
    ]);
  });

  it('issue 14 (2): after downtime, one summary per recipient with the current state, and the escalation steps that fell in the gap, each once', async () => {
    // Deadline Tuesday 03-10 18:00; the service runs until 21:00 that evening, then stops until Wednesday 04-01 10:00.
    const number = await register({ title: '停机期间逾期的事项', deadline: { node: '1d' } }, '2026-03-09T09:00:00+08:00');
    await walk('2026-03-10T10:00:00+08:00', '2026-03-10T21:00:00+08:00');
    const back = about(number, await tick(new Date('2026-04-01T10:00:00+08:00')));
    const again = about(number, await tick(new Date('2026-04-01T10:05:00+08:00')));
    expect(again).toEqual([]);
    expect(summary(back)).toEqual([
      // The unit: 重点督办 (its current state) — not four identical urges — with the A1 clue concerning it, in one message.
      '2026-04-01 10:00 unit 【重点督办】',
      // The 督查室 (the owner office names no coordinating leader): the R4 report, R5 重点督办 and the clue, in one digest.
      '2026-04-01 10:00 office 【重点督办】【逾期报告】【问题线索】',
      // The owner: R4, once.
      '2026-04-01 10:00 owner 【逾期报告】',
    ]);
    const unit = back.filter((a) => a.to === 'unit').map((a) => a.text);
    const clues = await t.db.getRepository(Clue).find();
    const mine = clues.filter((c) => c.summary.includes(number));
    expect(mine).toHaveLength(1);
    expect(unit).toEqual([
      `【重点督办】${number}「停机期间逾期的事项」\n逾期已满3天仍未反馈，已转入重点督办。\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，立即反馈办理情况。\n` +
        `督查室已就此登记问题线索 ${mine[0].number}，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。`,
    ]);
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: mine[0].itemId!, type: 'key_supervision' })).toBe(1);
    const s6 = await t.db.getRepository(ScoreLineRow).findBy({ rule: 'S6', itemId: mine[0].itemId! });
    expect(s6.map((l) => l.pointsTenths)).toEqual([-50]);
  });

  it('issue 14 (9): an item not yet signed is urged to 签收, with the command and its own number', async () => {
    // Registered Monday 04-13 09:00 and assigned, never signed: the 1d node ends Tuesday 18:00.
    const number = await register({ title: '尚未签收的事项', deadline: { node: '1d' } }, '2026-04-13T09:00:00+08:00', false);
    const got = about(number, await walk('2026-04-14T12:00:00+08:00', '2026-04-14T21:00:00+08:00'));
    expect(got.map((a) => [a.at, a.to, a.text])).toEqual([
      ['2026-04-14 13:00', 'unit', `【督办提醒】${number}「尚未签收的事项」将于 2026-04-14 18:00 到期，贵单位尚未签收。请尽快签收：/签收 ${number}${AT}`],
      ['2026-04-14 21:00', 'unit', `【催办】${number}「尚未签收的事项」已逾期3小时，贵单位尚未签收。请尽快签收：/签收 ${number}${AT}`],
    ]);
  });

  it('issue 14 (5), R9: a 整改 order past its 12:00 — the unit is urged and the item is recorded as 未整改, once', async () => {
    // Issued Monday 04-20 10:00: Tuesday and Wednesday count, the report is due Thursday 04-23 12:00.
    const number = await register({ title: '整改通知：占道经营', kind: 'rectification' }, '2026-04-20T10:00:00+08:00');
    const got = about(number, await walk('2026-04-23T07:00:00+08:00', '2026-04-23T14:00:00+08:00'));
    expect(got.map((a) => [a.at, a.to, a.text])).toEqual([
      ['2026-04-23 08:00', 'unit', `【督办提醒】${number}「整改通知：占道经营」将于 2026-04-23 12:00 到期，请按时反馈办理情况。${AT}`],
      [
        '2026-04-23 12:00',
        'unit',
        `【整改期满】${number}「整改通知：占道经营」整改时限（2026-04-23 12:00）已到，未收到整改报告，按规定视为未整改。请立即报送整改情况：/反馈 ${number}${AT}`,
      ],
      ['2026-04-23 12:00', 'office', `【整改期满】${number}「整改通知：占道经营」48小时整改期已到，未见整改报告，视为未整改。`],
    ]);
    const events = await t.db.query(
      `SELECT e.type, e.summary FROM item_event e JOIN item i ON i.id = e.item_id WHERE i.number = ? AND e.type = 'not_rectified'`,
      [number],
    );
    expect(events).toEqual([{ type: 'not_rectified', summary: '整改时限已到，未收到整改报告，按规定视为未整改' }]);
  });

  it('issue 14 (6), R10: a clue opened at 02:22 and a catch-up at 02:22 reach nobody before 08:00', async () => {
    // An item due Tuesday 04-28 18:00; the service stops after 19:00 and comes back at 02:22 on Thursday.
    const number = await register({ title: '夜间恢复的事项', deadline: { node: '1d' } }, '2026-04-27T09:00:00+08:00');
    await walk('2026-04-28T17:00:00+08:00', '2026-04-28T19:00:00+08:00');
    t.clock.set(new Date('2026-04-30T02:22:00+08:00'));
    await t.get(AccountabilityService).openFrom({
      kind: 'obstruction',
      incidentId: 'night-1',
      unitId: org.units.lead,
      unitName: '市发展改革委',
      itemId: null,
      description: '拒不提供整改台账',
    });
    const night = await tick(new Date('2026-04-30T02:22:00+08:00'));
    expect(night).toEqual([]);
    const morning = await tick(new Date('2026-04-30T08:00:00+08:00'));
    const mine = morning
      .map((a) => ({
        ...a,
        text: a.text
          .split('\n')
          .filter((l) => l.includes(number) || l.includes('拒不提供整改台账'))
          .join('\n'),
      }))
      .filter((a) => a.text !== '');
    expect(summary(mine)).toEqual(['2026-04-30 08:00 unit 【问题线索】', '2026-04-30 08:00 unit 【催办】', '2026-04-30 08:00 office 【问题线索】']);
  });

  it('issue 14 (3), R4: after the cadence, one urge each working morning at 09:00 until the unit answers — no weeks of silence', async () => {
    // Deadline Tuesday 05-12 18:00; R4's cadence runs to 48 working hours (Thursday 18:00).
    const number = await register({ title: '长期未反馈的事项', deadline: { node: '1d' } }, '2026-05-11T09:00:00+08:00');
    const got = about(number, await walk('2026-05-12T12:00:00+08:00', '2026-05-20T09:00:00+08:00')).filter((a) => a.at >= '2026-05-15');
    t.clock.set(new Date('2026-05-20T10:00:00+08:00'));
    await t.get(ItemCommandsService).report(number, org.leadContact.actor, '已完成主体工作');
    await deliver();
    const after = about(number, await walk('2026-05-20T11:00:00+08:00', '2026-05-22T12:00:00+08:00'));
    expect(summary(got.filter((a) => a.to === 'unit'))).toEqual([
      '2026-05-15 09:00 unit 【催办】',
      '2026-05-15 18:00 unit 【重点督办】',
      // Saturday and Sunday: nothing.
      '2026-05-18 09:00 unit 【催办】',
      '2026-05-19 09:00 unit 【催办】',
      '2026-05-20 09:00 unit 【催办】',
    ]);
    expect(got.find((a) => a.at === '2026-05-18 09:00')!.text).toBe(
      `【催办】${number}「长期未反馈的事项」已逾期3天15小时（节假日不计），请立即反馈办理情况。${AT}`,
    );
    // Answered: the follow-up stops.
    expect(after.filter((a) => a.to === 'unit')).toEqual([]);
  });

  it('issue 14 (3), R10: never more than 6 reminder messages a day into a group (the policy value), the rest held to the next morning', async () => {
    // Two items of the same unit whose deadlines are an hour apart: R4's slots interleave (every hour on day 2).
    const a = await register({ title: '交错时限事项甲', deadline: { node: '1d' } }, '2026-05-25T09:00:00+08:00');
    const b = await register({ title: '交错时限事项乙', deadline: { node: '1d' } }, '2026-05-25T09:00:00+08:00');
    await t.db.getRepository(Item).update({ number: b }, { deadlineAt: new Date('2026-05-26T17:00:00+08:00'), remindersPlannedUntil: null });
    const got = (await walk('2026-05-26T09:00:00+08:00', '2026-05-29T07:00:00+08:00')).filter(
      (x) => x.to === 'unit' && (x.text.includes(a) || x.text.includes(b)) && x.text.includes('【催办】'),
    );
    const perDay = new Map<string, number>();
    for (const x of got) perDay.set(x.at.slice(0, 10), (perDay.get(x.at.slice(0, 10)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(6);
    expect(perDay.get('2026-05-27')).toBe(6);
    // Nothing is lost: the next morning's first message carries both items.
    const next = got.find((x) => x.at.startsWith('2026-05-28'))!;
    expect(next.text).toContain(a);
    expect(next.text).toContain(b);
  });

  it('issue 14 (7): a closure request waiting on the owner, then 审定 waiting on the leader, are reminded every 2 working days at 09:00 until decided', async () => {
    const number = await register({ title: '等待审核审定的事项', deadline: { node: '1d' } }, '2026-06-01T09:00:00+08:00');
    t.clock.set(new Date('2026-06-02T10:00:00+08:00'));
    await t.get(ItemCommandsService).requestClosure(number, org.leadContact.actor, { summary: '已全部办结' });
    await deliver();
    const review = about(number, await walk('2026-06-02T11:00:00+08:00', '2026-06-05T09:00:00+08:00'));
    t.clock.set(new Date('2026-06-05T10:00:00+08:00'));
    await t.get(ItemCommandsService).rate(number, org.owner.actor, 'good');
    await deliver();
    const approval = about(number, await walk('2026-06-05T11:00:00+08:00', '2026-06-11T09:00:00+08:00'));
    t.clock.set(new Date('2026-06-11T10:00:00+08:00'));
    await t.get(ItemCommandsService).signOff(number, org.leader.actor);
    await deliver();
    const after = about(number, await walk('2026-06-11T11:00:00+08:00', '2026-06-16T12:00:00+08:00'));
    expect(review.map((a) => [a.at, a.to, a.text])).toEqual([
      [
        '2026-06-04 09:00',
        'owner',
        `【待审核】${number}「等待审核审定的事项」（主办：市发展改革委）已申请办结，尚待审核评定。请审核后评定：/评定 ${number} 良好（可改为优秀、合格或不合格）`,
      ],
    ]);
    expect(approval.map((a) => [a.at, a.to, a.text])).toEqual([
      [
        '2026-06-09 09:00',
        'leader',
        `【待审定】${number}「等待审核审定的事项」（主办：市发展改革委）已审核评定、报请审定，尚待您审定。请审定：/审定 ${number}`,
      ],
      [
        '2026-06-11 09:00',
        'leader',
        `【待审定】${number}「等待审核审定的事项」（主办：市发展改革委）已审核评定、报请审定，尚待您审定。请审定：/审定 ${number}`,
      ],
    ]);
    expect(after.filter((a) => a.to === 'leader' || a.to === 'owner').filter((a) => a.text.includes('【待'))).toEqual([]);
  });

  it('issue 14 (7): an extension request waiting on the owner is reminded until it is decided', async () => {
    const number = await register({ title: '申请延期的事项', deadline: { node: '7d' } }, '2026-06-22T09:00:00+08:00');
    t.clock.set(new Date('2026-06-22T10:00:00+08:00'));
    const request = await t.get(ItemCommandsService).requestExtension(number, org.leadContact.actor, {
      newDeadline: new Date('2026-07-15T18:00:00+08:00'),
      reason: '需协调多个部门',
      plan: '7月中旬前完成',
    });
    await deliver();
    const waiting = about(number, await walk('2026-06-22T11:00:00+08:00', '2026-06-26T09:00:00+08:00')).filter((a) => a.to === 'owner');
    t.clock.set(new Date('2026-06-26T10:00:00+08:00'));
    await t.get(ItemCommandsService).decideExtension(number, org.owner.actor, request.requestId, true, '同意');
    await deliver();
    const after = about(number, await walk('2026-06-26T11:00:00+08:00', '2026-07-02T12:00:00+08:00')).filter((a) => a.text.includes('【待审批】'));
    const line = `【待审批】${number}「申请延期的事项」（主办：市发展改革委）已申请延期，尚待审批。请及时审批，以免影响承办单位按期办理：同意请发送 /批准延期 ${number}，不同意请发送 /驳回延期 ${number} 理由`;
    expect(waiting.map((a) => [a.at, a.to, a.text])).toEqual([
      ['2026-06-24 09:00', 'owner', line],
      ['2026-06-26 09:00', 'owner', line],
    ]);
    expect(after).toEqual([]);
  });
});
