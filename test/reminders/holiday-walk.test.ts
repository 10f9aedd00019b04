import { FakeDingTalk } from '../../fakes/dingtalk';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { Clue } from '../../src/accountability/clue.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OrgService } from '../../src/org/org.service';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service';
import { ScoreLineRow } from '../../src/scoring/score-line.entity';
import { TokenService } from '../../src/auth/token.service';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import type { Role } from '../../src/shared/vocabulary';
import { dingtalkEnv } from '../support/platform-env';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingholiday', clientSecret: 'dingholiday-secret-0123456789', robotCode: 'dingholiday' };
const HOUR = 3600_000;

/**
 * Issue 13, done-when: the 13710 walk redone on an item registered the day before 劳动节 2026 (holiday 05-01…05-05,
 * 调休 Saturday 05-09), every message checked where it lands at the fake DingTalk. The expected instants are written
 * out by hand from the seeds as DOMAIN now reads them: the deadline is the day end (18:00, C3); 逾期 hours count
 * working time only (R4); nights and rest days are held to the next working morning and sent once (R10); the 立项主体
 * — an office, both of its people — and its coordinating leader (分管副秘书长) are told at 2 days, never the D3
 * approver (R4, 001 §14 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调); 重点督办 at 3 days (R5); the A1 clue at
 * 2 days, 以上 including the number.
 */
