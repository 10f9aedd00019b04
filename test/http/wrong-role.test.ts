import { Item } from '../../src/cases/item.entity';
import { ItemEvent } from '../../src/cases/item-event.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * P2–P4 over HTTP: every command tried by people the rules do not allow, each on an item in the state where the
 * command WOULD be legal for the right person — so the refusal can only come from the role check — and nothing changes.
 */
describe('every command as the wrong role is refused (P2–P4)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const post = (path: string, who: Someone, body: object = {}) => t.http().post(path).set(bearer(who)).send(body);

  /** An item brought to `upTo` by the right people. */
  async function itemAt(
    upTo: 'registered' | 'assigned' | 'in_progress' | 'reported' | 'extension' | 'closure_requested' | 'under_review' | 'pending_approval' | 'closed' | 'draft',
  ) {
    const reg = await post('/api/items', org.supervisor, {
      title: `角色测试 ${upTo}`,
      content: '内容',
      source: 'other',
      ownerId: org.owner.id,
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      coUnitIds: [org.units.co],
      draft: upTo === 'draft',
    }).expect(201);
    const n: string = reg.body.number;
    const steps: [string, Someone, object?][] = [
      ['assign', org.owner],
      ['sign', org.leadContact],
      ['reports', org.leadContact, { content: '进展' }],
      ['closure-request', org.leadContact, { summary: '办结' }],
      ['review', org.owner],
      ['rate', org.owner, { rating: 'excellent' }],
      ['sign-off', org.leader],
    ];
    const stop = {
      draft: 0,
      registered: 0,
      assigned: 1,
      in_progress: 2,
      reported: 3,
      extension: 2,
      closure_requested: 4,
      under_review: 5,
      pending_approval: 6,
      closed: 7,
    }[upTo];
    for (const [cmd, who, body] of steps.slice(0, stop)) await post(`/api/items/${n}/${cmd}`, who, body).expect((r) => expect(r.status).toBeLessThan(300));
    let requestId = 0;
    if (upTo === 'extension') {
      const r = await post(`/api/items/${n}/extension-requests`, org.leadContact, {
        newDeadline: '2026-03-20T18:00:00+08:00',
        reason: '理由',
        plan: '方案',
      }).expect(201);
      requestId = r.body.result.requestId;
    }
    return { n, requestId };
  }

  type Case = { cmd: string; state: Parameters<typeof itemAt>[0]; body?: object; wrong: (keyof Org)[]; rule: string };
  const cases: Case[] = [
    { cmd: 'submit', state: 'draft', wrong: ['leadContact', 'leader'], rule: '立项由督查室或立项主体办理' },
    { cmd: 'assign', state: 'registered', wrong: ['leadContact', 'leader', 'coContact'], rule: '交办由督查室或立项主体办理' },
    { cmd: 'sign', state: 'assigned', wrong: ['otherContact', 'owner', 'leader'], rule: '签收由承办单位的联络员或负责人办理' },
    { cmd: 'reports', state: 'in_progress', body: { content: '越权反馈' }, wrong: ['coContact', 'otherContact', 'owner'], rule: '只有主办单位可以反馈' },
    { cmd: 'return', state: 'reported', body: { reason: '不合要求' }, wrong: ['leadContact', 'leader', 'supervisor'], rule: '退回由本事项的立项主体办理' },
    {
      cmd: 'extension-requests',
      state: 'in_progress',
      body: { newDeadline: '2026-03-20T18:00:00+08:00', reason: '理由', plan: '方案' },
      wrong: ['coContact', 'otherContact', 'owner'],
      rule: '延期由主办单位申请',
    },
    { cmd: 'closure-request', state: 'reported', body: { summary: '办结' }, wrong: ['coContact', 'otherContact', 'owner'], rule: '办结由主办单位申请' },
    { cmd: 'review', state: 'closure_requested', wrong: ['leadContact', 'leader', 'supervisor'], rule: '办结审核由本事项的立项主体办理' },
    {
      cmd: 'rate',
      state: 'under_review',
      body: { rating: 'excellent' },
      wrong: ['leadContact', 'coContact', 'leader', 'supervisor'],
      rule: '办理结果由本事项的立项主体评定',
    },
    { cmd: 'sign-off', state: 'pending_approval', wrong: ['owner', 'supervisor', 'leadContact', 'otherLeader'], rule: '审定由本事项的分管领导办理' },
    { cmd: 'archive', state: 'closed', wrong: ['leadContact', 'leader'], rule: '归档由督查室或立项主体办理' },
  ];

  it.each(cases)(
    '$cmd by $wrong is refused with 403 saying why (「$rule」) with the item number and no rule id, and nothing is written',
    async ({ cmd, state, body, wrong, rule }) => {
      const { n } = await itemAt(state);
      const item = await t.db.getRepository(Item).findOneByOrFail({ number: n });
      const events = await t.db.getRepository(ItemEvent).countBy({ itemId: item.id });
      const messages = await t.db.getRepository(OutboxMessage).countBy({ itemId: item.id });
      for (const who of wrong) {
        const r = await post(`/api/items/${n}/${cmd}`, org[who] as Someone, body).expect(403);
        expect(r.body.code).toBe('CASE.FORBIDDEN');
        expect(r.body.message).toContain(rule);
        expect(r.body.message).toContain(n);
        expect(r.body.message).not.toMatch(/[A-Z]\d+[：:]/);
      }
      const after = await t.db.getRepository(Item).findOneByOrFail({ number: n });
      expect(after.state).toBe(item.state);
      expect(after.version).toBe(item.version);
      expect(await t.db.getRepository(ItemEvent).countBy({ itemId: item.id })).toBe(events);
      expect(await t.db.getRepository(OutboxMessage).countBy({ itemId: item.id })).toBe(messages);
    },
  );

  it('extension decisions: only the owner approves or refuses (E1)', async () => {
    const { n, requestId } = await itemAt('extension');
    for (const who of ['leadContact', 'leader', 'supervisor'] as const) {
      await post(`/api/items/${n}/extension-requests/${requestId}/approve`, org[who]).expect(403);
      await post(`/api/items/${n}/extension-requests/${requestId}/refuse`, org[who], { note: '不同意' }).expect(403);
    }
    await post(`/api/items/${n}/extension-requests/${requestId}/refuse`, org.owner, { note: '理由不充分' }).expect(200);
  });

  it('registering needs the supervisor or owner role (P2), and managing people the admin', async () => {
    const r = await post('/api/items', org.leadContact, {
      title: 'x',
      content: 'x',
      source: 'other',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
    }).expect(403);
    expect(r.body.message).toBe('立项由督查室或立项主体办理，您不能登记督办事项。');
    await post(`/api/people/${org.leadContact.id}/tokens`, org.owner).expect(403);
    await t
      .http()
      .put(`/api/people/${org.leadContact.id}/roles`)
      .set(bearer(org.supervisor))
      .send({ roles: [{ role: 'admin' }] })
      .expect(403);
  });
});
