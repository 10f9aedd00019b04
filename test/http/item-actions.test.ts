import { bearer, Org, seedOrg, Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15: GET /api/items/{number}/actions — what each person may press on an item now (P2–P4, C5, E1), on real
 * MariaDB. Each step of the item's life is then taken through the endpoint the console calls for the offered button,
 * so what is offered is what the API accepts.
 */
describe('the actions a person may take on an item now (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  let n: string;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') }); // Monday 09:00 in Shanghai
    org = await seedOrg(t);
    const reg = await t
      .http()
      .post('/api/items')
      .set(bearer(org.supervisor))
      .send({
        title: '推进老旧小区改造',
        content: '年内开工30个小区。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        coUnitIds: [org.units.co],
        deadlineNode: '7d',
      })
      .expect(201);
    n = reg.body.number;
  });
  afterAll(() => t.close());

  const actionsOf = async (who: Someone) => {
    const r = await t.http().get(`/api/items/${n}/actions`).set(bearer(who)).expect(200);
    return r.body as { actions: { action: string; label: string; form?: Record<string, unknown> }[]; unavailable: { action: string; message: string }[] };
  };
  const keys = async (who: Someone) => (await actionsOf(who)).actions.map((a) => a.action);
  const post = (path: string, who: Someone, body: object = {}) => t.http().post(`/api/items/${n}/${path}`).set(bearer(who)).send(body);

  it('a person of another unit gets the 404 of a number that does not exist', async () => {
    const r = await t.http().get(`/api/items/${n}/actions`).set(bearer(org.otherContact)).expect(404);
    expect(r.body.message).toContain('没有编号为');
    await t.http().get(`/api/items/${n}/actions`).expect(401);
  });

  it('registered: the 督查室 and the owner may 交办 or 分解立项; the units and the leader have nothing to press yet', async () => {
    expect(await keys(org.supervisor)).toEqual(['assign', 'decompose', 'key_supervision', 'reassign']);
    expect(await keys(org.owner)).toEqual(['assign', 'decompose']);
    expect(await keys(org.leader)).toEqual([]);
    expect(await keys(org.leadContact)).toEqual([]);
    const why = (await actionsOf(org.leadContact)).unavailable.find((u) => u.action === 'report')!.message;
    expect(why).toContain('尚未交办');
    await post('assign', org.owner).expect(200);
  });

  it('assigned: each unit may 签收 once; the lead unit may ask for an extension, with the E1 cut-off in the form', async () => {
    expect(await keys(org.leadContact)).toEqual(['sign', 'request_extension']);
    expect(await keys(org.coContact)).toEqual(['sign']);
    expect(await keys(org.owner)).toEqual(['decompose', 'urge']);
    expect(await keys(org.leader)).toEqual([]);
    const ext = (await actionsOf(org.leadContact)).actions.find((a) => a.action === 'request_extension')!;
    expect(ext.form).toMatchObject({ currentDeadline: '2026-03-11T18:00:00+08:00', lastDay: '2026-03-09', minDaysBefore: 2 });
    await post('sign', org.coContact).expect(200);
    expect(await keys(org.coContact)).toEqual([]);
    await post('sign', org.leadContact).expect(200);
    expect(await keys(org.leadContact)).toEqual(['report', 'request_closure', 'request_extension']);
  });

  it('a pending extension: the unit may withdraw it, the owner decides it (the form names the request)', async () => {
    await post('extension-requests', org.leadContact, { newDeadline: '2026-03-20T18:00:00+08:00', reason: '需协调资金', plan: '本周内报送方案' }).expect(201);
    expect(await keys(org.leadContact)).toEqual(['report', 'request_closure', 'withdraw']);
    const owner = await actionsOf(org.owner);
    const decide = owner.actions.find((a) => a.action === 'decide_extension')!;
    const request = decide.form!.request as { id: number; proposedDeadline: string; reason: string };
    expect(request).toMatchObject({ proposedDeadline: '2026-03-20T18:00:00+08:00', reason: '需协调资金' });
    await post(`extension-requests/${request.id}/refuse`, org.owner, { note: '期限不能再延' }).expect(200);
    expect(await keys(org.owner)).toEqual(['urge']);
  });

  it('a report: the owner may return it; past the E1 cut-off the unit is no longer offered an extension and is told why', async () => {
    await post('reports', org.leadContact, { content: '已开工12个小区。' }).expect(201);
    expect(await keys(org.owner)).toEqual(['return', 'urge']);
    t.clock.advance(8 * 86_400_000); // Tuesday 10 March: past Monday 9 March, the last day to ask
    const unit = await actionsOf(org.leadContact);
    expect(unit.actions.map((a) => a.action)).toEqual(['report', 'request_closure']);
    expect(unit.unavailable.find((u) => u.action === 'request_extension')!.message).toContain('2026年3月9日（含当日）');
    // …and the API refuses it as well.
    await post('extension-requests', org.leadContact, { newDeadline: '2026-03-30T18:00:00+08:00', reason: '再延', plan: '方案' }).expect(409);
  });

  it('a closure request: the owner rates (four grades) or returns it, the unit may withdraw it; then the leader signs off', async () => {
    await post('closure-request', org.leadContact, { summary: '30个小区全部开工。' }).expect(200);
    expect(await keys(org.leadContact)).toEqual(['withdraw']);
    const owner = await actionsOf(org.owner);
    expect(owner.actions.map((a) => a.action)).toEqual(['rate', 'return']);
    expect((owner.actions[0].form!.grades as { label: string }[]).map((g) => g.label)).toEqual(['优秀', '良好', '合格', '不合格']);
    expect(await keys(org.leader)).toEqual([]);
    await post('rate', org.owner, { rating: 'good' }).expect(200);
    expect(await keys(org.owner)).toEqual([]);
    expect(await keys(org.leadContact)).toEqual([]);
    expect(await keys(org.leader)).toEqual(['sign_off', 'leader_return']);
    await post('sign-off', org.leader).expect(200);
    expect(await keys(org.leader)).toEqual([]);
    expect(await keys(org.supervisor)).toEqual(['archive']);
    expect(await keys(org.owner)).toEqual(['archive']);
    await post('archive', org.supervisor).expect(200);
    for (const who of [org.supervisor, org.owner, org.leader, org.leadContact, org.coContact]) expect(await keys(who)).toEqual([]);
  });
});
