import * as ExcelJS from 'exceljs';
import { TokenService } from '../../src/auth/token.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OrgService } from '../../src/org/org.service';
import { startTestApp, TestApp } from '../support/test-app';

const binary = (res: NodeJS.ReadableStream & { on: (e: string, f: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Text people typed that a spreadsheet would take for a formula. */
const HOSTILE_TITLES = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

/**
 * Issue 11, defect 14: downloads that could turn on their reader — A2 documents served as attachments with a safe type
 * and nosniff whatever the uploader claimed; titles and names that begin like a formula written into every .xlsx
 * export with a leading apostrophe (OWASP).
 */
describe('downloads: A2 documents and .xlsx exports', () => {
  let t: TestApp;
  let sup: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const org = t.get(OrgService);
    const unit = await org.createUnit({ code: 'EVL', name: '=cmd|"/c calc"!A1' });
    const s = await org.createPerson({
      name: '王督查',
      roles: [{ role: 'supervisor' }, { role: 'owner' }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-wang' }],
    });
    const l = await org.createPerson({ name: '赵副市长', roles: [{ role: 'leader' }], identities: [{ platform: 'dingtalk', externalUserId: 'dt-zhao' }] });
    sup = { Authorization: `Bearer ${(await t.get(TokenService).issue(s.id, 'test')).token}` };
    const actor = (await t.get(TokenService).actorFor(s.id, 'api'))!;
    for (const title of HOSTILE_TITLES) {
      await t
        .get(RegistrationService)
        .register({ title, content: '内容', source: 'meeting', ownerId: s.id, leaderId: l.id, leadUnitId: unit.id, deadline: { node: '7d' } }, actor);
    }
  });
  afterAll(() => t?.close());

  it('an A2 document is an attachment, of a type from the allow-list by its extension, with nosniff', async () => {
    const unitId = (await t.http().get('/api/units').set(sup).expect(200)).body[0].id;
    const clue = (await t.http().post('/api/accountability/clues').set(sup).send({ unitId, reason: '逾期未办结' }).expect(201)).body.number;
    const cases: [string, string, RegExp][] = [
      ['核查报告.html', 'text/html', /^application\/octet-stream$/],
      ['核查报告.svg', 'image/svg+xml', /^application\/octet-stream$/],
      ['核查报告.pdf', 'text/html', /^application\/pdf$/],
      ['现场照片.PNG', 'text/html', /^image\/png$/],
      ['处理意见书.docx', 'application/x-evil', /^application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document$/],
      ['无扩展名', 'text/html', /^application\/octet-stream$/],
    ];
    for (const [name, mime, served] of cases) {
      const up = await t
        .http()
        .post(`/api/accountability/clues/${clue}/documents?name=${encodeURIComponent(name)}`)
        .set(sup)
        .set('Content-Type', mime)
        .send(Buffer.from('<html><script>alert(document.cookie)</script></html>'))
        .expect(201);
      const r = await t
        .http()
        .get(`/api/accountability/documents/${up.body.id}`)
        .set(sup)
        .buffer(true)
        .parse(binary as never)
        .expect(200);
      expect([name, r.headers['content-type']]).toEqual([name, expect.stringMatching(served)]);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['content-disposition']).toMatch(/^attachment;/);
      expect(r.headers['content-security-policy']).toMatch(/sandbox/);
      expect((r.body as Buffer).toString()).toContain('<script>'); // byte for byte, just not rendered
    }
  });

  const cellTexts = (ws: ExcelJS.Worksheet) => {
    const out: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'string' && out.push(c.value))));
    return out;
  };
  const startsLikeFormula = (s: string) => /^[=+\-@\t\r]/.test(s);

  it('the ledger export writes titles and unit names that begin like a formula with a leading apostrophe', async () => {
    const r = await t
      .http()
      .get('/api/ledger/export.xlsx')
      .set(sup)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body as never);
    const texts = cellTexts(wb.worksheets[0]);
    for (const title of HOSTILE_TITLES) expect(texts).toContain(`'${title.trim()}`); // registration trims the tab and CR; the rest stays
    expect(texts).toContain(`'=cmd|"/c calc"!A1`);
    expect(texts.filter(startsLikeFormula)).toEqual([]);
  });

  it('the statistics export does the same on every sheet', async () => {
    const r = await t
      .http()
      .get('/api/statistics/export.xlsx?from=2026-03-01&to=2026-03-31')
      .set(sup)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body as never);
    const texts = wb.worksheets.flatMap(cellTexts);
    for (const title of HOSTILE_TITLES) expect(texts).toContain(`'${title.trim()}`); // registration trims the tab and CR; the rest stays
    expect(texts).toContain(`'=cmd|"/c calc"!A1`);
    expect(texts.filter(startsLikeFormula)).toEqual([]);
  });
});
