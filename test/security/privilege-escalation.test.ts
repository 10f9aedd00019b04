import type { BotEvent } from '../../src/chat/bot-event';
import { BotRouter } from '../../src/chat/bot-router.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { PersonIdentity } from '../../src/org/person-identity.entity';
import { RoleGrant } from '../../src/org/role-grant.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 defect 1 (P2, P3): the 督查室 may keep the directory, but only an admin grants the privileged roles
 * (admin, supervisor, owner, leader) or changes who a privileged person is on a platform — over /api/people,
 * /api/people/{id}/identities and the import alike. The hostile tester's chain is replayed step by step.
 */
describe('a supervisor cannot make itself admin or take over a leader (defect 1)', () => {
  let t: TestApp;
  let org: Org;
  let n: string;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
    const item = await t.get(RegistrationService).register(
      {
        title: '越权测试事项',
        content: '内容',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        coUnitIds: [],
      },
      org.supervisor.actor,
    );
    n = item.number;
    const cmd = t.get(ItemCommandsService);
    await cmd.assign(n, org.owner.actor);
    await cmd.sign(n, org.leadContact.actor);
    await cmd.requestClosure(n, org.leadContact.actor, { summary: '已完成' });
    await cmd.startReview(n, org.owner.actor);
    await cmd.rate(n, org.owner.actor, 'excellent');
  });
  afterAll(() => t.close());

  const roles = async (personId: number) => (await t.db.getRepository(RoleGrant).findBy({ personId })).map((g) => g.role).sort();
  const identities = async (personId: number) =>
    (await t.db.getRepository(PersonIdentity).findBy({ personId })).map((i) => `${i.platform}:${i.corpId}:${i.externalUserId}`).sort();
  const chat = (userId: string, text: string): BotEvent => ({
    platform: 'dingtalk',
    corpId: 'ding-corp',
    userId,
    conversation: { type: 'group', id: 'cidLEAD' },
    eventId: `esc:${++seq}`,
    text,
  });

  it('P2: the supervisor importing its own row as 管理员 is refused with 403 in Chinese, and its token stays a supervisor', async () => {
    const before = await roles(org.supervisor.id);
    const r = await t
      .http()
      .post('/api/import')
      .set(bearer(org.supervisor))
      .send({ people: [{ name: org.supervisor.name, roles: '督查员、管理员', dingtalkUserId: 'dt-1' }] })
      .expect(403);
    expect(r.body.code).toBe('IMPORT.PRIVILEGED');
    expect(r.body.message).toContain('管理员');
    expect(r.body.message).not.toMatch(/[A-Z]\d|admin|roles/);
    expect(await roles(org.supervisor.id)).toEqual(before);
    // The admin-only routes the tester reached next: still refused.
    await t.http().post(`/api/people/${org.leader.id}/tokens`).set(bearer(org.supervisor)).send({}).expect(403);
    await t
      .http()
      .put(`/api/people/${org.supervisor.id}/roles`)
      .set(bearer(org.supervisor))
      .send({ roles: [{ role: 'admin' }] })
      .expect(403);
    expect(await roles(org.supervisor.id)).toEqual(before);
  });

  it('P2: an import matching a leader by platform id may not change the leader, nor give anyone a privileged role', async () => {
    const attempts = [
      { name: '赵副市长', roles: '领导', dingtalkUserId: 'dt-3', wecomUserId: 'wx-evil' }, // rebinding: a new WeCom id for the leader
      { name: '赵副市长', roles: '联络员', unitCode: 'FGW', dingtalkUserId: 'dt-3' }, // changing the leader's roles
      { name: '新领导', roles: '领导', dingtalkUserId: 'dt-new-leader' }, // a new leader
      { name: '陈联络', roles: '联络员、立项主体', unitCode: 'FGW', dingtalkUserId: 'dt-5' }, // promoting a contact
    ];
    for (const person of attempts) {
      const r = await t
        .http()
        .post('/api/import')
        .set(bearer(org.supervisor))
        .send({ people: [person] })
        .expect(403);
      expect(r.body.message).toContain('请联系管理员');
    }
    expect(await roles(org.leader.id)).toEqual(['leader']);
    expect(await identities(org.leader.id)).toEqual(['dingtalk::dt-3', 'wecom::wx-3']);
    expect(await roles(org.leadContact.id)).toEqual(['unit_contact']);
  });

  it('the supervisor may still import units, groups and unit contacts, and leave an unchanged leader row as it is', async () => {
    const r = await t
      .http()
      .post('/api/import')
      .set(bearer(org.supervisor))
      .send({
        units: [{ code: 'GAJ', name: '市公安局' }],
        people: [
          { name: '周联络', roles: '联络员', unitCode: 'GAJ', dingtalkUserId: 'dt-zhou' },
          { name: '赵副市长', roles: '领导', dingtalkUserId: 'dt-3', wecomUserId: 'wx-3' },
        ],
        groups: [{ platform: '钉钉', externalId: 'cidGAJ', name: '公安局督办群', unitCode: 'GAJ', purpose: '单位群' }],
      })
      .expect(200);
    expect(r.body.people).toEqual({ created: 1, updated: 1 });
  });

  it('P2: POST /api/people by a supervisor with leader or admin roles is refused; with a unit role it is allowed', async () => {
    const r = await t
      .http()
      .post('/api/people')
      .set(bearer(org.supervisor))
      .send({ name: '假领导', roles: [{ role: 'leader' }, { role: 'admin' }], identities: [{ platform: 'dingtalk', externalUserId: 'dt-fake' }] })
      .expect(403);
    expect(r.body.message).toContain('请联系管理员');
    expect(await t.db.getRepository(PersonIdentity).countBy({ externalUserId: 'dt-fake' })).toBe(0);
    await t
      .http()
      .post('/api/people')
      .set(bearer(org.supervisor))
      .send({ name: '新联络员', roles: [{ role: 'unit_contact', unitId: org.units.lead }] })
      .expect(201);
    // The admin may grant anything.
    await t
      .http()
      .post('/api/people')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: '真领导', roles: [{ role: 'leader' }] })
      .expect(201);
  });

  it('P3: binding a chat account to the leader by a supervisor is refused, so the account cannot 审定 in chat', async () => {
    const r = await t
      .http()
      .post(`/api/people/${org.leader.id}/identities`)
      .set(bearer(org.supervisor))
      .send({ identities: [{ platform: 'dingtalk', externalUserId: 'dt-evil' }] })
      .expect(403);
    expect(r.body.message).toContain('请联系管理员');
    expect(await identities(org.leader.id)).toEqual(['dingtalk::dt-3', 'wecom::wx-3']);
    const router = t.get(BotRouter);
    const answer = await router.handle(chat('dt-evil', `/审定 ${n}`));
    expect(answer.reply).toContain('还没有登记');
    expect((await router.handle(chat('dt-1', `/审定 ${n}`))).reply).not.toContain('已审定');
    expect(await router.handle(chat('dt-evil', '/通报审定 TB2026-0001'))).toMatchObject({ reply: expect.stringContaining('还没有登记') });
    expect((await t.db.getRepository(Item).findOneByOrFail({ number: n })).state).toBe('pending_approval');
  });

  it('P3: a supervisor cannot add accounts to itself either, but may bind a unit contact', async () => {
    await t
      .http()
      .post(`/api/people/${org.supervisor.id}/identities`)
      .set(bearer(org.supervisor))
      .send({ identities: [{ platform: 'wecom', externalUserId: 'wx-extra' }] })
      .expect(403);
    await t
      .http()
      .post(`/api/people/${org.leadContact.id}/identities`)
      .set(bearer(org.supervisor))
      .send({ identities: [{ platform: 'wecom', externalUserId: 'wx-chen-2' }] })
      .expect(201);
  });

  it('P3: an account bound without a corp id cannot be shadowed by the same user id bound to someone else under a corp id', async () => {
    // The leader is bound as dingtalk dt-3 for any corp; a corp-specific dt-3 on another person would win in chat.
    const r = await t
      .http()
      .post('/api/people')
      .set(bearer(org.supervisor))
      .send({
        name: '影子联络员',
        roles: [{ role: 'unit_contact', unitId: org.units.lead }],
        identities: [{ platform: 'dingtalk', externalUserId: 'dt-3', corpId: 'ding-corp' }],
      })
      .expect(409);
    expect(r.body.code).toBe('ORG.IDENTITY_TAKEN');
    const answer = await t.get(BotRouter).handle(chat('dt-3', `/审定 ${n}`));
    expect(answer.reply).toContain('已审定');
  });
});
