import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { type Browser, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { OffsetClock } from '../../src/shared/clock';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { buttonName, DESK, launchBrowser, openPage, PHONE, shot, signInWithToken } from '../support/browser';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { seedUnansweredMarch } from '../support/bulletin-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DING = { clientId: 'dingbulletinweb', clientSecret: 'dingbulletinweb-secret-0123456789', robotCode: 'dingbulletinweb' };
const OVERVIEW = '2026年3月，全市共登记督办事项4件，经督查室逐件核实，承办单位未按期反馈的未办结事项3件，请相关单位抓紧办理。';

/**
 * Issue 15, part D: the 通报 in the console, from generation to the groups. The 督查室 generates last month's 通报,
 * removes a row of the criticism and rewrites the overview in the form (not JSON), submits it; the leader on a phone
 * approves it in the console; the 督查室 publishes it to one DingTalk group and one WeCom group it ticks; the fakes
 * receive the edited overview and the criticism counted without the removed row, and the .docx downloads.
 */
describe('通报 in the console (issue 15)', () => {
  let ding: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const numbers: string[] = [];

  beforeAll(async () => {
    const clock = new OffsetClock();
    clock.advance(shanghaiInstant('2026-03-02', '09:00').getTime() - Date.now());
    ding = await FakeDingTalk.start({ ...DING, now: () => clock.now().getTime() });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT, webhooks: [{ key: 'hook-bulletin-web' }], now: () => clock.now().getTime() });
    t = await startTestApp({ clock, listen: true, schema: 'template', env: { ...dingtalkEnv(ding, DING), ...wecomEnv(wx) } });
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
    // A third group, not ticked: it gets nothing.
    const { cast, numbers: made } = await seedUnansweredMarch(t, [
      { platform: 'dingtalk', externalId: 'cidFGWweb', name: '发改委督办群', unit: 'FGW' },
      { platform: 'wecom', externalId: 'wrCZJweb', name: '财政局督办群', unit: 'CZJ' },
      {
        platform: 'wecom',
        externalId: 'wrALLweb',
        name: '全市督办通报群',
        purpose: 'broadcast',
        webhookUrl: `${wx.apiBase}/cgi-bin/webhook/send?key=hook-bulletin-web`,
      },
    ]);
    tokens.sup = cast.people.sup.token;
    tokens.leader = cast.people.leader.token;
    numbers.push(...made);
    // 1 April 2026, a Wednesday morning: March is over, April is not.
    clock.advance(shanghaiInstant('2026-04-01', '09:00').getTime() - clock.now().getTime());
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await ding?.stop();
    await wx?.stop();
  });

  const text = (m: unknown) => JSON.stringify(m);
  /** A page of its own; waits patiently (the machine is shared), fails on a script error rather than a blank page. */
  const open = async (size: typeof DESK): Promise<Page> => {
    const page = await openPage(browser, size);
    page.setDefaultTimeout(90_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    pageErrors.push(errors);
    pages.push(page);
    return page;
  };
  const pageErrors: string[][] = [];
  const pages: Page[] = [];
  afterEach(async () => {
    for (const [i, p] of pages.entries()) await p.screenshot({ path: `test-output/console/bulletins-last-${i}.png` }).catch(() => undefined);
    expect(pageErrors.flat()).toEqual([]);
  }, 120_000);

  it('generated, edited in the form, submitted, approved on a phone, published to two chosen groups, downloaded as .docx', async () => {
    // The 督查室 at the desk: April is refused next to the period field, March is generated.
    const desk: Page = await open(DESK);
    await signInWithToken(desk, t.url, tokens.sup, '/通报');
    await desk.getByRole('button', { name: '生成通报' }).first().click();
    const period = desk.getByPlaceholder('选择月份');
    // Nothing chosen: said next to the field.
    await desk.getByRole('button', { name: '生成草稿' }).click();
    await desk.locator('.ant-form-item-explain-error', { hasText: '请选择要通报的月份' }).waitFor();
    // Typed and confirmed with Enter, which also submits the form.
    await period.fill('2026-04');
    await period.press('Enter');
    await desk.locator('.ant-form-item-explain-error', { hasText: '2026年4月尚未结束' }).waitFor();
    await shot(desk, 'bulletins-generate-refused-desk');
    await period.fill('2026-03');
    await period.press('Enter');
    await desk.waitForURL((u) => decodeURIComponent(u.pathname).startsWith('/通报/TB2026-'));
    const number = decodeURIComponent(new URL(desk.url()).pathname).split('/')[2];
    await desk.getByText('政务督查 2026年第3期').first().waitFor();
    await desk.getByText('数据可以重现').waitFor();

    // The form: the overview rewritten, the 发改委's first criticism row removed.
    await desk.getByLabel('总体情况').fill(OVERVIEW);
    const criticism = desk.locator('[data-table="通报批评事项"]');
    await criticism.locator('tr', { hasText: numbers[0] }).getByRole('button', { name: '删除此行' }).click();
    await criticism.locator('tr', { hasText: numbers[0] }).waitFor({ state: 'detached' });
    await desk.getByRole('button', { name: '保存草稿' }).click();
    await desk.getByText('草稿已保存').waitFor();
    await shot(desk, 'bulletin-edit-desk');
    const saved = (await t.http().get(`/api/bulletins/${number}`).set('Authorization', `Bearer ${tokens.sup}`).expect(200)).body;
    expect(saved.draft.highlights.criticismCount).toBe(3);
    expect(saved.draft.highlights.overview).toBe(OVERVIEW);
    // The chart the preview shows: drawn for the signed-in 督查室, refused without a session.
    const chart = await t
      .http()
      .get(`/api/bulletins/${number}/chart.png`)
      .set('Authorization', `Bearer ${tokens.sup}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((chart.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    await t.http().get(`/api/bulletins/${number}/chart.png`).expect(401);

    await desk.getByRole('button', { name: '提交审定' }).click();
    await desk.getByRole('button', { name: '确定提交' }).click();
    await desk.getByText('待领导审定').first().waitFor();

    // The leader on a phone: the text under review, then 审定通过.
    const phone = await open(PHONE);
    await signInWithToken(phone, t.url, tokens.leader, `/通报/${number}`);
    await phone.getByText(OVERVIEW).first().waitFor();
    await shot(phone, 'bulletin-review-phone');
    await phone.getByRole('button', { name: '审定通过' }).click();
    await phone.getByRole('button', { name: '确定通过' }).click();
    await phone.getByText('已审定').first().waitFor();
    await shot(phone, 'bulletin-approved-phone');

    // The 督查室 refreshes: approved by the leader; publishes to the two groups it ticks.
    await desk.reload();
    await desk.getByText('赵副市长').first().waitFor();
    await desk.locator('label', { hasText: '发改委督办群' }).click();
    await desk.locator('label', { hasText: '财政局督办群' }).click();
    await desk.getByRole('button', { name: '印发推送' }).click();
    await desk.getByRole('button', { name: '确定印发' }).click();
    await desk.getByText('已印发').first().waitFor();
    await shot(desk, 'bulletin-published-desk');

    for (const m of [
      await ding.waitFor(
        () =>
          ding
            .groupMessages('cidFGWweb')
            .map(text)
            .find((s) => s.includes('政务督查')),
        60_000,
      ),
      await wx.waitFor(
        () =>
          wx
            .groupMessages('wrCZJweb')
            .map(text)
            .find((s) => s.includes('政务督查')),
        60_000,
      ),
    ]) {
      expect(m).toContain(OVERVIEW);
      expect(m).toContain('**批评**（3项）');
      expect(m).not.toContain(numbers[0]);
    }
    const after = (await t.http().get(`/api/bulletins/${number}`).set('Authorization', `Bearer ${tokens.sup}`).expect(200)).body;
    expect(after.groupIds).toHaveLength(2);

    // The .docx, downloaded from the page: the edited text.
    const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByRole('button', { name: '下载 Word' }).click()]);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('经督查室逐件核实');
    expect(xml).not.toContain(numbers[0]);

    // The list: the 通报, its state and who approved it.
    await desk.goto(`${t.url}/通报`);
    const row = desk.locator('tr', { hasText: number });
    await row.getByText('已印发').waitFor();
    await row.getByText('赵副市长').waitFor();
    await shot(desk, 'bulletins-list-desk');
    const list = await open(PHONE);
    await signInWithToken(list, t.url, tokens.sup, '/通报');
    await list.getByText(number).first().waitFor();
    await shot(list, 'bulletins-list-phone');
  }, 900_000);

  it('sent back with a reason on the phone: the 督查室 reads the reason; a draft never submitted is deleted after a confirmation', async () => {
    const http = t.http();
    const auth = { Authorization: `Bearer ${tokens.sup}` };
    const number = (await http.post('/api/bulletins').set(auth).send({ kind: 'quarterly', period: '2026Q1' }).expect(201)).body.number as string;
    await http.post(`/api/bulletins/${number}/submit`).set(auth).expect(200);
    const phone = await open(PHONE);
    await signInWithToken(phone, t.url, tokens.leader, `/通报/${number}`);
    await phone.getByRole('button', { name: '退回修改' }).click();
    await phone.getByRole('button', { name: '确定退回' }).click();
    await phone.locator('.ant-form-item-explain-error', { hasText: '请写明退回理由' }).waitFor();
    await phone.getByLabel('退回理由').fill('请补充各县区情况');
    await phone.getByRole('button', { name: '确定退回' }).click();
    await phone.getByText('草稿').first().waitFor();

    const desk = await open(DESK);
    await signInWithToken(desk, t.url, tokens.sup, `/通报/${number}`);
    await desk.locator('.ant-alert', { hasText: '理由：请补充各县区情况' }).waitFor();
    // Once submitted it is kept: no delete button.
    expect(await desk.getByRole('button', { name: '删除草稿' }).count()).toBe(0);

    const fresh = (await http.post('/api/bulletins').set(auth).send({ kind: 'key_supervision', period: '2026-03-01~2026-03-31' }).expect(201)).body
      .number as string;
    await desk.goto(`${t.url}/通报/${fresh}`);
    await desk.getByRole('button', { name: '删除草稿' }).click();
    await desk.getByRole('button', { name: '确定删除' }).click();
    await desk.waitForURL((u) => decodeURIComponent(u.pathname) === '/通报');
    await http.get(`/api/bulletins/${fresh}`).set(auth).expect(404);
  }, 600_000);

  /** antd puts a space inside two-character labels. */
  const label = buttonName;

  it('issue 15: a criticism row removed in the form — its sentence counts again at once; the summary lines reordered, added, removed; leaving unsaved asks first, saved it does not', async () => {
    // Self-contained: a 通报 of its own whose criticism is two rows of one unit and one of another, set through the API.
    const http = t.http();
    const auth = { Authorization: `Bearer ${tokens.sup}` };
    const made = (await http.post('/api/bulletins').set(auth).send({ kind: 'key_supervision', period: '2026-02-01~2026-02-28' }).expect(201)).body;
    const number = made.number as string;
    const rows = [
      ['1', 'DB2026-9001', '整治背街小巷环境', '市城管局', '逾期办理', '逾期4天未办结'],
      ['2', 'DB2026-9002', '更新老旧供水管网', '市水务局', '逾期办理', '逾期2天未办结'],
      ['3', 'DB2026-9003', '增设城区停车泊位', '市城管局', '逾期办理', '逾期1天未办结'],
    ];
    const sections = [
      { heading: '一、总体情况', blocks: [{ type: 'paragraph', text: '2月重点督办事项总体推进有序。' }] },
      {
        heading: '二、批评',
        blocks: [
          { type: 'paragraph', text: '（一）逾期办理。某单位共9件事项未在规定时限内办理反馈。' },
          { type: 'paragraph', text: '对上述单位予以通报批评（详见表1），请认真分析原因，切实整改到位。' },
          { type: 'table', table: { caption: '表1　通报批评事项', headers: ['序号', '事项编号', '事项名称', '承办单位', '问题类型', '具体情况'], rows } },
        ],
      },
    ];
    const saved = (await http.put(`/api/bulletins/${number}/draft`).set(auth).send({ sections }).expect(200)).body;
    // Saved through the API, the sentence already says what the rows say.
    expect(saved.draft.sections[1].blocks[0].text).toBe('（一）逾期办理。市城管局、市水务局共3件事项未在规定时限内办理反馈。');

    const desk = await open(DESK);
    // From the list, so that 「back」 stays inside the console.
    await signInWithToken(desk, t.url, tokens.sup, '/通报');
    await desk.getByRole('link', { name: number }).click();
    const criticism = desk.locator('[data-table="通报批评事项"]');
    await criticism.locator('tr', { hasText: 'DB2026-9002' }).getByRole('button', { name: '删除此行' }).click();
    // The sentence in the form and in the preview: one unit, two items — before anything is saved.
    const sentence = '（一）逾期办理。市城管局共2件事项未在规定时限内办理反馈。';
    for (let i = 0; (await desk.locator('#s1-b0').inputValue()) !== sentence; i++) {
      if (i > 100) expect(await desk.locator('#s1-b0').inputValue()).toBe(sentence);
      await desk.waitForTimeout(100);
    }
    await desk.locator('article p', { hasText: sentence }).waitFor();

    // The summary's lines: read from the table, then moved, added to and cut by hand.
    const lines = desk.locator('[data-highlights="criticism"]');
    await expect(lines.getByLabel('批评摘要第1行', { exact: true }).inputValue()).resolves.toContain('DB2026-9001');
    await lines.getByLabel('批评摘要第1行下移').click();
    await expect(lines.getByLabel('批评摘要第1行', { exact: true }).inputValue()).resolves.toContain('DB2026-9003');
    await lines.getByRole('button', { name: '添加批评摘要行' }).click();
    await lines.getByLabel('批评摘要第3行', { exact: true }).fill('两件事项已约谈承办单位负责人');
    await lines.getByLabel('删除批评摘要第1行').click();
    await shot(desk, 'bulletin-highlights-desk');

    // Leaving by the menu asks; staying keeps every edit.
    await desk.getByRole('menuitem', { name: '台账' }).click();
    const ask = desk.locator('.ant-modal-confirm', { hasText: '有尚未保存的修改，确定离开吗？' });
    await ask.waitFor();
    await shot(desk, 'bulletin-leave-ask-desk');
    await ask.getByRole('button', { name: '留在本页' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(decodeURIComponent(new URL(desk.url()).pathname)).toBe(`/通报/${number}`);
    // Back in the browser asks too.
    await desk.goBack({ timeout: 5_000 }).catch(() => undefined);
    await ask.waitFor();
    await ask.getByRole('button', { name: '留在本页' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(decodeURIComponent(new URL(desk.url()).pathname)).toBe(`/通报/${number}`);
    // Reloading the tab: the browser asks (its own dialog); dismissed, nothing is lost.
    const unload = new Promise<string>((resolve) => desk.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await desk.reload({ timeout: 5_000 }).catch(() => undefined);
    expect(await unload).toBe('beforeunload');
    await expect(lines.getByLabel('批评摘要第2行', { exact: true }).inputValue()).resolves.toBe('两件事项已约谈承办单位负责人');

    await desk.getByRole('button', { name: label('保存草稿') }).click();
    await desk.getByText('草稿已保存').waitFor();
    const after = (await http.get(`/api/bulletins/${number}`).set(auth).expect(200)).body;
    expect(after.draft.sections[1].blocks[0].text).toBe(sentence);
    expect(after.draft.highlights).toMatchObject({ criticismCount: 2, edited: true });
    expect(after.draft.highlights.criticism[1]).toBe('两件事项已约谈承办单位负责人');
    expect(after.draft.highlights.criticism[0]).toContain('DB2026-9001');
    expect(after.draft.highlights.criticism.join()).not.toContain('DB2026-9002');

    // Saved: leaving asks nothing.
    let dialogs = 0;
    desk.on('dialog', (d) => void (dialogs++, d.dismiss()));
    await desk.getByRole('menuitem', { name: '台账' }).click();
    await desk.waitForURL((u) => decodeURIComponent(u.pathname) === '/台账');
    expect(await desk.locator('.ant-modal-confirm').count()).toBe(0);
    expect(dialogs).toBe(0);

    // The same form on a phone: each line of the summary readable, its buttons under it.
    const phone = await open(PHONE);
    await signInWithToken(phone, t.url, tokens.sup, `/通报/${number}`);
    await phone.locator('[data-highlights="criticism"]').getByLabel('批评摘要第2行', { exact: true }).scrollIntoViewIfNeeded();
    await shot(phone, 'bulletin-highlights-phone');
  }, 600_000);
});
