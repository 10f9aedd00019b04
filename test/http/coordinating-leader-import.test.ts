import { Workbook } from 'exceljs';
import { Person } from '../../src/org/person.entity';
import { Unit } from '../../src/org/unit.entity';
import { bearer, seedOrg, Org } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * R4 (001 §14: 立项主体要及时报请市政府分管副秘书长或办公厅分管领导协调): an office's coordinating leader comes with the
 * contact list — the 单位 sheet's 分管领导 column, by name or mobile of a person with the leader role — and, being a
 * privileged binding (grant.rules), only from an admin.
 */
describe('org import: 分管领导 of an office (R4, P2)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const importJson = (token: string, body: object) => t.http().post('/api/import').set(bearer(token)).send(body);
  const unit = (code: string) => t.db.getRepository(Unit).findOneByOrFail({ code });

  it("R4 — the 单位 sheet names the office's 分管领导 (by mobile or name); an admin's import sets it", async () => {
    const wb = new Workbook();
    wb.addWorksheet('单位').addRows([
      ['编码', '名称', '分管领导'],
      ['ZH1', '综合一科', '13800000088'],
      ['ZH2', '综合二科', '刘副秘书长'],
    ]);
    wb.addWorksheet('人员').addRows([
      ['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID'],
      ['刘副秘书长', '13800000088', '', '领导', 'dt-liu', ''],
      ['李科长', '13800000077', 'ZH1', '立项主体', 'dt-likz', ''],
    ]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    await t
      .http()
      .post('/api/import')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .attach('file', buf, { filename: '通讯录.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
      .expect(200);
    const liu = await t.db.getRepository(Person).findOneByOrFail({ mobile: '13800000088' });
    expect((await unit('ZH1')).coordinatingLeaderId).toBe(liu.id);
    expect((await unit('ZH2')).coordinatingLeaderId).toBe(liu.id);
  });

  it('P2 — the 督查室 may not bind a coordinating leader by import: refused, naming the row and saying to ask an admin', async () => {
    const r = await importJson(org.supervisor.token, { units: [{ code: 'ZH3', name: '综合三科', coordinatingLeader: '赵副市长' }] }).expect(403);
    expect(r.body.message).toContain('管理员');
    expect(await t.db.getRepository(Unit).countBy({ code: 'ZH3' })).toBe(0);
  });

  it('a 分管领导 who is not a leader in the contact list is refused, saying what to fill in', async () => {
    const r = await importJson(ADMIN_TOKEN, { units: [{ code: 'ZH4', name: '综合四科', coordinatingLeader: '陈联络' }] }).expect(400);
    expect(JSON.stringify(r.body)).toContain('分管领导');
    expect(JSON.stringify(r.body)).toContain('领导角色');
    expect(await t.db.getRepository(Unit).countBy({ code: 'ZH4' })).toBe(0);
  });
});
