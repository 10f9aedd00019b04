import { IdentityService } from '../../src/chat/identity.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { unitTargets } from '../../src/org/message-targets';
import { OrgService } from '../../src/org/org.service';
import { TokenService } from '../../src/auth/token.service';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15: the 组织 page changes and retires what it holds — units renamed and retired (not while they handle open
 * items), people moved and retired (signed out everywhere, sent nothing, offered in no picker, history kept), a chat
 * account bound by mistake removed, groups changed and removed — with the creating rules (grant.rules: a privileged
 * person is for the admin), each change on the directory's change record; and people found a page at a time.
 */
describe('changing and retiring the directory (P1–P3)', () => {
  let t: TestApp;
  let org: Org;
  let item: string;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
    item = (
      await t.get(RegistrationService).register(
        {
          title: '推进政务服务一网通办',
          content: '按会议纪要落实',
          source: 'meeting',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          coUnitIds: [org.units.co],
          deadline: { workingDays: 10 },
        },
        org.supervisor.actor,
      )
    ).number;
  });
  afterAll(() => t.close());

  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const sup = () => bearer(org.supervisor);
  const person = async (name: string, unitId: number, extra: object = {}) =>
    (
      await t
        .http()
        .post('/api/people')
        .set(admin)
        .send({ name, unitId, roles: [{ role: 'unit_contact', unitId }], ...extra })
        .expect(201)
    ).body as {
      id: number;
      identities: { id: number; platform: string; externalUserId: string }[];
    };

  it('P1: PUT /api/units/:id renames a unit and changes its code; a name another unit has is refused next to the field; both on the change record', async () => {
    const u = (await t.http().post('/api/units').set(sup()).send({ code: 'GAJ', name: '市公安局' }).expect(201)).body as { id: number };
    const r = await t.http().put(`/api/units/${u.id}`).set(sup()).send({ name: '市公安局交警支队', code: 'gaj2' }).expect(200);
    expect(r.body).toMatchObject({ id: u.id, name: '市公安局交警支队', code: 'GAJ2', active: true });
    const taken = await t.http().put(`/api/units/${u.id}`).set(sup()).send({ name: '市财政局' }).expect(409);
    expect(taken.body).toMatchObject({ code: 'ORG.UNIT_NAME_TAKEN', field: 'name' });
    expect(taken.body.message).toContain('请换一个名称');
    await t.http().put(`/api/units/${u.id}`).set(bearer(org.leadContact)).send({ name: '改名' }).expect(403);
    await t.http().put('/api/units/999999').set(sup()).send({ name: '没有' }).expect(404);
    const changes = (await t.http().get(`/api/units/${u.id}/changes`).set(sup()).expect(200)).body as { summary: string; byName: string }[];
    expect(changes).toHaveLength(1);
    expect(changes[0].byName).toBe('王督查');
    expect(changes[0].summary).toContain('名称由「市公安局」改为「市公安局交警支队」');
    expect(changes[0].summary).toContain('编码由 GAJ 改为 GAJ2');
  });

  it('P1: a unit that still handles an open item is not retired — the refusal names the item and says to 调整承办 first; an idle unit is retired, given no new item, and brought back', async () => {
    const refused = await t.http().post(`/api/units/${org.units.co}/deactivate`).set(sup()).expect(409);
    expect(refused.body.code).toBe('ORG.UNIT_HAS_OPEN_ITEMS');
    expect(refused.body.message).toContain(item);
    expect(refused.body.message).toContain('调整承办');
    expect((await t.http().get('/api/units').set(sup()).expect(200)).body.find((u: { id: number }) => u.id === org.units.co).active).toBe(true);

    const idle = (await t.http().post('/api/units').set(sup()).send({ code: 'WJW', name: '市卫健委' }).expect(201)).body as { id: number };
    await t.http().post(`/api/units/${idle.id}/deactivate`).set(bearer(org.otherContact)).expect(403);
    const retired = await t.http().post(`/api/units/${idle.id}/deactivate`).set(sup()).expect(200);
    expect(retired.body).toMatchObject({ id: idle.id, active: false });
    // Still listed (its history names it), but given no new item.
    expect((await t.http().get('/api/units').set(sup()).expect(200)).body.find((u: { id: number }) => u.id === idle.id).active).toBe(false);
    const reg = await t
      .http()
      .post('/api/items')
      .set(sup())
      .send({ title: '新事项', content: '内容', source: 'meeting', ownerId: org.owner.id, leaderId: org.leader.id, leadUnitId: idle.id, workingDays: 10 })
      .expect(400);
    expect(reg.body).toMatchObject({ code: 'CASE.UNIT_RETIRED', field: 'leadUnitId' });
    expect(reg.body.message).toContain('市卫健委');
    // A person is not moved into a retired unit.
    const p = await person('郑联络', org.units.other);
    const move = await t.http().put(`/api/people/${p.id}`).set(sup()).send({ unitId: idle.id }).expect(400);
    expect(move.body).toMatchObject({ code: 'ORG.UNIT_RETIRED', field: 'unitId' });
    await t.http().post(`/api/units/${idle.id}/reactivate`).set(sup()).expect(200);
    const changes = (await t.http().get(`/api/units/${idle.id}/changes`).set(sup()).expect(200)).body as { action: string }[];
    expect(changes.map((c) => c.action)).toEqual(['unit_reactivated', 'unit_retired']);
  });

  it('P2: PUT /api/people/:id moves a contact to another unit (the contact role follows), fixes the name and mobile; a bad mobile is refused next to its field', async () => {
    const p = await person('冯联络', org.units.other, { mobile: '13800000001' });
    const r = await t.http().put(`/api/people/${p.id}`).set(sup()).send({ name: '冯联络员', mobile: '13800000002', unitId: org.units.co }).expect(200);
    expect(r.body).toMatchObject({ name: '冯联络员', mobile: '13800000002', unitId: org.units.co, roles: [{ role: 'unit_contact', unitId: org.units.co }] });
    const bad = await t.http().put(`/api/people/${p.id}`).set(sup()).send({ mobile: '12345' }).expect(400);
    expect(bad.body.problems?.[0]?.field ?? bad.body.field).toBe('mobile');
    await t.http().put(`/api/people/${p.id}`).set(sup()).send({ mobile: null }).expect(200);
    const changes = (await t.http().get(`/api/people/${p.id}/changes`).set(sup()).expect(200)).body as { summary: string }[];
    expect(changes[1].summary).toContain('所在单位由市教育局调整为市财政局');
    expect(changes[0].summary).toContain('删除手机号');
  });

  it('grant rules: the 督查室 may not change, retire or unbind a leader — an admin may', async () => {
    const edit = await t.http().put(`/api/people/${org.otherLeader.id}`).set(sup()).send({ name: '钱市长' }).expect(403);
    expect(edit.body.code).toBe('ORG.PRIVILEGED_PERSON');
    expect(edit.body.message).toContain('请联系管理员');
    await t.http().post(`/api/people/${org.otherLeader.id}/deactivate`).set(sup()).expect(403);
    const leader = (await t.http().get(`/api/people/${org.otherLeader.id}`).set(admin).expect(200)).body as { identities: { id: number }[] };
    await t.http().delete(`/api/people/${org.otherLeader.id}/identities/${leader.identities[0].id}`).set(sup()).expect(403);
    await t.http().put(`/api/people/${org.otherLeader.id}`).set(admin).send({ name: '钱副市长' }).expect(200);
  });

  it('P2: the owner or leader of an open item is not retired (the refusal names the item); nor is anyone retiring themselves', async () => {
    const r = await t.http().post(`/api/people/${org.leader.id}/deactivate`).set(admin).expect(409);
    expect(r.body.code).toBe('ORG.PERSON_HAS_OPEN_ITEMS');
    expect(r.body.message).toContain(item);
    expect(r.body.message).toContain('另选立项主体或分管领导');
    const self = await t.http().post(`/api/people/${org.supervisor.id}/deactivate`).set(sup()).expect(403);
    expect(self.body.code).toBe('ORG.SELF_RETIRE');
  });

  it('P2, P3: a retired contact is signed out everywhere, unknown to the bot, sent nothing, offered in no picker — and comes back without the old tokens', async () => {
    const p = await person('褚联络', org.units.other, { identities: [{ platform: 'dingtalk', externalUserId: 'dt-chu' }] });
    const { token } = await t.get(TokenService).issue(p.id, 'test');
    const cookie = ([] as string[]).concat((await t.http().post('/api/session').send({ token }).expect(200)).headers['set-cookie'])[0].split(';')[0];
    await t.http().get('/api/session').set('Cookie', cookie).expect(200);
    const before = await unitTargets(t.db.manager, [org.units.other]); // 市教育局 has no group: its contacts one to one
    expect(before.map((x) => x.target)).toContain(`person:${p.id}`);

    const r = await t.http().post(`/api/people/${p.id}/deactivate`).set(sup()).expect(200);
    expect(r.body.active).toBe(false);
    await t.http().get('/api/units').set(bearer(token)).expect(401);
    await t.http().get('/api/session').set('Cookie', cookie).expect(401);
    expect(await t.get(IdentityService).resolve({ platform: 'dingtalk', corpId: '', userId: 'dt-chu' })).toBeNull();
    expect((await unitTargets(t.db.manager, [org.units.other])).map((x) => x.target)).not.toContain(`person:${p.id}`);
    const names = async (q: string) => ((await t.http().get(`/api/people${q}`).set(sup()).expect(200)).body as { name: string }[]).map((x) => x.name);
    expect(await names('')).not.toContain('褚联络');
    expect(await names('?status=retired')).toEqual(['褚联络']);
    expect(await names('?status=all&q=褚')).toEqual(['褚联络']);
    // History stays: the person is still there to be read.
    expect((await t.http().get(`/api/people/${p.id}`).set(sup()).expect(200)).body.name).toBe('褚联络');

    await t.http().post(`/api/people/${p.id}/reactivate`).set(sup()).expect(200);
    await t.http().get('/api/units').set(bearer(token)).expect(401);
    expect(await t.get(IdentityService).resolve({ platform: 'dingtalk', corpId: '', userId: 'dt-chu' })).not.toBeNull();
    const changes = (await t.http().get(`/api/people/${p.id}/changes`).set(sup()).expect(200)).body as { action: string; summary: string }[];
    expect(changes.map((c) => c.action)).toEqual(['person_reactivated', 'person_retired']);
    expect(changes[1].summary).toContain('个人令牌失效');
  });

  it('P3: DELETE /api/people/:id/identities/:identityId removes an account bound by mistake — its clicks are no longer that person’s', async () => {
    const p = await person('卫联络', org.units.other, { identities: [{ platform: 'wecom', externalUserId: 'wx-wrong' }] });
    expect(await t.get(IdentityService).resolve({ platform: 'wecom', corpId: 'corp', userId: 'wx-wrong' })).not.toBeNull();
    const r = await t.http().delete(`/api/people/${p.id}/identities/${p.identities[0].id}`).set(sup()).expect(200);
    expect(r.body.identities).toEqual([]);
    expect(await t.get(IdentityService).resolve({ platform: 'wecom', corpId: 'corp', userId: 'wx-wrong' })).toBeNull();
    const again = await t.http().delete(`/api/people/${p.id}/identities/${p.identities[0].id}`).set(sup()).expect(404);
    expect(again.body.message).toContain('刷新');
    // The account is free again for the right person.
    await t
      .http()
      .post(`/api/people/${org.otherContact.id}/identities`)
      .set(sup())
      .send({ identities: [{ platform: 'wecom', externalUserId: 'wx-wrong' }] })
      .expect(201);
    const changes = (await t.http().get(`/api/people/${p.id}/changes`).set(sup()).expect(200)).body as { summary: string }[];
    expect(changes[0].summary).toContain('解除绑定企业微信账号 wx-wrong');
  });

  it('P1: PUT /api/groups/:id changes a group; a unit group without a unit is refused next to the field; DELETE removes it and the unit is reached one to one', async () => {
    const g = (
      await t
        .http()
        .post('/api/groups')
        .set(sup())
        .send({
          platform: 'dingtalk',
          externalId: 'cidJYJ',
          name: '教育局群',
          unitId: org.units.other,
          purpose: 'unit',
          webhookUrl: 'https://example.com/robot?access_token=x',
        })
        .expect(201)
    ).body as { id: number };
    expect((await unitTargets(t.db.manager, [org.units.other])).map((x) => x.target)).toEqual([`group:${g.id}`]);
    const r = await t.http().put(`/api/groups/${g.id}`).set(sup()).send({ name: '教育局督办群', webhookUrl: null }).expect(200);
    expect(r.body).toMatchObject({ id: g.id, name: '教育局督办群', hasWebhook: false, unitId: org.units.other, purpose: 'unit' });
    expect(r.body).not.toHaveProperty('webhookSecret');
    const bad = await t.http().put(`/api/groups/${g.id}`).set(sup()).send({ unitId: null }).expect(400);
    expect(bad.body).toMatchObject({ code: 'ORG.UNIT_REQUIRED', field: 'unitId' });
    await t.http().put(`/api/groups/${g.id}`).set(bearer(org.leadContact)).send({ name: 'x' }).expect(403);
    await t.http().delete(`/api/groups/${g.id}`).set(bearer(org.leadContact)).expect(403);
    const removed = await t.http().delete(`/api/groups/${g.id}`).set(sup()).expect(200);
    expect(removed.body).toEqual({ removed: true, unitLeftWithoutGroup: true });
    await t.http().delete(`/api/groups/${g.id}`).set(sup()).expect(404);
    expect((await unitTargets(t.db.manager, [org.units.other])).map((x) => x.target)).toContain(`person:${org.otherContact.id}`);
    const changes = (await t.http().get(`/api/groups/${g.id}/changes`).set(sup()).expect(200)).body as { summary: string }[];
    expect(changes[0].summary).toContain('已没有单位群');
    expect(changes[1].summary).toContain('删除机器人 Webhook 地址');
  });

  it('GET /api/people pages on the server: page and pageSize with the total, together with q and unitId; a bad status or page size is refused in Chinese', async () => {
    const orgService = t.get(OrgService);
    const unit = (await t.http().post('/api/units').set(sup()).send({ code: 'ZJJ', name: '市住建局' }).expect(201)).body.id as number;
    for (let i = 1; i <= 25; i++) await orgService.createPerson({ name: `住建联络${String(i).padStart(2, '0')}`, unitId: unit });
    const page = async (q: string) =>
      (await t.http().get(`/api/people?${q}`).set(sup()).expect(200)).body as { total: number; page: number; pageSize: number; items: { name: string }[] };
    const p2 = await page(`unitId=${unit}&page=2&pageSize=10`);
    expect(p2).toMatchObject({ total: 25, page: 2, pageSize: 10 });
    expect(p2.items.map((x) => x.name)).toEqual(Array.from({ length: 10 }, (_, i) => `住建联络${i + 11}`));
    const q = await page(`q=${encodeURIComponent('联络2')}&unitId=${unit}&page=1`);
    expect(q.total).toBe(6); // 20–25
    expect(q.pageSize).toBe(20);
    const bad = await t.http().get('/api/people?status=gone').set(sup()).expect(400);
    expect(bad.body.message).toContain('状态');
    const size = await t.http().get('/api/people?pageSize=0').set(sup()).expect(400);
    expect(size.body.message).toContain('每页条数');
  });
});
