import type { BotEvent } from '../../src/chat/bot-event';
import { BotRouter } from '../../src/chat/bot-router.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { ItemUnit } from '../../src/cases/item-unit.entity';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 (defects 2 and 3): people acting at the same moment, on MariaDB with its default REPEATABLE READ.
 * Every case here was seen to go wrong before the fix (10 签收 events from 20 messages; parents left open).
 */
describe('concurrent commands (issue 11)', () => {
  let t: TestApp;
  let org: Org;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') });
    org = await seedOrg(t);
  });
  afterAll(() => t?.close());

  const register = async (title: string, coUnitIds: number[] = []) =>
    (
      await t
        .get(RegistrationService)
        .register(
          { title, content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: org.units.lead, coUnitIds },
          org.supervisor.actor,
        )
    ).number;
  // seedOrg binds person k to dt-k: 5 is the lead unit's contact.
  const chat = (userId: string, body: string, over: Partial<BotEvent> = {}): BotEvent => ({
    platform: 'dingtalk',
    corpId: 'ding-corp',
    userId,
    conversation: { type: 'group', id: 'cidLEAD' },
    eventId: `msg:conc-${++seq}`,
    text: body,
    ...over,
  });

  it('defect 3: twenty /签收 by one contact at once record one 签收; the others are told it was already signed; 签收 time is kept', async () => {
    const n = await register('并发签收');
    await t.get(ItemCommandsService).assign(n, org.owner.actor);
    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    const router = t.get(BotRouter);
    const results = await Promise.all(Array.from({ length: 20 }, () => router.handle(chat('dt-5', `/签收 ${n}`))));
    const signed = await t.db.getRepository(ItemEvent).findBy({ itemId: item.id, type: 'signed' });
    expect(signed).toHaveLength(1);
    expect(results.filter((r) => r.reply === `${n}：已签收。办理中请随时反馈：/反馈 ${n} 办理进展。`)).toHaveLength(1);
    const refused = results.filter((r) => r.reply !== `${n}：已签收。办理中请随时反馈：/反馈 ${n} 办理进展。`);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.reply).toMatch(/已于 .* 签收事项/);
    const lead = await t.db.getRepository(ItemUnit).findOneByOrFail({ itemId: item.id, role: 'lead' });
    expect(lead.signedAt!.getTime()).toBe(signed[0].at.getTime());
    // A later 签收 neither moves the 签收 time nor adds an event.
    t.clock.advance(3600_000);
    const again = await router.handle(chat('dt-5', `/签收 ${n}`));
    expect(again.reply).toMatch(/已于 .* 签收事项/);
    expect((await t.db.getRepository(ItemUnit).findOneByOrFail({ id: lead.id })).signedAt!.getTime()).toBe(signed[0].at.getTime());
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'signed' })).toBe(1);
  });

  /** A decomposed parent with two children, each walked to 待审定 (pending_approval). */
  const parentWithTwoChildren = async (round: number): Promise<{ parent: string; children: string[] }> => {
    const parent = await register(`分解事项第${round}轮`);
    const cmds = t.get(ItemCommandsService);
    const children = (await t.get(RegistrationService).decompose(parent, [{ unitId: org.units.lead }, { unitId: org.units.co }], org.owner.actor)).map(
      (c) => c.number,
    );
    for (const [i, child] of children.entries()) {
      const contact = i === 0 ? org.leadContact.actor : org.coContact.actor;
      await cmds.assign(child, org.owner.actor);
      await cmds.sign(child, contact);
      await cmds.requestClosure(child, contact, { summary: '已办结' });
      await cmds.rate(child, org.owner.actor, 'good');
    }
    return { parent, children };
  };

  it('defect 2: two children signed off at the same moment close their parent, every round', async () => {
    const cmds = t.get(ItemCommandsService);
    for (let round = 1; round <= 6; round++) {
      const { parent, children } = await parentWithTwoChildren(round);
      await Promise.all(children.map((c) => cmds.signOff(c, org.leader.actor)));
      const states = await Promise.all(children.map(async (c) => (await t.db.getRepository(Item).findOneByOrFail({ number: c })).state));
      expect(states).toEqual(['closed', 'closed']);
      const p = await t.db.getRepository(Item).findOneByOrFail({ number: parent });
      expect({ round, state: p.state }).toEqual({ round, state: 'closed' });
      expect(await t.db.getRepository(ItemEvent).countBy({ itemId: p.id, type: 'closed_by_children' })).toBe(1);
    }
  });

  it('defect 2: two children signed off at once in chat, through the bot, close their parent', async () => {
    const router = t.get(BotRouter);
    for (let round = 7; round <= 9; round++) {
      const { parent, children } = await parentWithTwoChildren(round);
      // dt-3 is the leader.
      const results = await Promise.all(children.map((c) => router.handle(chat('dt-3', `/审定 ${c}`, { conversation: { type: 'direct', id: 'dt-3' } }))));
      expect(results.map((r) => r.reply)).toEqual(children.map((c) => `${c}：已审定办结，编号已销号。`));
      expect((await t.db.getRepository(Item).findOneByOrFail({ number: parent })).state).toBe('closed');
    }
  });

  it('a parent whose children are all closed but which stayed open (left by the old code) is closed by the repair pass, once', async () => {
    const { parent, children } = await parentWithTwoChildren(10);
    const cmds = t.get(ItemCommandsService);
    for (const c of children) await cmds.signOff(c, org.leader.actor);
    // What the race used to leave behind: both children closed, the parent still open.
    const p = await t.db.getRepository(Item).findOneByOrFail({ number: parent });
    await t.db.getRepository(Item).update({ id: p.id }, { state: 'assigned', closedAt: null, numberRetiredAt: null });
    await t.db.getRepository(ItemEvent).delete({ itemId: p.id, type: 'closed_by_children' });
    expect(await cmds.closeFinishedParents()).toBe(1);
    expect(await cmds.closeFinishedParents()).toBe(0);
    expect((await t.db.getRepository(Item).findOneByOrFail({ id: p.id })).state).toBe('closed');
    expect(await t.db.getRepository(ItemEvent).countBy({ itemId: p.id, type: 'closed_by_children' })).toBe(1);
  });

  describe('two service instances on one database', () => {
    let b: TestApp;
    beforeAll(async () => {
      b = await startTestApp({ now: new Date('2026-03-02T01:00:00Z'), attachTo: t });
    });
    afterAll(() => b?.close());

    it('one card click delivered to both instances at once has one effect; two people clicking 签收 at once sign once', async () => {
      const n = await register('两个实例抢同一次点击');
      await t.get(ItemCommandsService).assign(n, org.owner.actor);
      const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
      const click = (userId: string, eventId: string): BotEvent => ({
        ...chat(userId, ''),
        text: undefined,
        eventId,
        cardAction: { action: 'sign', params: { number: n } },
      });
      const same = click('dt-5', 'card:same-click-on-two-instances');
      const [ra, rb] = await Promise.all([t.get(BotRouter).handle(same), b.get(BotRouter).handle(same)]);
      expect([ra.duplicate, rb.duplicate].sort()).toEqual([false, true]);
      expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id, type: 'signed' })).toBe(1);
      // Both answers show the card as it now is (signed: 办理中).
      expect([ra.card?.stateLabel, rb.card?.stateLabel]).toEqual(['办理中', '办理中']);

      // Two different clicks (two contacts of the lead unit, one on each instance) on a fresh item.
      const n2 = await register('两个实例各收到一次点击');
      await t.get(ItemCommandsService).assign(n2, org.owner.actor);
      const id2 = (await t.db.getRepository(Item).findOneByOrFail({ number: n2 })).id;
      const c2 = (userId: string, eventId: string): BotEvent => ({ ...click(userId, eventId), cardAction: { action: 'sign', params: { number: n2 } } });
      const rs = await Promise.all([t.get(BotRouter).handle(c2('dt-5', 'card:two-a')), b.get(BotRouter).handle(c2('dt-5', 'card:two-b'))]);
      expect(await t.db.getRepository(ItemEvent).countBy({ itemId: id2, type: 'signed' })).toBe(1);
      expect(rs.filter((r) => r.reply === `${n2}：已签收。办理中请随时反馈：/反馈 ${n2} 办理进展。`)).toHaveLength(1);
      expect(rs.filter((r) => /已于 .* 签收事项/.test(r.reply ?? ''))).toHaveLength(1);
    });
  });
});
