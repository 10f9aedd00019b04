import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { bearer, Org, seedOrg } from '../support/fixtures';

/**
 * C3 over HTTP on the real 2026 calendar: deadlines registered the day before 劳动节 end on a working day at 18:00, a
 * date on a holiday is moved and the answer says so, 专项督查 may not exceed one month unless the 督查室 records an
 * exception (in the 一事一卷), an item without a time limit is due at the year-end report, and the admin settings
 * accept what a node means.
 */
describe.each(['mariadb', 'sqlite'] as const)('C3 deadlines over HTTP on %s', (database) => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-04-30T02:00:00Z'), database }); // Thursday 10:00, the day before 劳动节
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const register = (who: { token: string }, body: object) =>
    t
      .http()
      .post('/api/items')
      .set(bearer(who.token))
      .send({
        title: '推进老旧小区改造',
        content: '按市政府常务会议纪要要求办理。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        ...body,
      });

  it('C3 (001 §13: 按照1天、3天、7天、1个月的时间节点): a 1d item registered 2026-04-30 10:00 is due 05-06 18:00, after 劳动节', async () => {
    const r = await register(org.supervisor, { deadlineNode: '1d' }).expect(201);
    expect([r.body.deadline, r.body.deadlineSpec, r.body.warnings]).toEqual(['2026-05-06T18:00:00+08:00', '1d', undefined]);
    const seven = await register(org.supervisor, { deadlineNode: '7d' }).expect(201);
    // 04-30 (registration, not counted) → 05-06, 05-07, 05-08, 调休 Sat 05-09, 05-11, 05-12, 05-13.
    expect(seven.body.deadline).toBe('2026-05-13T18:00:00+08:00');
  });

  it('C3: a date on a holiday moves to the next working day at 18:00, and the answer says so in Chinese', async () => {
    const r = await register(org.supervisor, { deadlineDate: '2026-05-01' }).expect(201);
    expect([r.body.deadline, r.body.deadlineSpec]).toEqual(['2026-05-06T18:00:00+08:00', 'date:2026-05-01']);
    expect(r.body.warnings).toEqual(['办理期限 2026年5月1日 为法定节假日，已顺延至5月6日 18:00。']);
    const tl = await t.http().get(`/api/items/${r.body.number}/timeline`).set(bearer(org.supervisor)).expect(200);
    expect(tl.body.events[0].data).toMatchObject({ deadlineSpec: 'date:2026-05-01', warnings: r.body.warnings });
  });

  it('C3 (000 §8.2: 承办时限一般要求10个工作日内反馈，个别特殊事项不得超过1个月): the ceiling, and the 督查室’s recorded exception', async () => {
    // The default for 专项督查: 10 working days — 05-06…05-09 (调休), 05-11…05-15, 05-18 is the 10th.
    const plain = await register(org.supervisor, { category: 'special' }).expect(201);
    expect([plain.body.deadline, plain.body.deadlineSpec]).toEqual(['2026-05-18T18:00:00+08:00', 'wd:10']);

    // Longer than a month: refused to the 立项主体 even with a reason — only the 督查室 records an exception.
    // One month from 04-30 is Saturday 05-30: the ceiling is Monday 06-01 18:00; 40 working days is 06-30.
    const byOwner = await register(org.owner, { category: 'special', workingDays: 40, deadlineReason: '涉及多部门会签' }).expect(400);
    expect(byOwner.body).toMatchObject({ code: 'DEADLINE.SPECIAL_CEILING' });
    expect(byOwner.body.message).toBe(
      '专项督查事项办理期限不得超过1个月（最迟 2026-06-01 18:00），本次期限为 2026-06-30 18:00。请缩短期限；确属特殊情况的，请报督查室登记例外。',
    );
    const noReason = await register(org.supervisor, { category: 'special', workingDays: 40 }).expect(400);
    expect(noReason.body.code).toBe('DEADLINE.SPECIAL_CEILING');

    const exception = await register(org.supervisor, { category: 'special', workingDays: 40, deadlineReason: '涉及多部门会签' }).expect(201);
    expect(exception.body.deadline).toBe('2026-06-30T18:00:00+08:00');
    const tl = await t.http().get(`/api/items/${exception.body.number}/timeline`).set(bearer(org.leader)).expect(200);
    expect(tl.body.events.map((e: { type: string; summary: string; actorName: string }) => [e.type, e.summary, e.actorName])).toEqual([
      ['registered', '立项：推进老旧小区改造', '王督查'],
      ['deadline_exception', '专项督查期限超过1个月（办理期限 2026-06-30 18:00），督查室登记例外，理由：涉及多部门会签', '王督查'],
    ]);

    // Other items keep the old rule: beyond a month with a reason is fine, for the 立项主体 too.
    await register(org.owner, { workingDays: 40, deadlineReason: '需省级部门批复' }).expect(201);
  });

  it('C3 (000 §12: 对未明确办理时限的…年终做出书面综合报告): an open_ended item is due at the year-end report and takes no deadline', async () => {
    const r = await register(org.supervisor, { kind: 'open_ended' }).expect(201);
    expect([r.body.deadline, r.body.deadlineSpec]).toEqual(['2026-12-31T18:00:00+08:00', 'open:2026']);
    const refused = await register(org.supervisor, { kind: 'open_ended', deadlineNode: '7d' }).expect(400);
    expect(refused.body).toMatchObject({ code: 'DEADLINE.BY_RULE', message: expect.stringContaining('年底前报送书面综合报告') });
  });

  it('C3: what a node means is a setting — the admin may make 3d three calendar days; nonsense is refused in Chinese', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const put = (value: object) => t.http().put('/api/settings/deadline').set(admin).send(value);
    const bad = await put({ nodes: { '3d': { n: 3, unit: 'hours' } } }).expect(400);
    expect(bad.body.message).toContain('「时间节点的长度」（nodes）中的「3d」须为');
    expect((await put({ extensionDaysUnit: 'weeks' }).expect(400)).body.message).toBe(
      '「延期提前天数的计法」（extensionDaysUnit）须为工作日（working_day）或自然日（calendar_day）。',
    );
    const ok = await put({ nodes: { '3d': { n: 3, unit: 'calendar_day' } } }).expect(200);
    expect(ok.body.value.nodes).toMatchObject({ '1d': { n: 1, unit: 'working_day' }, '3d': { n: 3, unit: 'calendar_day' }, '1m': { n: 1, unit: 'month' } });
    // 3 calendar days from 04-30: 05-03, in the holiday → 05-06 18:00 (3 working days would be 05-08).
    expect((await register(org.supervisor, { deadlineNode: '3d' }).expect(201)).body.deadline).toBe('2026-05-06T18:00:00+08:00');
    await put({}).expect(200);
  });
});
