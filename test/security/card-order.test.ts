import { FakeDingTalk } from '../../fakes/dingtalk';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { RateWindow } from '../../src/outbox/rate-window.entity';
import { ChatGroup } from '../../src/org/chat-group.entity';
import { Item } from '../../src/cases/item.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import type { Actor } from '../../src/shared/actor';
import { dingtalkEnv } from '../support/platform-env';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

const APP = { clientId: 'dingorder', clientSecret: 'dingorder-secret-0123456789', robotCode: 'dingorder' };

/**
 * Issue 11 D12: a card is created before anything refreshes it, and a refresh reaches every card of the item even when
 * one of them fails. Everything is checked where it arrives: at the fake DingTalk, which answers param.cardNotExist
 * for an update of a card it has not been given.
 */
describe('card creation before refresh, refresh per card', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let supervisor: Actor;
  let contact: Actor;
  const ids = { lead: 0, co: 0, owner: 0, leader: 0 };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, cardTemplateIds: ['tpl-order'] });
    t = await startTestApp({ clock: new OffsetClock(), env: { ...dingtalkEnv(fake, APP, 'tpl-order'), DUBAN_OUTBOX_POLL_MS: '50' } });
    const org = t.get(OrgService);
    ids.lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    ids.co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidLEAD', name: '发改委督办群', unitId: ids.lead, purpose: 'unit' });
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidCO', name: '财政局督办群', unitId: ids.co, purpose: 'unit' });
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'dt-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'dt-leader', [{ role: 'leader' }]);
    const lead = await person('陈联络', 'dt-lead', [{ role: 'unit_contact', unitId: ids.lead }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
    contact = (await t.get(TokenService).actorFor(lead, 'api'))!;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const cardIn = (cid: string, number: string) =>
    [...fake.cards().values()].find((c) => c.openSpaceId.endsWith(`IM_GROUP.${cid}`) && c.cardParamMap.number === number);
  const dead = () => t.db.getRepository(OutboxMessage).findBy({ status: 'dead' });
  const newItem = async (title: string) => {
    const { number } = await t.get(RegistrationService).register(
      {
        title,
        content: '内容',
        source: 'other',
        ownerId: ids.owner,
        leaderId: ids.leader,
        leadUnitId: ids.lead,
        coUnitIds: [ids.co],
        deadline: { node: '7d' },
      },
      supervisor,
    );
    return number;
  };

  it('D12: a create held back by the send limit and a refresh meanwhile arrive in order, with no dead letter', async () => {
    const number = await newItem('限速下的卡片');
    // The card-create API's window is full (20 sends in this second, as if other cards had just gone): creates wait.
    const now = Date.now();
    await t.db.getRepository(RateWindow).save({ bucket: 'dingtalk:api:card-create', sentAt: Array.from({ length: 20 }, () => now).join(',') });
    await t.get(ItemCommandsService).assign(number, supervisor);
    // The creates were tried and held: their card rows exist, the cards do not.
    await eventually(
      async () =>
        (await t.db.getRepository(OutboxMessage).findBy({ kind: 'assignment_card' })).filter((r) => r.status === 'pending' && r.lastError?.includes('限速'))
          .length === 2,
      10_000,
      'creates held by the limiter',
    );
    expect(cardIn('cidLEAD', number)).toBeUndefined();
    // The lead unit signs meanwhile: the item's cards are to be refreshed.
    await t.get(ItemCommandsService).sign(number, contact);
    const lead = await fake.waitFor(() => cardIn('cidLEAD', number)?.cardParamMap.stateLabel === '办理中' && cardIn('cidLEAD', number));
    const co = await fake.waitFor(() => cardIn('cidCO', number)?.cardParamMap.stateLabel === '办理中' && cardIn('cidCO', number));
    // At the fake: each card's create came before any update of it, and no update met a card that did not exist.
    for (const card of [lead, co]) {
      const calls = fake.received.filter((c) => (c.body as { outTrackId?: string } | undefined)?.outTrackId === card.outTrackId);
      const firstCreate = calls.findIndex((c) => c.path.endsWith('createAndDeliver') && c.status === 200);
      expect(firstCreate).toBeGreaterThanOrEqual(0);
      expect(calls.slice(0, firstCreate).some((c) => c.method === 'PUT')).toBe(false);
    }
    expect(fake.received.filter((c) => JSON.stringify(c.response ?? '').includes('cardNotExist'))).toHaveLength(0);
    expect(await dead()).toHaveLength(0);
    // Nothing is left waiting.
    await eventually(async () => (await t.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 10_000, 'outbox drained');
  });

  it('D12: a refresh of several cards where one update fails still updates the others', async () => {
    const number = await newItem('一张失败不影响其他');
    await t.get(ItemCommandsService).assign(number, supervisor);
    await fake.waitFor(() => cardIn('cidLEAD', number) && cardIn('cidCO', number));
    await eventually(async () => (await t.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 10_000, 'creates sent');
    // The first card update after this is refused for good; the other must still be made.
    fake.failNext('/v1.0/card/instances', 1, { status: 400, code: 'param.invalid', message: '参数错误' });
    await t.get(ItemCommandsService).sign(number, contact);
    await eventually(async () => (await dead()).length === 1, 10_000, 'the refused update is a dead letter');
    const updated = await fake.waitFor(() => {
      const done = [cardIn('cidLEAD', number)!, cardIn('cidCO', number)!].filter((c) => c.cardParamMap.stateLabel === '办理中');
      return done.length > 0 && done;
    }, 5_000);
    expect(updated).toHaveLength(1);
    const [deadRow] = await dead();
    expect(deadRow.lastError).toContain('param.invalid');
  });

  it("D12: a refresh waits while a create of the item is in another instance's hands and has not recorded its card yet", async () => {
    const number = await newItem('另一实例正在发送');
    await t.get(ItemCommandsService).assign(number, supervisor);
    await fake.waitFor(() => cardIn('cidLEAD', number) && cardIn('cidCO', number));
    await eventually(async () => (await t.db.getRepository(OutboxMessage).countBy({ status: 'pending' })) === 0, 10_000, 'creates sent');
    // Another instance has claimed one more card for the item and composed it (with the state before the change
    // below) but has not yet written its card_instance row — the moment a refresh must not slip through.
    const item = await t.db.getRepository(Item).findOneByOrFail({ number });
    const co = await t.db.getRepository(ChatGroup).findOneByOrFail({ externalId: 'cidCO' });
    const repo = t.db.getRepository(OutboxMessage);
    const inFlight = await repo.save({
      dedupeKey: `test:inflight:${number}`,
      kind: 'assignment_card',
      target: `group:${co.id}` as never,
      platform: 'dingtalk',
      itemId: item.id,
      payload: {},
      status: 'pending',
      attempts: 0,
      dueAt: new Date(),
      lockedBy: 'elsewhere',
      lockedUntil: new Date(Date.now() + 60_000),
    });
    await t.get(ItemCommandsService).sign(number, contact);
    await eventually(
      async () => (await repo.findBy({ target: `cards:${item.id}` as never, status: 'pending' })).some((r) => r.lastError?.includes('等待')),
      5_000,
      'the refresh waits',
    );
    // The other instance goes away; its lease is handed back and this one sends the card, then the refresh follows.
    await repo.update({ id: inFlight.id }, { lockedBy: null, lockedUntil: null });
    await eventually(async () => (await repo.countBy({ status: 'pending' })) === 0, 10_000, 'outbox drained');
    const cards = [...fake.cards().values()].filter((c) => c.cardParamMap.number === number);
    expect(cards).toHaveLength(3);
    expect(cards.map((c) => c.cardParamMap.stateLabel)).toEqual(['办理中', '办理中', '办理中']);
    expect(await dead()).toHaveLength(1); // the one refused on purpose in the test before
  });
});
