import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingmoment', clientSecret: 'dingmoment-secret-0123456789', robotCode: 'dingmoment' };
const HOUR = 3600_000;

/**
 * Issue 14, R10 with A1: at the moment an item becomes 2 working days overdue its unit's group used to get the
 * reminders' 【催办】 and, separately, the clue notice 【问题线索】 — two messages about one item in one moment. Now one,
 * whichever job runs first in that moment (the reminder tick or the accountability scan), on both platforms, and on
 * the catch-up after downtime; the urge is never lost for it.
 */
describe('one message per item per recipient per moment: the urge and the clue notice (R1, R4, R10, A1)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let org: Org;

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    ding = await FakeDingTalk.start({ ...APP, now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, now: () => clock.now().getTime() });
    t = await startTestApp({ clock, env: { ...dingtalkEnv(ding, APP), ...wecomEnv(wx), DUBAN_OUTBOX_POLL_MS: '3600000' } });
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
    org = await seedOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  type Arrival = { at: string; to: string; text: string };
  const seen = new Map<string, number>();
  const inboxes = () => ({
    // The lead unit's group is on DingTalk, the co unit's (lead of the WeCom items here) on WeCom.
    dingGroup: ding.groupMessages('cidLEAD'),
    wecomGroup: wx.groupMessages('wrCO'),
    office: ding.directMessages('dt-1'),
  });
  /** What a person reads: the longest text in the message (DingTalk's markdown, WeCom's markdown or text content). */
  const bodyOf = (m: object): string => {
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') {
        try {
          const inner: unknown = JSON.parse(v);
          if (inner && typeof inner === 'object') return walk(inner);
        } catch {
          /* plain text */
        }
        if (v.includes('【')) texts.push(v);
      } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    walk(m);
    return (texts.sort((a, b) => b.length - a.length)[0] ?? JSON.stringify(m)).replace(/ {2}\n/g, '\n');
  };

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

  async function register(title: string, leadUnitId: number, at: string, sign = true): Promise<string> {
    t.clock.set(new Date(at));
    const item = await t
      .get(RegistrationService)
      .register(
        { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId, deadline: { node: '1d' } },
        org.supervisor.actor,
      );
    await t.get(ItemCommandsService).assign(item.number, org.owner.actor);
    const contact = leadUnitId === org.units.lead ? org.leadContact : org.coContact;
    if (sign) await t.get(ItemCommandsService).sign(item.number, contact.actor);
    await deliver();
    return item.number;
  }

  /** One moment: the reminder tick and the A1 scan, in the order given (in production they are two jobs on one interval). */
  async function tick(at: Date, order: 'reminders-first' | 'scan-first'): Promise<Arrival[]> {
    t.clock.set(at);
    const reminders = async () => {
      await t.get(ReminderScheduler).plan(t.clock.now());
      await t.get(ReminderScheduler).dispatch(t.clock.now());
    };
    const scan = () => t.get(AccountabilityService).scanOverdue(t.clock.now());
    if (order === 'reminders-first') {
      await reminders();
      await scan();
    } else {
      await scan();
      await reminders();
    }
    return deliver();
  }

  async function walk(from: string, to: string, order: 'reminders-first' | 'scan-first'): Promise<Arrival[]> {
    const out: Arrival[] = [];
    for (let at = new Date(from).getTime(); at <= new Date(to).getTime(); at += HOUR) out.push(...(await tick(new Date(at), order)));
    return out;
  }

  const about = (number: string, arrivals: Arrival[]) => arrivals.filter((a) => a.text.includes(number));
  const perMoment = (arrivals: Arrival[]) => {
    const m = new Map<string, number>();
    for (const a of arrivals) m.set(`${a.at} ${a.to}`, (m.get(`${a.at} ${a.to}`) ?? 0) + 1);
    return [...m.entries()].filter(([, n]) => n > 1).map(([k]) => k);
  };
  const clueOf = async (number: string) => {
    const item = await t.db.getRepository(Item).findOneByOrFail({ number });
    return t.db.getRepository(Clue).findOneByOrFail({ itemId: item.id, trigger: 'overdue' });
  };

  it.each([
    ['DingTalk', 'reminders-first', '2026-03-02', '2026-03-03', '2026-03-05'],
    ['WeCom', 'scan-first', '2026-03-09', '2026-03-10', '2026-03-12'],
    ['DingTalk', 'scan-first', '2026-03-16', '2026-03-17', '2026-03-19'],
    ['WeCom', 'reminders-first', '2026-03-23', '2026-03-24', '2026-03-26'],
  ] as const)(
    '%s, %s: 2 working days overdue — the group gets ONE message, the urge with the clue in it; the 督查室 one too',
    async (platform, order, registered, due, twoDaysLate) => {
      const title = `逾期两日的事项（${platform}${order}）`;
      const contact = platform === 'DingTalk' ? org.leadContact : org.coContact;
      const number = await register(title, platform === 'DingTalk' ? org.units.lead : org.units.co, `${registered}T09:00:00+08:00`);
      const group = platform === 'DingTalk' ? 'dingGroup' : 'wecomGroup';
      const got = about(number, await walk(`${due}T19:00:00+08:00`, `${twoDaysLate}T18:00:00+08:00`, order));
      expect(perMoment(got)).toEqual([]);
      const moment = got.filter((a) => a.at === `${twoDaysLate} 18:00`);
      const clue = await clueOf(number);
      const line =
        `【催办】${number}「${title}」已逾期2天，请立即反馈办理情况。` +
        `督查室已就此登记问题线索 ${clue.number}，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。`;
      // As each platform shows it: DingTalk names the contact under the text; WeCom's markdown has its title and @s the contact.
      expect(moment.filter((a) => a.to === group).map((a) => a.text)).toEqual([
        platform === 'DingTalk' ? `${line}\n\n@陈联络` : `**督办提醒**\n${line}\n<@wx-6>`,
      ]);
      // The 督查室 (the owner office names no coordinating leader, so R4's report comes to it): the report and the clue, one message.
      expect(moment.filter((a) => a.to === 'office').map((a) => a.text)).toEqual([
        `【逾期报告】${number}「${title}」（主办：${platform === 'DingTalk' ? '市发展改革委' : '市财政局'}）逾期已满2天仍未反馈，立项主体尚未指定分管领导，无法报请协调。请在单位设置中为立项主体指定分管领导，并先行督促落实。\n` +
          `【问题线索】${clue.number}：${clue.summary}\n请核实后按程序移交，或不予追究。`,
      ]);
      // The clue is told once: nothing more about it in the next moments.
      const after = about(number, await walk(`${twoDaysLate}T19:00:00+08:00`, `${twoDaysLate}T21:00:00+08:00`, order));
      expect(after.filter((a) => a.text.includes('问题线索'))).toEqual([]);
      // The unit asks for closure: nothing more is urged about this item in the next cases (the group's daily cap stays free).
      await t.get(ItemCommandsService).requestClosure(number, contact.actor, { summary: '已办结' });
    },
  );

  it('WeCom, scan-first, the catch-up after downtime: 重点督办 and the clue that fell in the gap are ONE message to the group, and one to the 督查室', async () => {
    // Deadline Tuesday 04-14 18:00; the service runs until 21:00 that evening, then stops until Tuesday 04-28 10:00.
    const number = await register('停机期间逾期的事项（WeCom）', org.units.co, '2026-04-13T09:00:00+08:00');
    await walk('2026-04-14T10:00:00+08:00', '2026-04-14T21:00:00+08:00', 'scan-first');
    const back = about(number, await tick(new Date('2026-04-28T10:00:00+08:00'), 'scan-first'));
    const again = about(number, await tick(new Date('2026-04-28T10:05:00+08:00'), 'scan-first'));
    expect(again).toEqual([]);
    expect(perMoment(back)).toEqual([]);
    const clue = await clueOf(number);
    expect(back.filter((a) => a.to === 'wecomGroup').map((a) => a.text)).toEqual([
      `**重点督办**\n【重点督办】${number}「停机期间逾期的事项（WeCom）」\n逾期已满3天仍未反馈，已转入重点督办。\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，立即反馈办理情况。\n` +
        `督查室已就此登记问题线索 ${clue.number}，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。`,
    ]);
    expect(back.filter((a) => a.to === 'office').map((a) => (a.text.match(/【[^】]+】/g) ?? []).join(''))).toEqual(['【重点督办】【逾期报告】【问题线索】']);
    await t.get(ItemCommandsService).requestClosure(number, org.coContact.actor, { summary: '已办结' });
  });
});
