import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const KEY = 'key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const WEBHOOK = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?${KEY}`;
const DING_WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789';

/**
 * Issue 11 defect 6: a group robot's webhook URL carries its credential (`key=`, `access_token=`); it is never sent back
 * over the API — to nobody, the admin included. Whether a group has one is shown instead.
 */
describe('secrets never leave the API (defect 6)', () => {
  let t: TestApp;
  let org: Org;
  const responses: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const leaks = (body: unknown) => {
    const s = JSON.stringify(body);
    responses.push(s);
    return [KEY, 'access_token=abcdef', 'SECsecret'].filter((x) => s.includes(x));
  };

  it('creating a group with a webhook answers without it', async () => {
    const r = await t
      .http()
      .post('/api/groups')
      .set(bearer(ADMIN_TOKEN))
      .send({ platform: 'wecom', externalId: 'wrBROADCAST', name: '通报群', purpose: 'broadcast', webhookUrl: WEBHOOK })
      .expect(201);
    expect(leaks(r.body)).toEqual([]);
    expect(r.body.hasWebhook).toBe(true);
    const d = await t
      .http()
      .post('/api/groups')
      .set(bearer(org.supervisor))
      .send({
        platform: 'dingtalk',
        externalId: 'cidBROADCAST',
        name: '钉钉通报群',
        purpose: 'broadcast',
        webhookUrl: DING_WEBHOOK,
        webhookSecret: 'SECsecret',
      })
      .expect(201);
    expect(leaks(d.body)).toEqual([]);
  });

  it('an import with webhooks answers without them', async () => {
    const r = await t
      .http()
      .post('/api/import')
      .set(bearer(org.supervisor))
      .send({ groups: [{ platform: '企业微信', externalId: 'wrIMPORTED', name: '导入的通报群', purpose: '通报群', webhookUrl: WEBHOOK }] })
      .expect(200);
    expect(leaks(r.body)).toEqual([]);
  });

  it.each(['otherContact', 'supervisor', 'leader', 'admin'] as const)(
    'GET /api/groups by %s shows whether a group has a webhook, never the URL',
    async (who) => {
      const r = await t
        .http()
        .get('/api/groups')
        .set(bearer(who === 'admin' ? ADMIN_TOKEN : org[who]))
        .expect(200);
      expect(leaks(r.body)).toEqual([]);
      const byId = new Map((r.body as { externalId: string; hasWebhook: boolean; webhookUrl?: unknown }[]).map((g) => [g.externalId, g]));
      expect(byId.get('wrBROADCAST')).toMatchObject({ hasWebhook: true });
      expect(byId.get('wrIMPORTED')).toMatchObject({ hasWebhook: true });
      expect(byId.get('cidLEAD')).toMatchObject({ hasWebhook: false });
      for (const g of byId.values()) expect(g).not.toHaveProperty('webhookUrl');
    },
  );

  it('people, a person, units and settings carry no secret either', async () => {
    for (const path of ['/api/people', `/api/people/${org.leader.id}`, '/api/units', '/api/settings', '/api/groups?platform=wecom']) {
      const r = await t.http().get(path).set(bearer(ADMIN_TOKEN)).expect(200);
      expect({ path, leaks: leaks(r.body) }).toEqual({ path, leaks: [] });
      expect(JSON.stringify(r.body)).not.toMatch(/tokenHash|webhookSecret|webhookUrl/);
    }
  });

  it('a dead letter whose error names a webhook address is listed with the credential masked', async () => {
    await t.db.getRepository(OutboxMessage).insert({
      dedupeKey: 'secrets:dead',
      kind: 'broadcast',
      target: 'group:1',
      platform: 'wecom',
      itemId: null,
      payload: {},
      status: 'dead',
      attempts: 3,
      dueAt: t.clock.now(),
      lastError: `企业微信网络错误：request to ${WEBHOOK} failed; ${DING_WEBHOOK}&sign=abc`,
    });
    const r = await t.http().get('/api/outbox/dead').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(leaks(r.body)).toEqual([]);
    expect(JSON.stringify(r.body)).toContain('qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
  });
});
