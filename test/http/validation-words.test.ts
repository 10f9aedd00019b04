import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 14: a 400 names every field by its Chinese name and lists an enum's choices by their Chinese labels
 * (「来源」须为以下之一：会议议定事项、领导批示…) — no English field names or codes in what a person reads; the codes
 * stay in `problems[].allowed` for programs.
 */
describe('400 messages in the words of the domain (issue 14)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-03-02T01:00:00Z') });
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const post = (path: string, who: { token: string }, body: object = {}) => t.http().post(path).set(bearer(who.token)).send(body);
  /** Words of 3+ Latin letters: a field name or a code leaking into the message. */
  const LATIN_WORD = /[A-Za-z_]{3,}/;

  it('registration: missing title, unknown source, board and time node — every field and choice in Chinese', async () => {
    const r = await post('/api/items', org.owner, {
      content: '内容',
      source: 'nowhere',
      board: 'weekly',
      deadlineNode: '2w',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
    }).expect(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.message).toContain('「标题」不能为空');
    expect(r.body.message).toContain(
      '「来源」须为以下之一：会议议定事项、领导批示、政府工作报告重点工作、重大改革事项、十件实事、人大建议、政协提案、市长热线、上级交办、其他',
    );
    expect(r.body.message).toContain('「板块」须为以下之一：日常管理、重点工作、重大改革、持续跟进');
    expect(r.body.message).toContain('「时间节点」须为以下之一：1天、3天、7天、1个月');
    expect(r.body.message).not.toMatch(LATIN_WORD);
    // Programs still get the field and the codes.
    expect(r.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'source', allowed: expect.arrayContaining(['meeting', 'instruction', 'other']) }),
        expect.objectContaining({ field: 'board', allowed: ['daily', 'key_task', 'reform', 'ongoing'] }),
      ]),
    );
  });

  it('a nested field is named by its place: 「子事项第 1 项的单位」', async () => {
    const reg = await post('/api/items', org.owner, {
      title: '分解测试',
      content: '内容',
      source: 'meeting',
      leaderId: org.leader.id,
      leadUnitId: org.units.lead,
    }).expect(201);
    const r = await post(`/api/items/${reg.body.number}/decompose`, org.owner, { children: [{ title: '子项', unitId: 'x' }] });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('「子事项第 1 项的单位」须为整数');
    expect(r.body.message).not.toMatch(LATIN_WORD);
  });

  it('rating and role choices by their Chinese names', async () => {
    const rate = await post('/api/items/DB2026-0001/rate', org.owner, { rating: 'great' }).expect(400);
    expect(rate.body.message).toBe('输入有误：「评定等次」须为以下之一：优秀、良好、合格、不合格。');
    const roles = await t
      .http()
      .put(`/api/people/${org.leadContact.id}/roles`)
      .set(bearer(ADMIN_TOKEN))
      .send({ roles: [{ role: 'boss' }] })
      .expect(400);
    expect(roles.body.message).toContain('「角色第 1 项的角色」须为以下之一：督查员、立项主体、领导、联络员、负责人、管理员');
    expect(roles.body.message).not.toMatch(LATIN_WORD);
  });
});
