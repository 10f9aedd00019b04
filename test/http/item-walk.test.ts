import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * End to end over HTTP on real MariaDB: one item from registration to archive, every step by the person the
 * rules name, checking the state, the 一事一卷 timeline and the outbox rows each step leaves.
 */
describe.each(['mariadb', 'sqlite'] as const)('an item from 立项 to 归档 over HTTP (C1–C6, F1, F2, E1, E2, D1–D3) on %s', (database) => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z'), database }); // Monday 09:00 in Shanghai
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const post = (path: string, who: { token: string }, body: object = {}) => t.http().post(path).set(bearer(who.token)).send(body);

  it('walks the whole life as the right people', async () => {
    // C1: the 督查室 registers, naming the owner and the leader; P4 would default the owner to the registrar.
    const reg = await post('/api/items', org.supervisor, {
      title: '推进老旧小区改造😀',
      content: '按市政府常务会议纪要要求，年内开工30个小区。',
      source: 'meeting',
      sourceRef: '纪要〔2026〕12号',
      ownerId: org.owner.id,
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      coUnitIds: [org.units.co],
      deadlineNode: '7d',
    }).expect(201);
    const n: string = reg.body.number;
    expect(n).toBe('DB2026-0001');
    expect(reg.body).toMatchObject({
      state: 'registered',
      stateLabel: '已立项',
      title: '推进老旧小区改造😀',
      deadline: '2026-03-11T18:00:00+08:00',
      light: 'green',
    });
    expect(reg.body.leadUnit).toMatchObject({ name: '市发展改革委', signedAt: null });
    expect(reg.body.coUnits.map((u: { name: string }) => u.name)).toEqual(['市财政局']);

    // 交办: the assignment card is queued for each unit's group, nothing is sent inside the request.
    await post(`/api/items/${n}/assign`, org.owner).expect(200);
    const cards = await t.db.getRepository(OutboxMessage).findBy({ kind: 'assignment_card' });
    expect(cards.map((c) => c.target).sort()).toEqual([`group:${org.groups.lead}`, `group:${org.groups.co}`].sort());
    expect(cards.every((c) => c.status === 'pending' && c.payload.itemNumber === n)).toBe(true);

    // 签收: the co-unit's signature alone keeps it assigned; the lead unit's moves it into progress.
    expect((await post(`/api/items/${n}/sign`, org.coContact).expect(200)).body.state).toBe('assigned');
    const signed = await post(`/api/items/${n}/sign`, org.leadContact).expect(200);
    expect(signed.body.state).toBe('in_progress');
    expect(signed.body.leadUnit.signedAt).toBe('2026-03-02T09:00:00+08:00');

    // F1 then F2: a report, returned by the owner with a reason; the unit reports again.
    t.clock.advance(3600_000);
    const rep = await post(`/api/items/${n}/reports`, org.leadContact, { content: '已完成初稿，正在征求意见。' }).expect(201);
    expect(rep.body.reports).toHaveLength(1);
    const ownerNotice = await t.db.getRepository(OutboxMessage).findBy({ kind: 'report_notice' });
    expect(ownerNotice.map((m) => m.target)).toEqual([`person:${org.owner.id}`]);
    const ret = await post(`/api/items/${n}/return`, org.owner, { reason: '未写明开工小区名单' }).expect(200);
    expect(ret.body).toMatchObject({ state: 'in_progress', returnCount: 1 });
    expect(ret.body.reports[0]).toMatchObject({ status: 'returned', returnReason: '未写明开工小区名单' });
    await post(`/api/items/${n}/reports`, org.leadContact, { content: '补充：开工小区名单见附件。' }).expect(201);

    // E1 + E2: an extension asked in time, approved by the owner; beyond the 7-day node it moves to 持续跟进.
    const ext = await post(`/api/items/${n}/extension-requests`, org.leadContact, {
      newDeadline: '2026-04-30T18:00:00+08:00',
      reason: '涉及征求居民意见',
      plan: '4月底前全部开工',
    }).expect(201);
    const requestId = ext.body.result.requestId;
    const approved = await post(`/api/items/${n}/extension-requests/${requestId}/approve`, org.owner, { note: '同意' }).expect(200);
    expect(approved.body).toMatchObject({ deadline: '2026-04-30T18:00:00+08:00', board: 'ongoing', boardLabel: '持续跟进' });

    // D1 → D2 → D3: closure asked, reviewed, rated 良好, signed off by the leader: closed and the number retired.
    await post(`/api/items/${n}/closure-request`, org.leadContact, { summary: '30个小区已全部开工。' }).expect(200);
    const review = await t.db.getRepository(OutboxMessage).findBy({ kind: 'review_card' });
    expect(review.map((m) => m.target)).toEqual([`person:${org.owner.id}`]);
    expect((await post(`/api/items/${n}/review`, org.owner).expect(200)).body.state).toBe('under_review');
    const rated = await post(`/api/items/${n}/rate`, org.owner, { rating: 'good', comment: '按期完成' }).expect(200);
    expect(rated.body).toMatchObject({ state: 'pending_approval', rating: 'good', ratingLabel: '良好' });
    const approvalCards = await t.db.getRepository(OutboxMessage).findBy({ kind: 'approval_card' });
    expect(approvalCards.map((m) => m.target)).toEqual([`person:${org.leader.id}`]);
    const closed = await post(`/api/items/${n}/sign-off`, org.leader).expect(200);
    expect(closed.body).toMatchObject({ state: 'closed', numberRetiredAt: '2026-03-02T10:00:00+08:00', light: 'done' });
    expect((await post(`/api/items/${n}/archive`, org.supervisor).expect(200)).body.state).toBe('archived');

    // C6: the timeline tells the whole story, in order, with who, channel and before → after.
    const tl = await t.http().get(`/api/items/${n}/timeline`).set(bearer(org.leader)).expect(200);
    expect(tl.body.events.map((e: { type: string }) => e.type)).toEqual([
      'registered',
      'assigned',
      'signed',
      'signed',
      'reported',
      'returned',
      'reported',
      'extension_requested',
      'extension_approved',
      'closure_requested',
      'review_started',
      'rated',
      'signed_off',
      'archived',
    ]);
    const signOff = tl.body.events[12];
    expect(signOff).toMatchObject({ actorName: '赵副市长', channel: 'api', fromState: 'pending_approval', toState: 'closed', at: '2026-03-02T10:00:00+08:00' });

    // The one-file 一事一卷 export carries the same events.
    const dossier = await t.http().get(`/api/items/${n}/dossier`).set(bearer(org.supervisor)).expect(200);
    expect(dossier.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(dossier.text).toContain(n);
    expect(dossier.text).toContain('未写明开工小区名单');
    expect(dossier.text).toContain('推进老旧小区改造😀');
  });

  it('C5: an illegal transition is 409 saying what the state means and what to do next; an unknown number 404; no token 401', async () => {
    const reg = await post('/api/items', org.owner, {
      title: '测试非法流转',
      content: '内容',
      source: 'other',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
    }).expect(201);
    const n = reg.body.number;
    const r = await post(`/api/items/${n}/closure-request`, org.leadContact, { summary: '办完了' }).expect(409);
    expect(r.body.code).toBe('CASE.ILLEGAL_TRANSITION');
    expect(r.body.message).toBe(`事项 ${n} 已立项，尚未交办，现在不能申请办结。交办后才能办理，请等待督查室交办。`);
    const missing = await post('/api/items/DB2026-9999/assign', org.owner).expect(404);
    expect(missing.body.code).toBe('CASE.NOT_FOUND');
    await t.http().post(`/api/items/${n}/assign`).expect(401);
    const bad = await t.http().post(`/api/items/${n}/assign`).set(bearer('not-a-token')).expect(401);
    expect(bad.body.message).toContain('令牌');
    // Numbers are typed on phones: case, full-width and a missing hyphen are forgiven.
    await t
      .http()
      .get(`/api/items/${n.toLowerCase().replace('-', '')}`)
      .set(bearer(org.owner))
      .expect(200);
    await t
      .http()
      .get(encodeURI('/api/items/ＤＢ２０２６－' + n.slice(-4)))
      .set(bearer(org.owner))
      .expect(200);
  });

  it('bad input is 400 with a code and a Chinese message naming the field, and writes nothing', async () => {
    const before = await t.http().get('/api/items').set(bearer(org.owner)).expect(200);
    const r = await post('/api/items', org.owner, {
      title: '',
      content: '内容',
      source: 'nowhere',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      extra: 1,
    }).expect(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.message).toContain('「标题」不能为空');
    expect(r.body.message).toContain('「来源」须为以下之一');
    expect(r.body.message).toContain('不认识的字段「extra」');
    const c2 = await post('/api/items', org.owner, {
      title: '机密★ 某项工作',
      content: '内容',
      source: 'other',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
    }).expect(400);
    expect(c2.body).toMatchObject({ code: 'CASE.CLASSIFIED', field: 'classified' });
    expect(c2.body.message).toBe('涉密事项不得录入本系统，请按保密规定线下办理。');
    const c3 = await post('/api/items', org.owner, {
      title: '远期事项',
      content: '内容',
      source: 'other',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      deadlineDate: '2026-06-30',
    }).expect(400);
    expect(c3.body).toMatchObject({ code: 'DEADLINE.REASON_REQUIRED', field: 'deadlineReason' });
    const both = await post('/api/items', org.owner, {
      title: '两种期限',
      content: '内容',
      source: 'other',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
      deadlineNode: '3d',
      workingDays: 5,
    }).expect(400);
    expect(both.body.code).toBe('DEADLINE.AMBIGUOUS');
    const after = await t.http().get('/api/items').set(bearer(org.owner)).expect(200);
    expect(after.body.total).toBe(before.body.total);
  });
});
