import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { CardInstance } from '../../src/chat/card-instance.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { RateWindow } from '../../src/outbox/rate-window.entity';
import { OffsetClock } from '../../src/shared/clock';
import type { Actor } from '../../src/shared/actor';
import { eventually } from '../support/eventually';
import { CORP, AGENT, BOT, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingheld', clientSecret: 'dingheld-secret-0123456789', robotCode: 'dingheld' };
const HOOK = 'hook-held';
const CREATE = '/v1.0/card/instances/createAndDeliver';

/**
 * Issue 17 (bug 1), D12: a card's create that the send limit holds back, or the platform throttles, is tried again
 * later — and each try writes the card's card_instance row first (INSERT IGNORE). On the second try that row is
 * there already: the insert must let it be instead of failing, or the card is never sent (bench:callbacks ended with
 * 27–42 of 200 assignment cards as dead letters). Both platforms, both ways of being held, checked where the cards
 * arrive: at the fake DingTalk and the fake WeCom, each enforcing its documented limit.
 */
describe('a card held back by the send limit or throttled is sent on a later try (issue 17)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  const clock = new OffsetClock();
  let supervisor: Actor;
  const ids = { fgw: 0, czj: 0, hook: 0, owner: 0, leader: 0 };

  beforeAll(async () => {
    ding = await FakeDingTalk.start({ ...DING, cardTemplateIds: ['tpl-held'], now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, webhooks: [{ key: HOOK }], now: () => clock.now().getTime() });
    t = await startTestApp({ clock, env: { ...dingtalkEnv(ding, DING, 'tpl-held'), ...wecomEnv(wx), DUBAN_OUTBOX_POLL_MS: '50' } });
    const org = t.get(OrgService);
    ids.fgw = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    ids.czj = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidHELD', name: '发改委督办群', unitId: ids.fgw, purpose: 'unit' });
    // The 财政局's group is reached through its group webhook robot: 20 messages a minute.
    ids.hook = (
      await org.createGroup({
        platform: 'wecom',
        externalId: 'wrHELD',
        name: '财政局督办群',
        unitId: ids.czj,
        purpose: 'unit',
        webhookUrl: `${wx.apiBase}/cgi-bin/webhook/send?key=${HOOK}`,
      })
    ).id;
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id;
    const sup = await person('王督查', 'dt-sup', [{ role: 'supervisor' }]);
    ids.owner = await person('李秘书长', 'dt-owner', [{ role: 'owner' }]);
    ids.leader = await person('赵副市长', 'dt-leader', [{ role: 'leader' }]);
    supervisor = (await t.get(TokenService).actorFor(sup, 'api'))!;
  });
  afterAll(async () => {
    await t?.close();
    await wx?.stop();
    await ding?.stop();
  });

  it('D12: the DingTalk create throttled by the platform and the WeCom create held by the limiter both arrive, once, with no dead letter', async () => {
    const now = clock.now().getTime();
    // The webhook robot has sent its 20 messages of this minute already (other messages, just now): the fake would
    // answer 45009 to one more, and the limiter, which counted them, holds the card back instead of sending it.
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${wx.apiBase}/cgi-bin/webhook/send?key=${HOOK}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ msgtype: 'text', text: { content: `其他消息${i}` } }),
      });
      expect(((await r.json()) as { errcode: number }).errcode).toBe(0);
    }
    await t.db.getRepository(RateWindow).save({ bucket: `wecom:webhook:${ids.hook}`, sentAt: Array.from({ length: 20 }, () => now).join(',') });
    // DingTalk answers the first create with its throttle error (QpsLimitForAppkeyAndApi): the relay tries again.
    ding.throttleNext(CREATE, 1);

    const { number } = await t.get(RegistrationService).register(
      {
        title: '限速下送达的卡片',
        content: '内容',
        source: 'other',
        ownerId: ids.owner,
        leaderId: ids.leader,
        leadUnitId: ids.fgw,
        coUnitIds: [ids.czj],
        deadline: { node: '7d' },
      },
      supervisor,
    );
    await t.get(ItemCommandsService).assign(number, supervisor);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number });
    const rows = () => t.db.getRepository(OutboxMessage).findBy({ kind: 'assignment_card', itemId: item.id });

    // Both creates have been tried once (their card rows are written) and neither card is there yet.
    await eventually(
      async () => (await rows()).some((r) => r.platform === 'wecom' && r.status === 'pending' && r.lastError?.includes('限速')),
      10_000,
      'the WeCom card held by the limiter',
    );
    await eventually(() => ding.received.some((c) => c.path === CREATE && c.status !== 200), 10_000, 'the DingTalk create throttled');
    expect(await t.db.getRepository(CardInstance).countBy({ itemId: item.id })).toBe(2);
    const hooked = () => wx.webhookMessages(HOOK).filter((m) => JSON.stringify(m).includes(number));
    expect(hooked()).toHaveLength(0);

    // Waits for a card at its fake; if it never comes, says what became of the outbox rows (the reason is in lastError).
    const arrives = async (what: string, fn: () => unknown) => {
      try {
        await eventually(fn, 10_000, what);
      } catch (e) {
        const state = (await rows()).map((r) => ({ platform: r.platform, status: r.status, attempts: r.attempts, lastError: r.lastError }));
        throw new Error(`${(e as Error).message}; outbox rows: ${JSON.stringify(state)}`);
      }
    };
    // DingTalk: the try after the throttle answer sends the card.
    await arrives('the DingTalk card', () =>
      [...ding.cards().values()].some((c) => c.openSpaceId.endsWith('IM_GROUP.cidHELD') && c.cardParamMap.number === number),
    );
    // WeCom: a minute later the window has room again (the service, the fake and the limiter share this clock).
    clock.advance(61_500);
    await arrives('the WeCom card', () => hooked().length > 0);

    // The card is at its fake a moment before its row is written as sent.
    await eventually(async () => (await rows()).every((r) => r.status === 'sent'), 10_000, 'both rows written as sent');
    const after = await rows();
    expect(after.map((r) => [r.platform, r.status, r.lastError])).toEqual(
      expect.arrayContaining([
        ['dingtalk', 'sent', null],
        ['wecom', 'sent', null],
      ]),
    );
    expect(after).toHaveLength(2);
    expect(after.find((r) => r.platform === 'dingtalk')!.attempts).toBe(2); // the throttled try, then the one that went
    expect(after.find((r) => r.platform === 'wecom')!.attempts).toBe(1); // held: not a failure, no attempt counted
    // One card row per card, and each card reached its group exactly once.
    const cards = await t.db.getRepository(CardInstance).findBy({ itemId: item.id });
    expect(cards.map((c) => c.platform).sort()).toEqual(['dingtalk', 'wecom']);
    expect(ding.received.filter((c) => c.path === CREATE && c.status === 200)).toHaveLength(1);
    expect(hooked()).toHaveLength(1);
    // Nobody was throttled by WeCom: the limiter kept the card back instead.
    expect(wx.received.filter((c) => c.path === '/cgi-bin/webhook/send' && JSON.stringify(c.response).includes('45009'))).toHaveLength(0);
    expect(await t.db.getRepository(OutboxMessage).countBy({ status: 'dead' })).toBe(0);
  });
});
