import { TokenService } from '../../src/auth/token.service';
import { BulletinChartRenderer } from '../../src/bulletins/bulletin-chart.renderer';
import { Bulletin, BulletinChart } from '../../src/bulletins/bulletin.entity';
import { OrgService } from '../../src/org/org.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { FixedClock } from '../../src/shared/clock';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const binary = (res: NodeJS.ReadableStream & { on: (e: string, f: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * Issue 11, defects 8, 10 and 14 (public links): the chart is drawn once at approval and served from storage; a
 * malformed draft is refused with a sentence naming what is wrong; the public token matches exactly; the public page
 * carries a strict policy.
 */
describe('the 通报 in public: chart kept at approval, strict drafts, exact tokens, strict headers', () => {
  let t: TestApp;
  let leader: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(shanghaiInstant('2026-04-01', '09:00')) });
    const org = t.get(OrgService);
    await org.createUnit({ code: 'FGW', name: '市发展改革委' });
    const p = await org.createPerson({ name: '赵副市长', roles: [{ role: 'leader' }], identities: [{ platform: 'dingtalk', externalUserId: 'dt-zhao' }] });
    leader = { Authorization: `Bearer ${(await t.get(TokenService).issue(p.id, 'test')).token}` };
    await t.http().post('/api/bulletins').set(ADMIN).send({ kind: 'monthly', period: '2026-03' }).expect(201);
  });
  afterAll(() => t?.close());

  const BAD_DRAFTS: [string, unknown, RegExp][] = [
    [
      'a block that is neither paragraph nor table',
      { sections: [{ heading: '一、总体情况', blocks: [{ type: 'image', src: 'javascript:alert(1)' }] }] },
      /第1章第1段的类型须为段落/,
    ],
    ['a block that is null', { sections: [{ heading: '一、总体情况', blocks: [null] }] }, /第1章第1段须为段落或表格/],
    ['a paragraph whose text is a number', { sections: [{ heading: '一', blocks: [{ type: 'paragraph', text: 42 }] }] }, /第1章第1段的文字须为文字/],
    [
      'a paragraph with raw HTML beside its text',
      { sections: [{ heading: '一', blocks: [{ type: 'paragraph', text: '好', html: '<script>' }] }] },
      /不认识的内容「html」/,
    ],
    ['a table without its table', { sections: [{ heading: '一', blocks: [{ type: 'table' }] }] }, /缺少表格内容/],
    [
      'a ragged table',
      {
        sections: [
          { heading: '一', blocks: [{ type: 'table', table: { caption: '表1', headers: ['单位', '办结'], rows: [['市发展改革委', '1'], ['市财政局']] } }] },
        ],
      },
      /表格第2行有 1 格，表头有 2 列/,
    ],
    [
      'a table cell that is an object',
      { sections: [{ heading: '一', blocks: [{ type: 'table', table: { caption: '表1', headers: ['单位'], rows: [[{ a: 1 }]] } }] }] },
      /第1行第1格须为文字/,
    ],
    [
      'a table of 21 columns',
      {
        sections: [
          { heading: '一', blocks: [{ type: 'table', table: { caption: '表1', headers: Array.from({ length: 21 }, (_, i) => `列${i}`), rows: [] } }] },
        ],
      },
      /列数过多/,
    ],
    ['a section without a heading', { sections: [{ blocks: [] }] }, /第1章的标题须为文字/],
    ['sections as a string', { sections: '一、总体情况' }, /章节须为至少一章的列表/],
    ['no sections at all', { sections: [] }, /章节须为至少一章的列表/],
    ['an empty title', { title: '  ' }, /标题不能为空/],
    ['a title of 101 characters', { title: '标'.repeat(101) }, /标题过长（最多 100 个字）/],
    ['an intro that is an object', { intro: { text: '现将' } }, /导语须为文字/],
    ['group ids as strings', { groupIds: ['1'] }, /推送的工作群须为工作群编号/],
    ['a field that may not be edited', { state: 'approved' }, /不能修改「state」/],
    ['an array instead of an object', [{ title: 'x' }], /请以 JSON 对象提交/],
  ];

  it(`defect 10: ${BAD_DRAFTS.length} malformed drafts are refused with 400 naming what is wrong, and the draft is unchanged`, async () => {
    const before = (await t.http().get('/api/bulletins/TB2026-0001').set(ADMIN).expect(200)).body.draft;
    for (const [what, body, message] of BAD_DRAFTS) {
      const r = await t
        .http()
        .put('/api/bulletins/TB2026-0001/draft')
        .set(ADMIN)
        .send(body as object);
      expect([what, r.status, r.body.code]).toEqual([what, 400, 'BULLETIN.BAD_DRAFT']);
      expect([what, r.body.message]).toEqual([what, expect.stringMatching(message)]);
      expect(r.body.message).not.toMatch(/sections|blocks|paragraph\b(?!）)|undefined/);
    }
    expect((await t.http().get('/api/bulletins/TB2026-0001').set(ADMIN).expect(200)).body.draft).toEqual(before);
  });

  it('defect 8: the chart is drawn once, at submission (kept through approval), and every public request is served the stored bytes', async () => {
    const renderer = t.get(BulletinChartRenderer);
    // A well-formed edit with a table passes.
    const sections = [
      {
        heading: '一、总体情况',
        blocks: [
          { type: 'paragraph', text: '三月共办结1件。' },
          { type: 'table', table: { caption: '表1　办理情况', headers: ['单位', '办结'], rows: [['市发展改革委', '1']] } },
        ],
      },
    ];
    await t.http().put('/api/bulletins/TB2026-0001/draft').set(ADMIN).send({ title: '政务督查', sections }).expect(200);
    // Issue 14: drawn once when submitted (the leader's review page shows it), and that chart is the one approved.
    const drawnBefore = renderer.rendered;
    await t.http().post('/api/bulletins/TB2026-0001/submit').set(ADMIN).expect(200);
    expect(renderer.rendered).toBe(drawnBefore + 1);
    await t.http().post('/api/bulletins/TB2026-0001/approve').set(leader).send({}).expect(200);
    expect(renderer.rendered).toBe(drawnBefore + 1);
    const b = await t.db.getRepository(Bulletin).findOneByOrFail({ number: 'TB2026-0001' });
    token = b.publicToken;
    const stored = await t.db.getRepository(BulletinChart).findOneByOrFail({ bulletinId: b.id });

    const responses = await Promise.all(
      Array.from({ length: 32 }, () =>
        t
          .http()
          .get(`/public/bulletins/${token}/chart.png`)
          .buffer(true)
          .parse(binary as never),
      ),
    );
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(Buffer.compare(r.body as Buffer, Buffer.from(stored.png))).toBe(0);
    }
    await t.http().get(`/public/bulletins/${token}`).expect(200);
    await t.http().get('/api/bulletins/TB2026-0001/docx').set(ADMIN).expect(200);
    expect(renderer.rendered).toBe(drawnBefore + 1); // 32 public requests, the page and the .docx: nothing drawn again
    expect(await t.db.getRepository(BulletinChart).count()).toBe(1);

    // Without a stored chart the public link says so — it does not draw one.
    await t.db.getRepository(BulletinChart).delete({ bulletinId: b.id });
    const missing = await t.http().get(`/public/bulletins/${token}/chart.png`).expect(404);
    expect(missing.body.code).toBe('BULLETIN.NO_CHART');
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(renderer.rendered).toBe(drawnBefore + 1);
    // Publishing (authenticated) draws it for a 通报 approved before charts were kept, once.
    const g = await t.get(OrgService).createGroup({ platform: 'dingtalk', externalId: 'cidFGWp', name: '发改委督办群', unitId: null, purpose: 'broadcast' });
    await t
      .http()
      .post('/api/bulletins/TB2026-0001/publish')
      .set(ADMIN)
      .send({ groupIds: [g.id] })
      .expect(200);
    expect(renderer.rendered).toBe(drawnBefore + 2);
    await t.http().get(`/public/bulletins/${token}/chart.png`).expect(200);
  });

  it('defect 14: the public token matches exactly — another case, a prefix or a longer string finds nothing', async () => {
    const swapped = token.replace(/[a-zA-Z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
    expect(swapped).not.toBe(token);
    for (const wrong of [swapped, token.toUpperCase(), token.toLowerCase(), token.slice(0, -1), `${token}x`, `${token} `]) {
      await t
        .http()
        .get(`/public/bulletins/${encodeURIComponent(wrong)}`)
        .expect(404);
      await t
        .http()
        .get(`/public/bulletins/${encodeURIComponent(wrong)}/chart.png`)
        .expect(404);
    }
    // In the database itself too: the column is compared byte for byte.
    expect(await t.db.getRepository(Bulletin).countBy({ publicToken: swapped })).toBe(0);
  });

  it('defect 14: the public page and chart carry a strict Content-Security-Policy, nosniff and no referrer', async () => {
    const page = await t.http().get(`/public/bulletins/${token}`).expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/img-src 'self'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).not.toMatch(/style="/); // inline style attributes would be blocked by the policy
    expect(page.text).toContain(`src="${token}/chart.png"`);
    const chart = await t.http().get(`/public/bulletins/${token}/chart.png`).expect(200);
    expect(chart.headers['x-content-type-options']).toBe('nosniff');
    expect(chart.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const gone = await t.http().get('/public/bulletins/nothing-here').expect(404);
    expect(gone.headers['x-content-type-options']).toBe('nosniff');
  });
});
