import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Workbook } from 'exceljs';
import { Person } from '../../src/org/person.entity';
import { PersonIdentity } from '../../src/org/person-identity.entity';
import { Unit } from '../../src/org/unit.entity';
import { ChatGroup } from '../../src/org/chat-group.entity';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

async function workbook(people: (string | number)[][]): Promise<Buffer> {
  const wb = new Workbook();
  wb.addWorksheet('单位').addRows([
    ['编码', '名称'],
    ['FGW', '市发展改革委'],
    ['CZJ', '市财政局'],
  ]);
  wb.addWorksheet('人员').addRows([['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID'], ...people]);
  wb.addWorksheet('群').addRows([
    ['平台', '群ID', '名称', '单位编码', '用途', 'Webhook'],
    ['钉钉', 'cidFGW', '发改委督办群', 'FGW', '单位群', ''],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GOOD_PEOPLE = [
  ['陈联络', 13800000011, 'FGW', '联络员', 'dt-chen', ''],
  ['吴联络', '13800000021', 'CZJ', '联络员、负责人', '', 'wx-wu'],
  ['赵副市长', '', '', '领导', 'dt-zhao', 'wx-zhao'],
];

/** Issue 3 §6: the 督查室's Excel contact list, over the API and the CLI; a bad row names its row and nothing is written. */
describe('org import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const upload = (buf: Buffer) =>
    t
      .http()
      .post('/api/import')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .attach('file', buf, { filename: '通讯录.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const counts = async () => [await t.db.getRepository(Unit).count(), await t.db.getRepository(Person).count(), await t.db.getRepository(ChatGroup).count()];

  it('a bad row is reported by its row number and nothing from the file is written', async () => {
    const bad = [...GOOD_PEOPLE, ['孙联络', '12345', 'ZZZ', '联络员', 'dt-sun', '']];
    const r = await upload(await workbook(bad)).expect(400);
    expect(r.body.code).toBe('IMPORT.REFUSED');
    const messages: string[] = r.body.problems.map((p: { message: string }) => p.message);
    expect(messages.some((m) => m.startsWith('人员 第5行') && m.includes('ZZZ'))).toBe(true);
    expect(messages.some((m) => m.startsWith('人员 第5行') && m.includes('手机'))).toBe(true);
    expect(await counts()).toEqual([0, 0, 0]);
  });

  it('a good file imports units, people with both platform ids and roles, and groups; importing it again changes nothing', async () => {
    const buf = await workbook(GOOD_PEOPLE);
    const first = await upload(buf).expect(200);
    expect(first.body).toEqual({ units: { created: 2, updated: 0 }, people: { created: 3, updated: 0 }, groups: { created: 1, updated: 0 } });
    const second = await upload(buf).expect(200);
    expect(second.body.people).toEqual({ created: 0, updated: 3 });
    expect(await counts()).toEqual([2, 3, 1]);
    const wu = await t.http().get('/api/people').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    const person = wu.body.find((p: { name: string }) => p.name === '吴联络');
    expect(person.identities).toEqual([{ id: expect.any(Number), platform: 'wecom', corpId: '', externalUserId: 'wx-wu' }]);
    expect(person.roles.map((r: { role: string }) => r.role).sort()).toEqual(['unit_contact', 'unit_head']);
    expect(await t.db.getRepository(PersonIdentity).countBy({ externalUserId: 'dt-zhao' })).toBe(1);
  });

  it('JSON with a DingTalk id already bound to another person is refused whole, naming the row', async () => {
    const before = await counts();
    const r = await t
      .http()
      .post('/api/import')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({
        people: [
          { name: '新人', roles: ['联络员'], unitCode: 'FGW', dingtalkUserId: 'dt-new' },
          { name: '冒名', roles: ['领导'], dingtalkUserId: 'dt-chen', wecomUserId: 'wx-wu' },
        ],
      })
      .expect(400);
    expect(r.body.problems[0].message).toContain('人员 第2条');
    expect(await counts()).toEqual(before);
  });

  it('npm run import -- FILE imports into DATABASE_URL and exits 0; a bad file exits 1 listing the rows', async () => {
    const db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'duban-import-'));
    const good = join(dir, 'good.xlsx');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, await workbook(GOOD_PEOPLE));
    writeFileSync(bad, JSON.stringify({ units: [{ code: 'FGW', name: '' }] }));
    const run = (file: string) =>
      promisify(execFile)('node', ['-r', 'ts-node/register/transpile-only', 'scripts/import.ts', file], {
        env: { ...process.env, DATABASE_URL: db.url, DUBAN_DEMO_SEED: 'false' },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    try {
      const ok = await run(good);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('人员 新增3');
      const no = await run(bad);
      expect(no.code).toBe(1);
      expect(no.stderr).toContain('单位 第1条');
    } finally {
      await db.drop();
    }
  }, 180_000); // two ts-node processes: slow on a loaded machine (a CI run beside other work took over 60 s)
});
