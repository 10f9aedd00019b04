import { Workbook } from 'exceljs';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, Org, seedOrg } from '../support/fixtures';

const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * Issue 15: the 立项 form shows the due date before saving (POST /api/items/deadline-preview, the same C3 rules as
 * registration on the real 2026 calendar), and the 台账 finds items by a keyword and exports its filter line in Chinese.
 */
describe('the deadline preview and the 台账 filter words (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    t = await startTestApp({ now: new Date('2026-04-30T02:00:00Z') }); // Thursday 10:00, the day before 劳动节
    org = await seedOrg(t);
  });
  afterAll(() => t.close());

  const preview = (who: Parameters<typeof bearer>[0], body: object) => t.http().post('/api/items/deadline-preview').set(bearer(who)).send(body);

  it('C3: registered 2026-04-30 10:00 with 1d → due 05-06 18:00, said in words before saving; saving gives the same', async () => {
    const r = await preview(org.supervisor, { deadlineNode: '1d' }).expect(200);
    expect(r.body).toEqual({
      deadline: '2026-05-06T18:00:00+08:00',
      deadlineSpec: '1d',
      when: '2026年5月6日（星期三）18:00',
      pastHolidays: true,
      text: '办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延',
      warnings: [],
    });
    const saved = await t
      .http()
      .post('/api/items')
      .set(bearer(org.supervisor))
      .send({ title: '推进老旧小区改造', content: '按纪要办理。', source: 'meeting', leaderId: org.leader.id, leadUnitId: org.units.lead, deadlineNode: '1d' })
      .expect(201);
    expect(saved.body.deadline).toBe(r.body.deadline);
  });

  it('C3: a date on a holiday, N working days, 专项督查 by default, an item without a time limit', async () => {
    const date = await preview(org.owner, { deadlineDate: '2026-05-01' }).expect(200);
    expect([date.body.deadline, date.body.warnings]).toEqual(['2026-05-06T18:00:00+08:00', ['办理期限 2026年5月1日 为法定节假日，已顺延至5月6日 18:00。']]);
    const wd = await preview(org.owner, { workingDays: 3 }).expect(200);
    expect(wd.body.text).toBe('办理期限：2026年5月8日（星期五）18:00，已按法定节假日顺延');
    const special = await preview(org.owner, { category: 'special' }).expect(200);
    expect(special.body.deadline).toBe('2026-05-18T18:00:00+08:00');
    const open = await preview(org.owner, { kind: 'open_ended' }).expect(200);
    expect(open.body.when).toBe('2026年12月31日（星期四）18:00');
  });

  it('C3: the 专项督查 ceiling and a past date come back as field errors in Chinese; a unit contact may not ask', async () => {
    const ceiling = await preview(org.owner, { category: 'special', workingDays: 40 }).expect(400);
    expect(ceiling.body.code).toBe('DEADLINE.SPECIAL_CEILING');
    expect(ceiling.body.field).toBe('deadlineReason');
    const past = await preview(org.owner, { deadlineDate: '2026-04-01' }).expect(400);
    expect(past.body.field).toBe('deadlineDate');
    expect(past.body.message).toContain('已过');
    await preview(org.leadContact, { deadlineNode: '7d' }).expect(403);
  });

  it('B3: the 台账 finds items by a word of the title; the export says its filter in Chinese', async () => {
    await t
      .http()
      .post('/api/items')
      .set(bearer(org.supervisor))
      .send({ title: '整治背街小巷', content: '完成20条。', source: 'meeting', leaderId: org.leader.id, leadUnitId: org.units.co, workingDays: 10 })
      .expect(201);
    const found = await t
      .http()
      .get(`/api/ledger?keyword=${encodeURIComponent('背街')}`)
      .set(bearer(org.supervisor))
      .expect(200);
    expect(found.body.items.map((i: { title: string }) => i.title)).toEqual(['整治背街小巷']);
    const x = await t
      .http()
      .get(`/api/ledger/export.xlsx?unitId=${org.units.co}&state=registered&keyword=${encodeURIComponent('背街')}`)
      .set(bearer(org.supervisor))
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(x.body);
    expect(wb.worksheets[0].getCell('A1').text).toContain('筛选条件：承办单位 市财政局；状态 已立项；关键词「背街」');
  });
});
