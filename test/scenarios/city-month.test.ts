import { writeFileSync } from 'node:fs';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { TokenService } from '../../src/auth/token.service';
import { CalendarService } from '../../src/calendar/calendar.service';
import { Item } from '../../src/cases/item.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OrgService } from '../../src/org/org.service';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiDate, shanghaiInstant } from '../../src/shared/shanghai-time';
import type { Actor } from '../../src/shared/actor';
import type { Role } from '../../src/shared/vocabulary';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingcity', clientSecret: 'dingcity-secret-0123456789', robotCode: 'dingcity' };
const HOUR = 3_600_000;

/**
 * Issue 14, done-when: the scripted month of a small city, through the real jobs (reminder tick, A1 scan, outbox relay)
 * and the fake DingTalk and WeCom. 10 units (5 on DingTalk, 5 on WeCom, a group and one contact each), an owner office
 * (综合一科, with its coordinating leader 刘副秘书长), the 督查室, a prompt leader and a slow one; 40 items registered and
 * assigned from 2026-09-28 to 10-23, across 国庆/中秋 (10-01…10-07 rest; 09-27 and 10-10 调休 working days), with a day
 * of downtime (10-15 10:00 → 10-16 10:00: the clock jumps, nothing ticks, then the jobs catch up). Units answer on time,
 * late, or never; two items are never handed over; the slow leader never signs off.
 *
 * Every message is read where it lands (the fakes); what people receive is then checked against the invariants:
 * nobody blamed for time they did not hold, no duplicate, nothing at night, every escalation delivered.
 */
type Behaviour = 'onTime' | 'reportOnly' | 'late1' | 'late3' | 'never' | 'unsigned' | 'notAssigned';
const BEHAVIOURS: Behaviour[] = ['onTime', 'onTime', 'onTime', 'onTime', 'reportOnly', 'late1', 'late3', 'never', 'unsigned', 'onTime'];

interface Arrival {
  at: string;
  to: string;
  text: string;
}

