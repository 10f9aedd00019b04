import JSZip from 'jszip';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { FixedClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { OrgService } from '../../src/org/org.service';
import { TokenService } from '../../src/auth/token.service';
import { startTestApp, TestApp } from '../support/test-app';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';

const DING = { clientId: 'dingapproved', clientSecret: 'dingapproved-secret-0123456789', robotCode: 'dingapproved' };
const BASE = 'https://duban.example.gov.cn';

type Table = { caption: string; headers: string[]; rows: string[][] };
type Block = { type: 'paragraph'; text: string } | { type: 'table'; table: Table };
type Section = { heading: string; blocks: Block[] };

/**
 * Issue 14 (defects 1 and 2): what the leader approves is what goes out. The 督查室 removes two false rows from the
 * criticism of a draft; the leader's card counts what is left and its 全文 link opens the draft under review (before
 * approval); the 督查室 is told when it is approved or sent back; the groups on both platforms, the public page and the
 * .docx all say what was approved — never the two removed rows.
 */
describe('通报: the edited, approved draft is what every output says (issue 14)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let clock: FixedClock;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  let groups: { ding: number; wx: number; hook: number };
  const numbers: string[] = [];

  beforeAll(async () => {
    clock = new FixedClock(shanghaiInstant('2026-03-02', '09:00'));
    ding = await FakeDingTalk.start({ ...DING, cardTemplateIds: ['tpl'], now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, webhooks: [{ key: 'hook-broadcast' }], now: () => clock.now().getTime() });
    t = await startTestApp({
      clock,
      listen: true,
      env: { ...dingtalkEnv(ding, DING, 'tpl'), DINGTALK_MODE: 'stream', ...wecomEnv(wx), DUBAN_PUBLIC_URL: BASE },
    });
    await ding.waitFor(() => ding.connections() > 0, 10_000);
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
    const org = t.get(OrgService);
    const fgw = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    const czj = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
    groups = {
      ding: (await org.createGroup({ platform: 'dingtalk', externalId: 'cidFGWa', name: '发改委督办群', unitId: fgw, purpose: 'unit' })).id,
      wx: (await org.createGroup({ platform: 'wecom', externalId: 'wrCZJa', name: '财政局督办群', unitId: czj, purpose: 'unit' })).id,
      // A send-only broadcast group with the group webhook robot.
      hook: (
        await org.createGroup({
          platform: 'wecom',
          externalId: 'wrBROADCAST',
          name: '全市督办通报群',
          purpose: 'broadcast',
          webhookUrl: `${wx.apiBase}/cgi-bin/webhook/send?key=hook-broadcast`,
        })
      ).id,
    };
    const person = async (key: string, name: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) => {
      const p = await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: `dt-${key}` }] });
      tokens[key] = (await t.get(TokenService).issue(p.id, 'test')).token;
      return (await t.get(TokenService).actorFor(p.id, 'api'))!;
    };
    const sup = await person('sup', '王督查', [{ role: 'supervisor' }, { role: 'owner' }]);
    const leader = await person('leader', '赵副市长', [{ role: 'leader' }]);
    // March: four items handed over with a day to answer and never answered — four rows of criticism, two per unit.
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    for (const [title, unit] of [
      ['编制重大项目清单', fgw],
      ['核查专项资金拨付', czj],
      ['推进价格监测平台建设', fgw],
      ['清理政府性债务台账', czj],
    ] as const) {
      const it = await reg.register(
        { title, content: '内容', source: 'meeting', ownerId: sup.personId!, leaderId: leader.personId!, leadUnitId: unit, deadline: { node: '1d' } },
        sup,
      );
      await cmd.assign(it.number, sup);
      numbers.push(it.number);
    }
    clock.set(shanghaiInstant('2026-04-01', '09:00'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  const getBinary = (path: string, who: string) =>
    t
      .http()
      .get(path)
      .set(auth(who))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('two false rows removed from the draft are gone from the card, the review page, both groups, the public page and the .docx', async () => {
    const http = t.http();
    const made = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'monthly', period: '2026-03' }).expect(201)).body;
    const number = made.number as string;
    expect(made.draft.highlights.criticismCount).toBe(4);
    // The 督查室 finds two rows false (the 发改委's) and removes them, with the sentence that named them.
    const [late1, , late3] = numbers; // 发改委's two items
    const sections = (made.draft.sections as Section[]).map((s) => {
      if (s.heading.includes('总体情况')) {
        // …and the overview's count with them.
        const [first, ...rest] = s.blocks;
        return {
          heading: s.heading,
          blocks: [{ type: 'paragraph' as const, text: (first as { text: string }).text.replace('未办结事项4件', '未办结事项2件') }, ...rest],
        };
      }
      if (!s.heading.includes('批评')) return s;
      return {
        heading: s.heading,
        blocks: s.blocks.map((b) => {
          if (b.type === 'paragraph')
            return { type: 'paragraph' as const, text: b.text.replace(/市财政局、市发展改革委共4件/, '市财政局共2件').replace(/、市发展改革委/, '') };
          const rows = b.table.rows.filter((r) => r[1] !== late1 && r[1] !== late3).map((r, i) => [String(i + 1), ...r.slice(1)]);
          return { type: 'table' as const, table: { ...b.table, rows } };
        }),
      };
    });
    await http.put(`/api/bulletins/${number}/draft`).set(auth('sup')).send({ sections }).expect(200);
    const edited = (await http.get(`/api/bulletins/${number}`).set(auth('sup')).expect(200)).body;
    expect(edited.draft.highlights.criticismCount).toBe(2);
    await http.post(`/api/bulletins/${number}/submit`).set(auth('sup')).expect(200);

    // The leader's card: the counts of the edited draft, the title once, and a 全文 link that opens the draft under review.
    const card = await ding.waitFor(() =>
      [...ding.cards().values()].find((c) => c.openSpaceId.endsWith('IM_ROBOT.dt-leader') && c.cardParamMap.number === number),
    );
    expect(card.cardParamMap.title).toBe('政务督查 2026年第3期');
    expect(card.cardParamMap.facts).toContain('批评：2项');
    expect(card.cardParamMap.summary).toContain('未办结事项2件');
    const fullText = /全文：(\S+)/.exec(card.cardParamMap.facts)![1];
    expect(fullText.startsWith(`${BASE}/public/bulletins/review/${number}?sig=`)).toBe(true);
    const review = await http.get(fullText.slice(BASE.length)).expect(200);
    expect(review.text).toContain('核查专项资金拨付');
    expect(review.text).not.toContain('编制重大项目清单');
    expect(review.text).toContain('待领导审定');
    // A forged signature, or the link of another number, opens nothing.
    await http.get(`/public/bulletins/review/${number}?sig=${'A'.repeat(22)}`).expect(404);

    const click = await ding.clickCardButton({ outTrackId: card.outTrackId, userId: 'dt-leader', actionId: 'bulletin:approve' });
    const ack = (await click.ack) as { userPrivateData: { cardParamMap: Record<string, string> } };
    expect(ack.userPrivateData.cardParamMap.notice).toBe(`${number} 已审定同意，已告知督查室印发推送。`);
    // Defect 2: the 督查室 is told, one to one (no supervision group here).
    const told = await ding.waitFor(() =>
      ding
        .directMessages('dt-sup')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes(number)),
    );
    expect(told).toContain(`通报 ${number}（政务督查 2026年第3期）已由赵副市长审定同意。请在督办系统中印发，推送至各工作群。`);

    await http
      .post(`/api/bulletins/${number}/publish`)
      .set(auth('sup'))
      .send({ groupIds: [groups.ding, groups.wx, groups.hook] })
      .expect(200);
    const token = (await t.db.getRepository(Bulletin).findOneByOrFail({ number })).publicToken;
    const inDing = await ding.waitFor(() =>
      ding
        .groupMessages('cidFGWa')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes('政务督查')),
    );
    // The group's messages from the 通报 on (the assignment cards came before).
    const wxMessages = () => {
      const all = wx.groupMessages('wrCZJa') as Record<string, unknown>[];
      return all.slice(
        Math.max(
          0,
          all.findIndex((m) => JSON.stringify(m).includes('政务督查')),
        ),
      );
    };
    await wx.waitFor(() => (wxMessages().length >= 2 && JSON.stringify(wxMessages()[0]).includes('政务督查')) || undefined);
    const [wxText, wxImage] = wxMessages();
    for (const m of [inDing, JSON.stringify(wxText)]) {
      expect(m).toContain('承办单位未按期反馈的未办结事项2件');
      expect(m).toContain('**批评**（2项）');
      expect(m).not.toContain('（4项）');
      expect(m).not.toContain(late1);
      expect(m).not.toContain(late3);
      expect(m).toContain(`${BASE}/public/bulletins/${token}`);
    }
    // DingTalk markdown shows the picture; WeCom's does not: the chart follows as an image, and the title is said once.
    expect(inDing).toContain(`![图表](${BASE}/public/bulletins/${token}/chart.png)`);
    const wxContent = (wxText.markdown as { content: string }).content;
    expect(wxContent.startsWith('### 政务督查 2026年第3期\n')).toBe(true);
    expect(wxContent.split('政务督查 2026年第3期').length).toBe(2);
    expect(wxContent).not.toContain('![');
    expect(wxImage).toMatchObject({ msgtype: 'image', image: { media_id: expect.any(String) } });
    const png = wx.media((wxImage.image as { media_id: string }).media_id);
    expect(png.subarray(1, 4).toString()).toBe('PNG');

    // The webhook robot's group: the same text, then the chart as base64 + md5.
    const hooked = await wx.waitFor(() =>
      wx.webhookMessages('hook-broadcast').length >= 2 ? (wx.webhookMessages('hook-broadcast') as Record<string, unknown>[]) : undefined,
    );
    expect(hooked.map((m) => m.msgtype)).toEqual(['markdown', 'image']);
    expect((hooked[0].markdown as { content: string }).content).toBe(wxContent);
    expect(Buffer.from((hooked[1].image as { base64: string }).base64, 'base64').equals(png)).toBe(true);

    // The public page and the .docx: the edited text.
    const page = await http.get(`/public/bulletins/${token}`).expect(200);
    expect(page.text).toContain('核查专项资金拨付');
    expect(page.text).not.toContain('编制重大项目清单');
    const zip = await JSZip.loadAsync((await getBinary(`/api/bulletins/${number}/docx`, 'sup')).body as Buffer);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('核查专项资金拨付');
    expect(xml).not.toContain('编制重大项目清单');
    expect(xml).not.toContain(late1);
  });

  it('sent back with a reason: the 督查室 is told the reason; the review link then shows nothing until it is submitted again', async () => {
    const http = t.http();
    const number = (await http.post('/api/bulletins').set(auth('sup')).send({ kind: 'quarterly', period: '2026Q1' }).expect(201)).body.number as string;
    await http.post(`/api/bulletins/${number}/submit`).set(auth('sup')).expect(200);
    const card = await ding.waitFor(() =>
      [...ding.cards().values()].find((c) => c.openSpaceId.endsWith('IM_ROBOT.dt-leader') && c.cardParamMap.number === number),
    );
    expect(card.cardParamMap.title).toBe('关于2026年第一季度督查督办事项落实情况的通报（2026年第1期）');
    expect(card.cardParamMap.facts).not.toContain('期间');
    const fullText = /全文：(\S+)/.exec(card.cardParamMap.facts)![1].slice(BASE.length);
    await http.get(fullText).expect(200);
    await http.post(`/api/bulletins/${number}/reject`).set(auth('leader')).send({ note: '请补充各县区情况' }).expect(200);
    const told = await ding.waitFor(() =>
      ding
        .directMessages('dt-sup')
        .map((m) => JSON.stringify(m))
        .find((m) => m.includes(number)),
    );
    expect(told).toContain(`通报 ${number}（关于2026年第一季度督查督办事项落实情况的通报）被赵副市长退回修改，理由：请补充各县区情况。请修改后重新提请审定。`);
    const gone = await http.get(fullText).expect(404);
    expect(gone.body.message).toBe(`通报 ${number} 已退回修改，正在重新起草；再次提请审定后，请打开新的审定卡片查看全文。`);
  });
});