describe('13710 over 劳动节 2026 at the fake DingTalk (C3, R1, R4, R5, R10, A1)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-04-30', '08:30'));
    fake = await FakeDingTalk.start({ ...APP, now: () => clock.now().getTime() });
    t = await startTestApp({ clock, env: { ...dingtalkEnv(fake, APP), DUBAN_OUTBOX_POLL_MS: '3600000' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('nothing reaches anyone during the holiday; the urges, the office and its coordinating leader, 重点督办 and the clue come on working days at working hours', async () => {
    const org = t.get(OrgService);
    const tokens = t.get(TokenService);
    const office = (await org.createUnit({ code: 'ZH1', name: '综合一科' })).id;
    const lead = (await org.createUnit({ code: 'ZJJ', name: '市住建局' })).id;
    const person = async (dt: string, name: string, roles: { role: Role; unitId?: number }[], unitId?: number) => {
      const p = await org.createPerson({ name, unitId, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] });
      return { id: p.id, actor: (await tokens.actorFor(p.id, 'api'))! };
    };
    const supervisor = await person('dt-office', '王督查', [{ role: 'supervisor' }]);
    const li = await person('dt-li', '李科长', [{ role: 'owner' }], office);
    await person('dt-zhang', '张科员', [{ role: 'owner' }], office);
    const coordinator = await person('dt-coord', '刘副秘书长', [{ role: 'leader' }]);
    const viceMayor = await person('dt-mayor', '赵副市长', [{ role: 'leader' }]);
    const contact = await person('dt-contact', '陈联络', [{ role: 'unit_contact', unitId: lead }], lead);
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidZJJ', name: '住建局督办群', unitId: lead, purpose: 'unit' });
    await t
      .http()
      .put(`/api/units/${office}/coordinating-leader`)
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ coordinatingLeaderId: coordinator.id })
      .expect(200);

    // Registered on 04-30, the last working day before the holiday, due at that day's end (C3: a date is due at 18:00).
    const item = await t.get(RegistrationService).register(
      {
        title: '节前到期的排水整治事项',
        content: '内容',
        source: 'meeting',
        ownerId: li.id,
        leaderId: viceMayor.id,
        leadUnitId: lead,
        deadline: { date: '2026-04-30' },
      },
      supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(item.number, li.actor);
    await t.get(ItemCommandsService).sign(item.number, contact.actor);

    const inboxes = {
      unit: () => fake.groupMessages('cidZJJ'),
      li: () => fake.directMessages('dt-li'),
      zhang: () => fake.directMessages('dt-zhang'),
      coordinator: () => fake.directMessages('dt-coord'),
      mayor: () => fake.directMessages('dt-mayor'),
      office: () => fake.directMessages('dt-office'),
    };
    const seen = new Map<string, number>();
    const arrivals: { at: string; to: string; text: string }[] = [];
    const relay = t.get(OutboxRelay);
    const deliver = async () => {
      await relay.drain();
      await relay.drain();
      for (const [to, list] of Object.entries(inboxes)) {
        for (const m of list().slice(seen.get(to) ?? 0)) arrivals.push({ at: formatShanghai(t.clock.now()), to, text: JSON.stringify(m) });
        seen.set(to, list().length);
      }
    };
    await deliver();
    arrivals.length = 0; // the assignment card and the 签收 notice are not what this walk looks at

    const scheduler = t.get(ReminderScheduler);
    const accountability = t.get(AccountabilityService);
    for (let at = shanghaiInstant('2026-04-30', '09:00').getTime(); at <= shanghaiInstant('2026-05-09', '12:00').getTime(); at += HOUR) {
      t.clock.set(new Date(at));
      await scheduler.plan(t.clock.now());
      await scheduler.dispatch(t.clock.now());
      await accountability.scanOverdue(t.clock.now());
      await deliver();
    }

    const mine = arrivals.filter((a) => a.text.includes(item.number));
    const tags = (a: { text: string }) => (a.text.match(/【[^】]+】/g) ?? []).join('');
    const summary = mine.map((a) => `${a.at} ${a.to} ${tags(a)}`);
    const unit = (at: string) => `${at} unit 【${at.endsWith('13:00') && at.startsWith('2026-04-30') ? '督办提醒' : '催办'}】`;
    expect(summary.filter((s) => !s.includes(' office ') || s.includes('重点督办') || s.includes('逾期'))).toEqual([
      // R1 截止时限前5小时: 13:00 on the deadline day. R4 +3 h: 21:00, before the night.
      unit('2026-04-30 13:00'),
      unit('2026-04-30 21:00'),
      // +5 h (23:00) and +6 h (24:00) fall in the night, then 劳动节 adds nothing: +9 h and +12 h are 05-06 03:00 and 06:00.
      // All held to the first working morning and sent once.
      unit('2026-05-06 08:00'),
      unit('2026-05-06 09:00'),
      unit('2026-05-06 12:00'),
      unit('2026-05-06 15:00'),
      // R1 逾期1天 = 24 working hours: 05-06 18:00; then every 2 h, the night's held to 08:00.
      unit('2026-05-06 18:00'),
      unit('2026-05-06 20:00'),
      unit('2026-05-07 08:00'),
      unit('2026-05-07 10:00'),
      unit('2026-05-07 12:00'),
      unit('2026-05-07 14:00'),
      unit('2026-05-07 16:00'),
      // R1 逾期2天 and R4: the 立项主体 (both people of the office) and its coordinating leader, at 05-07 18:00.
      unit('2026-05-07 18:00'),
      // A1 at 2 working days: the unit is told the clue opened (issue 14) — in that urge, one message (R10; below).
      '2026-05-07 18:00 li 【逾期报告】',
      '2026-05-07 18:00 zhang 【逾期报告】',
      '2026-05-07 18:00 coordinator 【报请协调】',
      // Issue 14: after R4's cadence, one urge each working morning at 09:00 until answered (05-09 is the 调休 Saturday).
      '2026-05-08 09:00 unit 【催办】',
      // R5 逾期3天: 重点督办 — the unit is told, and the 督查室.
      '2026-05-08 18:00 unit 【重点督办】',
      '2026-05-08 18:00 office 【重点督办】',
      '2026-05-09 09:00 unit 【催办】',
    ]);
    const clue = (await t.db.getRepository(Clue).findOneByOrFail({ itemId: item.id })).number;
    expect(
      mine
        .filter((a) => a.at === '2026-05-07 18:00' && a.to === 'unit')
        .map((a) =>
          String((JSON.parse(a.text) as { msgParam: { text: string } }).msgParam.text)
            .split('\n')[0]
            .trimEnd(),
        ),
    ).toEqual([
      `【催办】${item.number}「${item.title}」已逾期2天（节假日不计），请立即反馈办理情况。督查室已就此登记问题线索 ${clue}，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。`,
    ]);
    // Nobody hears anything from 05-01 to 05-05, and nothing in a night.
    expect(mine.filter((a) => a.at >= '2026-05-01' && a.at < '2026-05-06')).toEqual([]);
    expect(mine.filter((a) => a.at.slice(11) >= '22:00' || a.at.slice(11) < '08:00')).toEqual([]);
    // The D3 approver (副市长) is never asked to coordinate.
    expect(mine.filter((a) => a.to === 'mayor')).toEqual([]);
    // One message at 05-06 08:00 with one line for the item, saying how overdue in the time the rules count.
    const morning = mine.filter((a) => a.at === '2026-05-06 08:00');
    expect(morning).toHaveLength(1);
    expect(morning[0].text.match(/【催办】/g)).toHaveLength(1);
    expect(morning[0].text).toContain('已逾期14小时（节假日不计）');

    // A1 超过规定落实时限2天以上: the clue opens at exactly 2 working days (05-07 18:00), not during the holiday.
    const clues = await t.db.getRepository(Clue).findBy({ itemId: item.id });
    expect(clues.map((c) => [c.trigger, formatShanghai(c.openedAt)])).toEqual([['overdue', '2026-05-07 18:00']]);
    // S6: 重点督办 costs the unit 5 points once.
    const s6 = await t.db.getRepository(ScoreLineRow).findBy({ itemId: item.id, rule: 'S6' });
    expect(s6.map((l) => l.pointsTenths)).toEqual([-50]);
  });
});
