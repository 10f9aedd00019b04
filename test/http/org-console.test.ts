import { Workbook } from 'exceljs';
import { Person } from '../../src/org/person.entity';
import { RoleGrant } from '../../src/org/role-grant.entity';
import { Unit } from '../../src/org/unit.entity';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, the 组织 page's API: finding people by name, mobile or chat account; the 督查室 re-roling a unit contact
 * (grant rules: privileged roles stay with the admin); "检查，不导入" — the import's checks and counts, nothing written.
 */
describe('the directory as the console uses it', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  it('GET /api/people?q= finds people by part of the name, by mobile, and by DingTalk or WeCom account', async () => {
    const names = async (q: string) =>
      (
        (
          await t
            .http()
            .get(`/api/people?q=${encodeURIComponent(q)}`)
            .set(admin)
            .expect(200)
        ).body as { name: string }[]
      ).map((p) => p.name);
    expect(await names('联络')).toEqual(['陈联络', '吴联络', '孙联络']);
    expect(await names('dt-5')).toEqual(['陈联络']);
    expect(await names('wx-2')).toEqual(['李秘书长']);
    expect(await names('没有这个人')).toEqual([]);
    await t.http().post('/api/people').set(admin).send({ name: '周手机', mobile: '13912345678' }).expect(201);
    expect(await names('1234567')).toEqual(['周手机']);
    // With a role filter as well: both hold.
    expect(((await t.http().get('/api/people?role=unit_contact&q=dt-5').set(admin).expect(200)).body as { name: string }[]).map((p) => p.name)).toEqual([
      '陈联络',
    ]);
    expect(((await t.http().get('/api/people?role=leader&q=dt-5').set(admin).expect(200)).body as unknown[]).length).toBe(0);
  });

  it('PUT /api/people/:id/roles: the 督查室 re-roles a unit contact, but making itself admin is refused in Chinese', async () => {
    const r = await t
      .http()
      .put(`/api/people/${org.otherContact.id}/roles`)
      .set(bearer(org.supervisor))
      .send({ roles: [{ role: 'unit_head', unitId: org.units.other }] })
      .expect(200);
    expect(r.body.roles).toEqual([{ role: 'unit_head', unitId: org.units.other }]);
    const refused = await t
      .http()
      .put(`/api/people/${org.supervisor.id}/roles`)
      .set(bearer(org.supervisor))
      .send({ roles: [{ role: 'supervisor' }, { role: 'admin' }] })
      .expect(403);
    expect(refused.body.message).toBe('调整「督查员、管理员」角色只能由管理员办理，请联系管理员。');
    expect((await t.db.getRepository(RoleGrant).findBy({ personId: org.supervisor.id })).map((g) => g.role)).toEqual(['supervisor']);
    // Promoting a contact to leader: the same refusal.
    await t
      .http()
      .put(`/api/people/${org.otherContact.id}/roles`)
      .set(bearer(org.supervisor))
      .send({ roles: [{ role: 'leader' }] })
      .expect(403);
  });

  async function workbook(people: (string | undefined)[][]): Promise<Buffer> {
    const wb = new Workbook();
    wb.addWorksheet('单位').addRows([
      ['编码', '名称'],
      ['GAJ', '市公安局'],
    ]);
    wb.addWorksheet('人员').addRows([['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID'], ...people]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('POST /api/import?dryRun=true checks a file against the database and says what an import would do, writing nothing', async () => {
    const good = await workbook([['周公安', '13700000001', 'GAJ', '联络员', 'dt-zhou', '']]);
    const before = { units: await t.db.getRepository(Unit).count(), people: await t.db.getRepository(Person).count() };
    const checked = await t.http().post('/api/import?dryRun=true').set(bearer(org.supervisor)).attach('file', good, '通讯录.xlsx').expect(200);
    expect(checked.body).toEqual({
      dryRun: true,
      units: { created: 1, updated: 0 },
      people: { created: 1, updated: 0 },
      groups: { created: 0, updated: 0 },
    });
    expect({ units: await t.db.getRepository(Unit).count(), people: await t.db.getRepository(Person).count() }).toEqual(before);

    // A problem only the database knows (the two accounts belong to two different people) is found by the check too.
    const taken = await workbook([['冒名', '', 'GAJ', '联络员', 'dt-5', 'wx-6']]);
    const bad = await t.http().post('/api/import?dryRun=true').set(bearer(org.supervisor)).attach('file', taken, '通讯录.xlsx');
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ sheet: '人员', row: 2, field: '钉钉用户ID' })]);
    expect(bad.body.message).toContain('分别属于两位已有人员');

    const malformed = await workbook([['周公安', '1370000', 'NOPE', '联络员', 'dt-zhou', '']]);
    const rows = await t.http().post('/api/import?dryRun=true').set(bearer(org.supervisor)).attach('file', malformed, '通讯录.xlsx').expect(400);
    expect(rows.body.problems).toEqual([
      expect.objectContaining({ sheet: '人员', row: 2, field: '手机' }),
      expect.objectContaining({ sheet: '人员', row: 2, field: '单位编码' }),
    ]);

    await t.http().post('/api/import?dryRun=maybe').set(bearer(org.supervisor)).attach('file', good, '通讯录.xlsx').expect(400);
    // Without the flag, the same file imports.
    const done = await t.http().post('/api/import').set(bearer(org.supervisor)).attach('file', good, '通讯录.xlsx').expect(200);
    expect(done.body.dryRun).toBeUndefined();
    expect(done.body.people).toEqual({ created: 1, updated: 0 });
    expect(await t.db.getRepository(Person).countBy({ name: '周公安' })).toBe(1);
  });
});
