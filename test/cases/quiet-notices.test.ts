import { FakeDingTalk } from '../../fakes/dingtalk';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OutboxRelay } from '../../src/outbox/outbox.relay';
import { FixedClock } from '../../src/shared/clock';
import { formatShanghai, shanghaiInstant } from '../../src/shared/shanghai-time';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { dingtalkEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingquiet', clientSecret: 'dingquiet-secret-0123456789', robotCode: 'dingquiet' };

/**
 * Issue 14, R10 for every notice: what people's own commands cause for OTHER people — the 督查室's 重点督办 to the unit, a
 * unit's 反馈 to the owner — waits out the night and rest days like the reminders do, and then comes once; the answer to
 * the person who typed the command comes at once (he is awake and waiting for it). Checked where it lands: the fake
 * DingTalk, on the service's clock.
 */
describe('quiet hours hold every notice, not only reminders (R10)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let org: Org;
  const relay = () => t.get(OutboxRelay);
  const text = (m: object) => JSON.stringify((m as { msgParam?: unknown }).msgParam ?? m);
  const unitGroup = () => fake.groupMessages('cidLEAD').map(text);
  const ownerInbox = () => fake.directMessages('dt-2').map(text);
  const at = async (date: string, time: string) => {
    t.clock.set(shanghaiInstant(date, time));
    await relay().drain();
    await relay().drain();
  };
  const newItem = async (title: string, date: string) => {
    const { number } = await t.get(RegistrationService).register(
      {
        title,
        content: '按要求推进',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(number, org.supervisor.actor);
    await t.get(ItemCommandsService).sign(number, org.leadContact.actor);
    return number;
  };

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-06', '09:00'));
    fake = await FakeDingTalk.start({ ...APP, cardTemplateIds: ['tpl-quiet'], now: () => clock.now().getTime() });
    t = await startTestApp({ clock, env: { ...dingtalkEnv(fake, APP, 'tpl-quiet'), DINGTALK_MODE: 'stream', DUBAN_OUTBOX_POLL_MS: '3600000' } });
    org = await seedOrg(t);
    await fake.waitFor(() => fake.connections() > 0, 10_000);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('重点督办 set by the 督查室 at 23:00 on a Friday reaches the unit on Monday at 08:00, once', async () => {
    const number = await newItem('推进老旧小区改造', '2026-03-20');
    await at('2026-03-06', '09:00');
    const before = unitGroup().length;

    t.clock.set(shanghaiInstant('2026-03-06', '23:00'));
    await t.http().put(`/api/items/${number}/key-supervision`).set(bearer(org.supervisor)).send({ on: true, reason: '市领导批示要求加快进度' }).expect(200);
    for (const [date, time] of [
      ['2026-03-06', '23:00'],
      ['2026-03-07', '10:00'],
      ['2026-03-08', '20:00'],
      ['2026-03-09', '07:59'],
    ]) {
      await at(date, time);
      expect(unitGroup().slice(before)).toEqual([]);
    }
    // The row waits with its own key, due at the working morning.
    const row = await t.db.getRepository(OutboxMessage).findOneByOrFail({ kind: 'key_supervision_notice' });
    expect(formatShanghai(row.dueAt)).toBe('2026-03-09 08:00');
    expect(row.dedupeKey).toMatch(/^evt:\d+:key_supervision_notice:group:\d+$/);

    await at('2026-03-09', '08:00');
    await at('2026-03-09', '08:30');
    const arrived = unitGroup().slice(before);
    expect(arrived.map((m) => JSON.parse(m) as object)).toEqual([
      {
        title: '重点督办',
        text: `【重点督办】${number}「推进老旧小区改造」  \n已列为重点督办事项：市领导批示要求加快进度。  \n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，于 2026-03-20 18:00 前反馈办理情况。`,
      },
    ]);
  });

  it("a unit's /反馈 at 22:30 before 劳动节 is answered at once; the owner hears of it on the first working morning", async () => {
    t.clock.set(shanghaiInstant('2026-04-30', '09:00'));
    const number = await newItem('排水管网改造', '2026-05-20');
    await at('2026-04-30', '09:00');
    const groupBefore = unitGroup().length;
    const ownerBefore = ownerInbox().length;

    t.clock.set(shanghaiInstant('2026-04-30', '22:30'));
    await fake.sendGroupText({ conversationId: 'cidLEAD', senderStaffId: 'dt-5', text: `/反馈 ${number} 已完成管网排查` });
    await eventually(async () => {
      await relay().drain();
      return unitGroup().length > groupBefore;
    });
    // It does not say the owner has been told: he will be, on the working morning.
    expect(
      unitGroup()
        .slice(groupBefore)
        .map((m) => JSON.parse(m) as object),
    ).toEqual([{ title: '督办助手', text: `${number}：反馈已记录，将于 5月6日 08:00 告知立项主体。` }]);
    expect(ownerInbox().slice(ownerBefore)).toEqual([]);

    for (const [date, time] of [
      ['2026-04-30', '23:59'],
      ['2026-05-01', '09:00'],
      ['2026-05-05', '18:00'],
      ['2026-05-06', '07:59'],
    ]) {
      await at(date, time);
      expect(ownerInbox().slice(ownerBefore)).toEqual([]);
    }
    await at('2026-05-06', '08:00');
    await at('2026-05-06', '09:00');
    const told = ownerInbox().slice(ownerBefore);
    // Told five days later, the owner reads when the unit reported.
    expect(told.map((m) => JSON.parse(m) as object)).toEqual([
      { title: '督办反馈', text: `【督办反馈】${number}「排水管网改造」  \n市发展改革委于 2026-04-30 22:30 反馈：已完成管网排查` },
    ]);
  });

  it('交办 at 23:00: the card reaches the group at 08:00, created before any refresh, showing what happened in the night', async () => {
    t.clock.set(shanghaiInstant('2026-06-03', '22:50'));
    const { number } = await t.get(RegistrationService).register(
      {
        title: '夜间交办的河道保洁事项',
        content: '按要求推进',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        deadline: { date: '2026-06-30' },
      },
      org.supervisor.actor,
    );
    t.clock.set(shanghaiInstant('2026-06-03', '23:00'));
    await t.get(ItemCommandsService).assign(number, org.supervisor.actor);
    const card = () => [...fake.cards().values()].find((c) => c.openSpaceId.endsWith('IM_GROUP.cidLEAD') && c.cardParamMap.number === number);
    await at('2026-06-03', '23:00');
    expect(card()).toBeUndefined();

    // A contact who heard of it otherwise signs at 23:10: he is answered at once; the card that is not there yet is not touched.
    const groupBefore = unitGroup().length;
    t.clock.set(shanghaiInstant('2026-06-03', '23:10'));
    await fake.sendGroupText({ conversationId: 'cidLEAD', senderStaffId: 'dt-5', text: `/签收 ${number}` });
    await eventually(async () => {
      await relay().drain();
      return unitGroup().length > groupBefore;
    });
    expect(
      unitGroup()
        .slice(groupBefore)
        .map((m) => JSON.parse(m) as object),
    ).toEqual([{ title: '督办助手', text: `${number}：已签收。办理中请随时反馈：/反馈 ${number} 办理进展。` }]);
    await at('2026-06-04', '07:59');
    expect(card()).toBeUndefined();

    await at('2026-06-04', '08:00');
    await at('2026-06-04', '08:01');
    expect(card()).toMatchObject({ updates: 0, cardParamMap: { number, stateLabel: '办理中' } });
    expect(JSON.parse(card()!.cardParamMap.buttons).map((b: { id: string }) => b.id)).not.toContain('sign');
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });
});
