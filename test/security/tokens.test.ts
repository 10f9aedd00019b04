import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 ("Security" in the README): an admin can see which tokens a person holds — never the token nor its hash —
 * and take them all away at once (someone leaves, a phone is lost); the person is then refused everywhere.
 */
describe('people’s tokens: listed and revoked by an admin', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  it('lists a person’s tokens with label and dates, without the token or its hash', async () => {
    const issued = await t.http().post(`/api/people/${org.leadContact.id}/tokens`).set(bearer(ADMIN_TOKEN)).send({ label: '手机' }).expect(201);
    const r = await t.http().get(`/api/people/${org.leadContact.id}/tokens`).set(bearer(ADMIN_TOKEN)).expect(200);
    expect(r.body.map((x: { label: string }) => x.label).sort()).toEqual(['test', '手机']);
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(issued.body.token);
    expect(text).not.toContain('tokenHash');
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    for (const row of r.body) expect(Object.keys(row).sort()).toEqual(['createdAt', 'id', 'label', 'revokedAt']);
  });

  it('revoking all of a person’s tokens shuts every one of them out, and says how many', async () => {
    const second = await t.http().post(`/api/people/${org.coContact.id}/tokens`).set(bearer(ADMIN_TOKEN)).send({ label: '电脑' }).expect(201);
    await t.http().get('/api/items').set(bearer(org.coContact)).expect(200);
    const r = await t.http().post(`/api/people/${org.coContact.id}/tokens/revoke`).set(bearer(ADMIN_TOKEN)).send({}).expect(200);
    expect(r.body).toEqual({ revoked: 2 });
    await t.http().get('/api/items').set(bearer(org.coContact)).expect(401);
    await t.http().get('/api/items').set(bearer(second.body.token)).expect(401);
    const list = await t.http().get(`/api/people/${org.coContact.id}/tokens`).set(bearer(ADMIN_TOKEN)).expect(200);
    expect(list.body.every((x: { revokedAt: string | null }) => x.revokedAt !== null)).toBe(true);
    // Others are untouched.
    await t.http().get('/api/items').set(bearer(org.leadContact)).expect(200);
  });

  it('a supervisor may do neither', async () => {
    await t.http().get(`/api/people/${org.leader.id}/tokens`).set(bearer(org.supervisor)).expect(403);
    await t.http().post(`/api/people/${org.leader.id}/tokens/revoke`).set(bearer(org.supervisor)).send({}).expect(403);
    await t.http().get('/api/items').set(bearer(org.leader)).expect(200);
  });

  it('an unknown person is a 404 in Chinese', async () => {
    const r = await t.http().get('/api/people/999999/tokens').set(bearer(ADMIN_TOKEN)).expect(404);
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
