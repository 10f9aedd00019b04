import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { OutboundComposer } from '../../src/chat/outbound.composer';
import { OrgService } from '../../src/org/org.service';
import { TokenService } from '../../src/auth/token.service';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * P2, P4 (issue 13, scope 5): the owner, the leader and the units of an open item can be reassigned by the 督查室 —
 * one transaction: the item and its units, a timeline event saying who was replaced by whom and why, the messages
 * (the new lead unit gets the assignment card, the old one is told it no longer handles the item), reminders re-planned.
 */
describe('reassignment by the 督查室 (P2, P4)', () => {
  let t: TestApp;
  let org: Org;
  let newOwner: Someone;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') });
    org = await seedOrg(t);
    const office = (await t.get(OrgService).createUnit({ code: 'ZH2', name: '综合二科' })).id;
    const p = await t.get(OrgService).createPerson({ name: '周科长', unitId: office, roles: [{ role: 'owner' }] });
    const { token } = await t.get(TokenService).issue(p.id, 'test');
    newOwner = { id: p.id, name: '周科长', token, actor: (await t.get(TokenService).actorFor(p.id, 'api'))! };
  });
  afterAll(() => t.close());

  const post = (path: string, who: Someone, body: object = {}) => t.http().post(path).set(bearer(who)).send(body);
  const ok = (r: { status: number }) => expect(r.status).toBeLessThan(300);

  async function assignedItem(title: string): Promise<string> {
    const reg = await post('/api/items', org.supervisor, {
      title,
      content: '内容',
      source: 'meeting',
      ownerId: org.owner.id,
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      coUnitIds: [org.units.co],
      deadlineNode: '7d',
    }).expect(201);
    const n: string = reg.body.number;
    await post(`/api/items/${n}/assign`, org.owner).expect(ok);
    await post(`/api/items/${n}/sign`, org.leadContact).expect(ok);
    return n;
  }

  it('P2 — only the 督查室 reassigns: the owner, the leader and the units themselves are refused, and nothing changes', async () => {
    const n = await assignedItem('调整权限');
    const body = { leadUnitId: org.units.other, reason: '职能调整' };
    for (const who of [org.owner, org.leader, org.leadContact]) await post(`/api/items/${n}/reassign`, who, body).expect(403);
    expect(await t.db.getRepository(ItemEvent).countBy({ type: 'reassigned' })).toBe(0);
  });

  it('P2, P4 — 督查室 moves the item to a new lead unit, leader and owner office: the timeline says who replaced whom and why, the new unit gets the card, the old one is told, access follows', async () => {
    const n = await assignedItem('调整主办单位');
    const before = await t.db.getRepository(OutboxMessage).count();
    const res = await post(`/api/items/${n}/reassign`, org.supervisor, {
      ownerId: newOwner.id,
      leaderId: org.otherLeader.id,
      leadUnitId: org.units.other,
      coUnitIds: [org.units.co],
      reason: '根据市政府分工调整',
    }).expect(200);
    expect(res.body.leadUnit.id).toBe(org.units.other);
    expect([res.body.owner.name, res.body.ownerOffice.name, res.body.leader.name]).toEqual(['周科长', '综合二科', '钱副市长']);

    const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
    expect([item.ownerId, item.ownerUnitId !== null, item.leaderId, item.remindersPlannedUntil]).toEqual([newOwner.id, true, org.otherLeader.id, null]);
    const event = await t.db.getRepository(ItemEvent).findOneByOrFail({ itemId: item.id, type: 'reassigned' });
    for (const words of ['立项主体由李秘书长调整为周科长', '分管领导由赵副市长调整为钱副市长', '主办单位由市发展改革委调整为市教育局', '根据市政府分工调整']) {
      expect(event.summary).toContain(words);
    }
    expect(event.summary).not.toMatch(/[A-Z]\d：/);

    const sent = (await t.db.getRepository(OutboxMessage).find({ order: { id: 'ASC' } })).slice(before);
    const to = (kind: string) => sent.filter((m) => m.kind === kind).map((m) => m.target);
    // The new lead unit (no group: its contact one to one) gets the assignment card, as at 交办.
    expect(to('assignment_card')).toEqual([`person:${org.otherContact.id}`]);
    // The cards already in the groups are refreshed: the old unit's buttons go, the new units and people show.
    expect(to('card_refresh')).toEqual([`cards:${item.id}`]);
    // The old lead unit is told in its group that it no longer handles the item; the new owner and leader are told too.
    expect(to('reassigned_notice').sort()).toEqual([`group:${org.groups.lead}`, `person:${newOwner.id}`, `person:${org.otherLeader.id}`].sort());
    const oldUnitMsg = sent.find((m) => m.kind === 'reassigned_notice' && m.target === `group:${org.groups.lead}`)!;
    const [delivery] = await t.get(OutboundComposer).compose(oldUnitMsg, new Set(['dingtalk']));
    const text = (delivery.outbound as { text: string }).text;
    expect(text).toContain('不再承办');
    expect(text).toContain('根据市政府分工调整');

    // P4: the old unit no longer sees the item; the new one does, and may now sign for it; the new owner acts as owner.
    await t.http().get(`/api/items/${n}`).set(bearer(org.leadContact)).expect(404);
    await t.http().get(`/api/items/${n}`).set(bearer(org.otherContact)).expect(200);
    await post(`/api/items/${n}/sign`, org.otherContact).expect(ok);
    await post(`/api/items/${n}/reports`, org.leadContact, { content: '旧单位反馈' }).expect(403);
  });

  it('refusals say what to do next: no reason, nothing changed, a lead unit also listed as co-unit, a closed item', async () => {
    const n = await assignedItem('调整拒绝');
    const noReason = await post(`/api/items/${n}/reassign`, org.supervisor, { leadUnitId: org.units.other }).expect(400);
    expect(noReason.body.message).toContain('理由');
    const nothing = await post(`/api/items/${n}/reassign`, org.supervisor, { reason: '无' }).expect(400);
    expect(nothing.body.message).toContain('请至少');
    const same = await post(`/api/items/${n}/reassign`, org.supervisor, { leadUnitId: org.units.co, coUnitIds: [org.units.co], reason: '调整' }).expect(400);
    expect(same.body.message).toContain('协办单位');
    await t.db.getRepository(Item).update({ number: n }, { state: 'closed' });
    const closed = await post(`/api/items/${n}/reassign`, org.supervisor, { leadUnitId: org.units.other, reason: '调整' }).expect(409);
    expect(closed.body.message).toContain('已办结');
  });
});
