import JSZip from 'jszip';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { draftToPlainText, type BulletinDraft } from '../../src/bulletins/bulletin.rules';
import { OrgService } from '../../src/org/org.service';
import { FixedClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { seedUnansweredMarch } from '../support/bulletin-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingcounts', clientSecret: 'dingcounts-secret-0123456789', robotCode: 'dingcounts' };
const BASE = 'https://duban.example.gov.cn';

/**
 * Issue 15 (B1, B2): the 督查室 removes rows in the form and chooses the summary's lines; the sentences counting the rows
 * are rewritten when it is saved, and the text the leader approves is, to the byte, the text published — the stored
 * draft, its plain text, the groups' summary, the public page and the .docx.
 */
describe('通报: rows removed, counts rewritten, the approved text is the published text (issue 15)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const numbers: string[] = [];
  let groupId = 0;

  beforeAll(async () => {
    const clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    ding = await FakeDingTalk.start({ ...DING, cardTemplateIds: ['tpl'], now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, now: () => clock.now().getTime() });
    t = await startTestApp({
      clock,
      listen: true,
      env: { ...dingtalkEnv(ding, DING, 'tpl'), DINGTALK_MODE: 'stream', ...wecomEnv(wx), DUBAN_PUBLIC_URL: BASE },
    });
    await ding.waitFor(() => ding.connections() > 0, 10_000);
    const { cast, numbers: made } = await seedUnansweredMarch(t, [{ platform: 'dingtalk', externalId: 'cidCounts', name: '发改委督办群', unit: 'FGW' }]);
    tokens.sup = cast.people.sup.token;
    tokens.leader = cast.people.leader.token;
    numbers.push(...made);
    groupId = (await t.get(OrgService).groups()).find((g) => g.externalId === 'cidCounts')!.id;
    clock.set(shanghaiInstant('2026-04-01', '09:00'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  type Section = BulletinDraft['sections'][number];
  const criticismOf = (d: BulletinDraft) => d.sections.find((s) => s.heading.includes('批评'))!;

  it('B2: two rows removed in the form — the sentence says 市财政局共2件, the chosen lines go out in their order, approved = published', async () => {
    const http = t.http();
    const made = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-03' }).expect(201)).body;
    const number = made.number as string;
    const first = criticismOf(made.draft).blocks[0];
    expect(first).toEqual({ type: 'paragraph', text: '（一）逾期办理。市财政局、市发展改革委共4件事项未在规定时限内办理反馈。' });

    // The form sends the rows without the 发改委's two, and leaves the sentences as they were.
    const sections = (made.draft as BulletinDraft).sections.map((s): Section =>
      s.heading.includes('批评')
        ? {
            ...s,
            blocks: s.blocks.map((b) =>
              b.type === 'table' ? { ...b, table: { ...b.table, rows: b.table.rows.filter((r) => r[1] !== numbers[0] && r[1] !== numbers[2]) } } : b,
            ),
          }
        : s,
    );
    // The summary's lines, chosen by hand: a line of the 督查室's own first, then a quoted row, and one quoting a removed row.
    const lines = made.draft.highlights.criticism as string[];
    const mine = '财政局两件事项均已电话督促';
    const removedLine = lines.find((l) => l.startsWith(numbers[0]))!;
    const kept = lines.filter((l) => l !== removedLine && !l.startsWith(numbers[2]));
    const chosen = [mine, kept[0], removedLine];
    expect(kept).toHaveLength(1);

    // A blank line is refused, next to its field.
    const blank = await http
      .put(`/api/bulletins/${number}/draft`)
      .set(auth('sup'))
      .send({ highlights: { praise: [], criticism: ['  '] } })
      .expect(400);
    expect(blank.body.problems[0]).toEqual({ field: 'highlights.criticism.0', message: '推送摘要的批评第1行不能为空' });

    const saved = (
      await http
        .put(`/api/bulletins/${number}/draft`)
        .set(auth('sup'))
        .send({ sections, highlights: { praise: [], criticism: chosen } })
        .expect(200)
    ).body;
    const c = criticismOf(saved.draft);
    expect(c.blocks[0]).toEqual({ type: 'paragraph', text: '（一）逾期办理。市财政局共2件事项未在规定时限内办理反馈。' });
    const table = c.blocks.find((b) => b.type === 'table')!;
    expect(table.type === 'table' && table.table.rows.map((r) => r[0])).toEqual(['1', '2']);
    // The line quoting a removed row is not kept; the others are, in the order chosen.
    expect(saved.draft.highlights).toMatchObject({ criticism: [mine, kept[0]], criticismCount: 2, praise: [], edited: true });

    await http.post(`/api/bulletins/${number}/submit`).set(auth('sup')).expect(200);
    const approved = (await http.post(`/api/bulletins/${number}/approve`).set(auth('leader')).send({}).expect(200)).body;
    const review = await http.get(`/api/bulletins/${number}`).set(auth('leader')).expect(200);
    expect(review.body.draft).toEqual(approved.draft);

    const published = (
      await http
        .post(`/api/bulletins/${number}/publish`)
        .set(auth('sup'))
        .send({ groupIds: [groupId] })
        .expect(200)
    ).body;
    // The stored text: the same object and the same plain text, before and after it was published.
    expect(published.draft).toEqual(approved.draft);
    expect(draftToPlainText(published.draft)).toBe(draftToPlainText(approved.draft));
    const row = await t.db.getRepository(Bulletin).findOneByOrFail({ number });
    expect(row.draft).toEqual(approved.draft);

    // The groups: the approved overview and the lines chosen, in their order, never the removed rows.
    const sent = await ding.waitFor(
      () =>
        ding
          .groupMessages('cidCounts')
          .map((m) => JSON.stringify(m))
          .find((m) => m.includes('政务督查')),
      30_000,
    );
    const text = sent;
    expect(text).toContain('**批评**（2项）');
    const at = (s: string) => text.indexOf(JSON.stringify(s).slice(1, -1));
    expect(at(mine)).toBeGreaterThan(0);
    expect(at(mine)).toBeLessThan(at(kept[0]));
    expect(text).not.toContain(numbers[0]);
    expect(text).not.toContain(numbers[2]);

    // The public page and the .docx: the rewritten sentence, never the four.
    const page = await http.get(`/public/bulletins/${row.publicToken}`).expect(200);
    expect(page.text).toContain('（一）逾期办理。市财政局共2件事项未在规定时限内办理反馈。');
    expect(page.text).not.toContain('共4件');
    const docx = await http
      .get(`/api/bulletins/${number}/docx`)
      .set(auth('sup'))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const xml = await (await JSZip.loadAsync(docx.body as Buffer)).file('word/document.xml')!.async('string');
    expect(xml).toContain('市财政局共2件事项未在规定时限内办理反馈');
    expect(xml).not.toContain('共4件');
  });

  it('the lines given back to the tables (null): read from the rows again', async () => {
    const http = t.http();
    const number = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026Q1' }).expect(201)).body.number as string;
    const chosen = (
      await http
        .put(`/api/bulletins/${number}/draft`)
        .set(auth('sup'))
        .send({ highlights: { praise: ['自拟一行'], criticism: [] } })
        .expect(200)
    ).body;
    expect(chosen.draft.highlights).toMatchObject({ praise: ['自拟一行'], criticism: [], edited: true });
    const back = (await http.put(`/api/bulletins/${number}/draft`).set(auth('sup')).send({ highlights: null }).expect(200)).body;
    expect(back.draft.highlights.edited).toBeUndefined();
    expect(back.draft.highlights.criticism).toHaveLength(3);
    expect(back.draft.highlights.criticismCount).toBe(4);
  });
});