describe('the scripted month of a small city (issue 14: A1, B1, B4, R1, R4, R5, R10)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  const arrivals: Arrival[] = [];
  const items: { number: string; unit: number; behaviour: Behaviour; deadlineAt: Date; slowLeader: boolean }[] = [];
  const unitNames: string[] = [];
  let bulletin: { draft: unknown };
  let statistics: { byUnit: { label: string; overdue: number; awaiting: number }[] };
  let clueItems: string[] = [];
  const inboxes: Record<string, () => object[]> = {};
  const DOWN_FROM = shanghaiInstant('2026-10-15', '10:00');
  const DOWN_TO = shanghaiInstant('2026-10-16', '10:00');

  beforeAll(async () => {
    const started = Date.now();
    const clock = new FixedClock(shanghaiInstant('2026-09-28', '08:00'));
    ding = await FakeDingTalk.start({ ...DING, now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, now: () => clock.now().getTime() });
    t = await startTestApp({
      clock,
      listen: true,
      env: { ...dingtalkEnv(ding, DING), ...wecomEnv(wx), DUBAN_OUTBOX_POLL_MS: '3600000' },
    });
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);

    // The city.
    const org = t.get(OrgService);
    const tokens = t.get(TokenService);
    const person = async (platform: 'dingtalk' | 'wecom', id: string, name: string, roles: { role: Role; unitId?: number }[], unitId?: number) => {
      const p = await org.createPerson({ name, unitId, roles, identities: [{ platform, externalUserId: id }] });
      inboxes[name] = platform === 'dingtalk' ? () => ding.directMessages(id) : () => wx.userMessages(id);
      return { id: p.id, actor: (await tokens.actorFor(p.id, 'api'))! };
    };
    const office = (await org.createUnit({ code: 'ZH1', name: '综合一科' })).id;
    const supervisor = await person('wecom', 'wx-office', '王督查', [{ role: 'supervisor' }]);
    const owner = await person('dingtalk', 'dt-li', '李科长', [{ role: 'owner' }], office);
    const coordinator = await person('dingtalk', 'dt-coord', '刘副秘书长', [{ role: 'leader' }]);
    const prompt = await person('dingtalk', 'dt-zhao', '赵副市长', [{ role: 'leader' }]);
    const slow = await person('wecom', 'wx-qian', '钱副市长', [{ role: 'leader' }]);
    await t
      .http()
      .put(`/api/units/${office}/coordinating-leader`)
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ coordinatingLeaderId: coordinator.id })
      .expect(200);
    const NAMES = [
      '市发展改革委',
      '市财政局',
      '市教育局',
      '市住建局',
      '市交通运输局',
      '市卫生健康委',
      '市生态环境局',
      '市农业农村局',
      '市商务局',
      '市文化旅游局',
    ];
    const units: { id: number; contact: { id: number; actor: Actor } }[] = [];
    for (const [k, name] of NAMES.entries()) {
      const platform = k % 2 === 0 ? 'dingtalk' : 'wecom';
      const id = (await org.createUnit({ code: `U${k}`, name })).id;
      const chat = platform === 'dingtalk' ? `cidU${k}` : `wrU${k}`;
      await org.createGroup({ platform, externalId: chat, name: `${name}督办群`, unitId: id, purpose: 'unit' });
      inboxes[`${name}督办群`] = platform === 'dingtalk' ? () => ding.groupMessages(chat) : () => wx.groupMessages(chat);
      const contact = await person(platform, platform === 'dingtalk' ? `dt-u${k}` : `wx-u${k}`, `${name}联络员`, [{ role: 'unit_contact', unitId: id }], id);
      units.push({ id, contact });
      unitNames.push(name);
    }

    // What the people do, and when.
    const cal = await t.get(CalendarService).calendar();
    const actions: { at: Date; run: () => Promise<unknown> }[] = [];
    const inDowntime = (d: Date) => d >= DOWN_FROM && d < DOWN_TO;
    const at = (day: string, time: string) => {
      const d = shanghaiInstant(day, time);
      // Nobody can reach the service while it is down: what they would have done waits for it.
      return inDowntime(d) ? new Date(DOWN_TO.getTime() + HOUR) : d;
    };
    const REGISTRATION_DAYS = [
      '2026-09-28',
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
      '2026-10-14',
      '2026-10-16',
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
    ];
    const cmd = t.get(ItemCommandsService);
    const reg = t.get(RegistrationService);
    for (let i = 0; i < 40; i++) {
      const behaviour: Behaviour = i === 9 || i === 29 ? 'notAssigned' : BEHAVIOURS[i % 10];
      const u = units[(i + Math.floor(i / 10)) % 10];
      const slowLeader = i % 3 === 0;
      const day = REGISTRATION_DAYS[i % REGISTRATION_DAYS.length];
      const entry = { number: '', unit: (i + Math.floor(i / 10)) % 10, behaviour, deadlineAt: new Date(0), slowLeader };
      items.push(entry);
      actions.push({
        at: at(day, `0${9 + (i % 3)}:00`.slice(-5)),
        run: async () => {
          const item = await reg.register(
            {
              title: `第${i + 1}项督办事项`,
              content: '按会议议定事项抓好落实',
              source: 'meeting',
              ownerId: owner.id,
              leaderId: slowLeader ? slow.id : prompt.id,
              leadUnitId: u.id,
              deadline: { node: i % 2 === 0 ? '3d' : '7d' },
            },
            supervisor.actor,
          );
          entry.number = item.number;
          entry.deadlineAt = item.deadlineAt;
          if (behaviour === 'notAssigned') return;
          await cmd.assign(item.number, owner.actor);
          if (behaviour === 'unsigned') return;
          await cmd.sign(item.number, u.contact.actor);
          const deadlineDay = shanghaiDate(item.deadlineAt);
          const answer = (when: Date, how: 'closure' | 'report') =>
            actions.push({
              at: when,
              run: () =>
                how === 'closure'
                  ? cmd.requestClosure(item.number, u.contact.actor, { summary: '已按要求办结' })
                  : cmd.report(item.number, u.contact.actor, '已完成阶段性工作'),
            });
          if (behaviour === 'onTime') {
            const asked = at(deadlineDay, '10:00');
            answer(asked, 'closure');
            // The owner rates it that afternoon; the prompt leader signs off the next working day, the slow one never.
            actions.push({ at: new Date(asked.getTime() + 4 * HOUR), run: () => cmd.rate(item.number, owner.actor, 'good') });
            if (!slowLeader) actions.push({ at: at(cal.addWorkingDays(deadlineDay, 1), '10:00'), run: () => cmd.signOff(item.number, prompt.actor) });
          }
          if (behaviour === 'reportOnly') answer(at(deadlineDay, '11:00'), 'report');
          if (behaviour === 'late1') answer(at(cal.addWorkingDays(deadlineDay, 1), '10:00'), 'closure');
          if (behaviour === 'late3') answer(at(cal.addWorkingDays(deadlineDay, 3), '10:00'), 'closure');
        },
      });
    }

    // The month, hour by hour (nothing ticks while the service is down), to Monday 11-02 10:00.
    const reminders = t.get(ReminderScheduler);
    const accountability = t.get(AccountabilityService);
    const relay = t.get(OutboxRelay);
    const seen = new Map<string, number>();
    const deliver = async () => {
      await relay.drain();
      await relay.drain();
      for (const [to, list] of Object.entries(inboxes)) {
        const all = list();
        for (const m of all.slice(seen.get(to) ?? 0)) arrivals.push({ at: formatShanghai(t.clock.now()), to, text: JSON.stringify(m) });
        seen.set(to, all.length);
      }
    };
    const end = shanghaiInstant('2026-11-02', '10:00');
    for (let now = shanghaiInstant('2026-09-28', '08:00').getTime(); now <= end.getTime(); now += HOUR) {
      if (now > DOWN_FROM.getTime() && now < DOWN_TO.getTime()) continue;
      // Every hour from 07:00 to 23:00, and at 01:00 and 04:00: the night is still watched, at a third of the cost.
      const hour = Number(formatShanghai(new Date(now)).slice(11, 13));
      if (hour < 7 && hour !== 1 && hour !== 4) continue;
      t.clock.set(new Date(now));
      for (const a of actions.filter((x) => x.at.getTime() <= now).sort((x, y) => x.at.getTime() - y.at.getTime())) {
        actions.splice(actions.indexOf(a), 1);
        await a.run();
      }
      await reminders.plan(t.clock.now());
      await reminders.dispatch(t.clock.now());
      await accountability.scanOverdue(t.clock.now());
      await deliver();
    }
    // What is left (answers due after 11-02 10:00) is next month's.

    const http = (path: string) =>
      t
        .http()
        .get(path)
        .set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    statistics = (await http('/api/statistics?from=2026-09-28&to=2026-10-31').expect(200)).body;
    const sup = (await tokens.issue(supervisor.id, 'test')).token;
    bulletin = (
      await t
        .http()
        .post('/api/bulletins')
        .set({ Authorization: `Bearer ${sup}` })
        .send({ kind: 'monthly', period: '2026-10' })
        .expect(201)
    ).body;
    const clues = await t.db.getRepository(Clue).find({ where: { trigger: 'overdue' } });
    const byId = new Map((await t.db.getRepository(Item).find()).map((i) => [i.id, i.number]));
    clueItems = clues.map((c) => byId.get(c.itemId!)!).sort();

    // KEEP the whole month to read: CITY_MONTH_DUMP=/path writes every arrival, one a line.
    if (process.env.CITY_MONTH_DUMP) writeFileSync(process.env.CITY_MONTH_DUMP, arrivals.map((a) => `${a.at}\t${a.to}\t${a.text}`).join('\n'));
    // Messages per person (or group) per day.
    const perDay = new Map<string, number>();
    for (const a of arrivals) perDay.set(`${a.to}|${a.at.slice(0, 10)}`, (perDay.get(`${a.to}|${a.at.slice(0, 10)}`) ?? 0) + 1);
    const counts = [...perDay.values()].sort((a, b) => a - b);
    const busiest = [...perDay.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(
      `city month: ${arrivals.length} messages; per person (or group) per day with any: max ${counts[counts.length - 1]}, median ${counts[Math.floor(counts.length / 2)]} over ${counts.length} person-days; busiest ${busiest.map(([k, v]) => `${k} ${v}`).join(', ')}; ran ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 600_000);
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  const blameless = (b: Behaviour) => b === 'onTime' || b === 'reportOnly' || b === 'notAssigned';
  const numbersOf = (pred: (i: (typeof items)[number]) => boolean) => items.filter(pred).map((i) => i.number);

  it('A1 — clues open for the units that let their item run 2 working days late, and for nobody else', () => {
    const expected = numbersOf(
      (i) => (i.behaviour === 'late3' || i.behaviour === 'never' || i.behaviour === 'unsigned') && i.deadlineAt < shanghaiInstant('2026-10-29', '18:00'),
    ).sort();
    expect(clueItems).toEqual(expected);
    for (const n of numbersOf((i) => blameless(i.behaviour) || i.behaviour === 'late1')) expect(clueItems).not.toContain(n);
  });

  it('B1 — the 通报 criticises only items whose unit held them late; the items on the slow leader’s desk are listed as waiting on him', () => {
    const text = JSON.stringify(bulletin.draft);
    for (const n of numbersOf((i) => blameless(i.behaviour))) {
      const row = new RegExp(`"${n}","[^"]*","[^"]*","(逾期办理|重点督办|退回|不合格)`);
      expect([n, row.test(text)]).toEqual([n, false]);
    }
    for (const n of numbersOf((i) => i.behaviour === 'onTime' && i.slowLeader && i.deadlineAt < shanghaiInstant('2026-10-31', '18:00'))) {
      expect(text).toMatch(new RegExp(`"${n}","[^"]*","[^"]*","待分管领导审定，已等待\\d+个工作日"`));
    }
    expect(text).not.toMatch(/[A-Z]\d+：/);
  });

  it('B4 — the statistics count as late, per unit, only the items the unit held late', () => {
    for (const u of statistics.byUnit) {
      const k = unitNames.indexOf(u.label);
      const mayBeLate = items.filter((i) => i.unit === k && !blameless(i.behaviour)).length;
      expect([u.label, u.overdue <= mayBeLate]).toEqual([u.label, true]);
    }
  });

  it('R10 — nothing reaches anyone between 22:00 and 08:00', () => {
    const night = arrivals.filter((a) => a.at.slice(11) >= '22:00' || a.at.slice(11) < '08:00');
    expect(night.map((a) => `${a.at} ${a.to} ${a.text.slice(0, 160)}`)).toEqual([]);
  });

  it('R10 — nobody gets the same message twice in one moment', () => {
    const seen = new Map<string, number>();
    // The fakes add their own ids and timestamps to what they record: compare what the person reads.
    const read = (text: string) =>
      text.replace(/"(msgId|messageId|processQueryKey|at|id|msgid|req_id|outTrackId|msgUuid|via|createTime|time)":("[^"]*"|\d+),?/g, '');
    for (const a of arrivals) {
      const k = `${a.at}|${a.to}|${read(a.text)}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    const dup = [...seen.entries()].filter(([, n]) => n > 1).map(([k]) => k.slice(0, 200));
    expect(dup).toEqual([]);
  });

  /**
   * Issue 14 (R10): for one item, one recipient gets one message per moment, saying the item's current state. Failed
   * before the catch-up fix (a stale 【督办提醒】「将于 2026-10-15 18:00 到期」 beside a 【催办】 at 10-16 10:00), then at each
   * 2-working-days mark (【催办】 + 【问题线索】 to the unit's group, e.g. 2026-10-12 18:00 市农业农村局督办群 DB2026-0005):
   * the clue's notice now rides in the moment's reminder digest, whichever of the reminder tick and the A1 scan runs first.
   */
  it('R10 — one message per item per recipient per moment, with the item’s current state (nothing “将于…到期” once the deadline passed)', () => {
    const per = new Map<string, string[]>();
    for (const a of arrivals) {
      for (const n of new Set(a.text.match(/DB\d{4}-\d{4}/g) ?? [])) per.set(`${a.at} ${a.to} ${n}`, [...(per.get(`${a.at} ${a.to} ${n}`) ?? []), a.text]);
    }
    expect(
      [...per.entries()].filter(([, v]) => v.length > 1).map(([k, v]) => `${k}: ${v.map((x) => (x.match(/【[^】]+】/g) ?? []).join('')).join(' + ')}`),
    ).toEqual([]);
    const stale = arrivals.filter((a) => [...a.text.matchAll(/将于 (\d{4}-\d\d-\d\d \d\d:\d\d) 到期/g)].some((m) => m[1] < a.at));
    expect(stale.map((a) => `${a.at} ${a.to} ${a.text.slice(0, 200)}`)).toEqual([]);
  });

  /**
   * Fails today (issue 14 scope: "the leader is reminded of pending 审定 by the same policy machinery" — not built yet on
   * this branch): 钱副市长 got only the 7 approval cards (10-08 14:00 ×2, 10-16 14:00 ×2, 10-21, 10-26, 10-27 14:00) and no
   * reminder afterwards, though items waited on him for up to 17 working days. Turn on once leader reminders land.
   */
  it('D3 — the slow leader is reminded of the items waiting for his 审定', () => {
    const waiting = items.filter((i) => i.behaviour === 'onTime' && i.slowLeader && i.deadlineAt < shanghaiInstant('2026-10-27', '18:00'));
    expect(waiting.length).toBeGreaterThan(0);
    const reminded = (n: string) => arrivals.some((a) => a.to === '钱副市长' && a.text.includes(n) && !a.text.includes('template_card'));
    expect(waiting.filter((i) => !reminded(i.number)).map((i) => i.number)).toEqual([]);
  });

  it('R4, R5 — every escalation of an item its unit left unanswered is delivered: the owner office, its coordinating leader, 重点督办 to the unit and the 督查室', () => {
    const got = (to: string, tag: string, n: string) => arrivals.some((a) => a.to === to && a.text.includes(tag) && a.text.includes(n));
    const missing: string[] = [];
    for (const i of items.filter((x) => (x.behaviour === 'never' || x.behaviour === 'unsigned') && x.deadlineAt < shanghaiInstant('2026-10-28', '18:00'))) {
      const group = `${unitNames[i.unit]}督办群`;
      if (!got('李科长', '逾期报告', i.number)) missing.push(`${i.number} 李科长 逾期报告`);
      if (!got('刘副秘书长', '报请协调', i.number)) missing.push(`${i.number} 刘副秘书长 报请协调`);
      if (!got(group, '重点督办', i.number)) missing.push(`${i.number} ${group} 重点督办`);
      if (!got('王督查', '重点督办', i.number)) missing.push(`${i.number} 王督查 重点督办`);
    }
    expect(missing).toEqual([]);
    // The walk did reach these steps: units that never answered, and an escalation due in the day of downtime sent at the catch-up.
    expect(items.filter((x) => x.behaviour === 'never' || x.behaviour === 'unsigned').length).toBeGreaterThanOrEqual(6);
    expect(arrivals.filter((a) => a.at === '2026-10-16 10:00' && a.text.includes('重点督办')).length).toBeGreaterThan(0);
  });
});
