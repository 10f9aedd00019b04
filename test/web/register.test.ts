import { readFileSync } from 'node:fs';
import { Workbook } from 'exceljs';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { DESK, launchBrowser, openPage, PHONE, shot, signInWithToken } from '../support/browser';
import { OFFICE_CAST, seedCast } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { dingtalkStreamEnv } from '../support/platform-env';

const APP = { clientId: 'dingregister', clientSecret: 'dingregister-secret-0123456789', robotCode: 'dingregister' };

/**
 * Issue 15, 立项 and the full 台账 in real headless Chromium, on the service and MariaDB, the assignment card going out
 * through the faithful fake DingTalk: the 督查室 registers through the form, sees the due date worked out on the
 * official calendar before saving (2026-04-30, the day before 劳动节), saves once however often it clicks, lands on
 * the item, finds it on the 台账, and the unit's group gets the card; the 台账 filters by unit and light and exports
 * what it shows with a Chinese filter line; 分解立项 makes one child per unit.
 */
describe('立项 and the 台账 in a browser (issue 15)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let browser: Browser;
  let token = '';
  const n = { late: '', other: '' };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400 });
    const clock = new OffsetClock();
    clock.advance(new Date('2026-04-30T02:00:00Z').getTime() - Date.now()); // Thursday 10:00 in Shanghai, before 劳动节
    t = await startTestApp({
      schema: 'template',
      clock,
      listen: true,
      env: dingtalkStreamEnv(fake, APP),
    });
    const { units, people } = await seedCast(t, { ...OFFICE_CAST, units: { ...OFFICE_CAST.units, JYJ: '市教育局' } });
    const [fgw, czj, owner, leader, supervisor] = [units.FGW, units.CZJ, people.owner.id, people.leader.id, people.sup.actor];
    token = people.sup.token;
    const reg = async (title: string, unit: number, date: string) => {
      const item = await t
        .get(RegistrationService)
        .register(
          { title, content: `${title}，按期报送。`, source: 'meeting', ownerId: owner, leaderId: leader, leadUnitId: unit, deadline: { date } },
          supervisor,
        );
      await t.get(ItemCommandsService).assign(item.number, supervisor);
      return item.number;
    };
    // A late item of 市发展改革委 (registered a fortnight ago, due last week) and a fresh one of 市财政局.
    clock.advance(-14 * 86_400_000);
    n.late = await reg('推进老旧小区改造', fgw, '2026-04-24');
    clock.advance(14 * 86_400_000);
    n.other = await reg('落实惠企资金兑付', czj, '2026-05-28');
    await fake.waitFor(() => fake.connections() > 0, 10_000);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.stop();
  });

  /** A page that waits patiently: on a machine shared with other suites a page may take long to load (nothing here is timed). */
  const open = async (size: typeof DESK): Promise<Page> => {
    const page = await openPage(browser, size);
    page.setDefaultTimeout(120_000);
    return page;
  };

  /** Types into an antd Select found by its label and picks the option with this text. */
  const pick = async (page: Page, label: string, text: string, typed: string | null = text.slice(1, 3), scope: Page | Locator = page) => {
    const input = scope.getByLabel(label, { exact: true });
    await input.click();
    if (typed !== null) await input.fill(typed);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
  };
  const ledgerTotal = async (page: Page) => page.evaluate(async () => ((await (await fetch('/api/ledger')).json()) as { total: number }).total);

  it('the 督查室 registers through the form: the due date before saving, a field error next to the field, one item for a double click, the card in the unit’s group', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, token, '/立项');
    await page.getByLabel('标题').fill('推进政务服务一网通办');
    await page.getByLabel('办理要求').fill('按市政府常务会议纪要，6月底前实现高频事项一网通办，每周报送进展。');
    await pick(page, '来源', '会议议定事项', '会议');
    await page.getByLabel('来源文号').fill('市政府常务会议纪要〔2026〕12号');
    await pick(page, '分管领导', '赵副市长', '赵');
    await pick(page, '协办单位', '市财政局', '财政');
    await page.getByText('1天', { exact: true }).click();
    // C3: the due date on the official calendar, before anything is saved — 1 working day after 04-30 is 05-06.
    await page.getByText('办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延').waitFor();
    // No lead unit: the form says so next to the field and saves nothing.
    await page.getByRole('button', { name: '保存立项' }).click();
    const leadItem = page.locator('.ant-form-item', { has: page.getByLabel('主办单位', { exact: true }) });
    await leadItem.getByText('请选择主办单位').waitFor();
    expect(await ledgerTotal(page)).toBe(2);
    await shot(page, 'desk-register-error');
    await pick(page, '主办单位', '市发展改革委', '发展');
    await page.getByText('办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延').waitFor();
    await shot(page, 'desk-register');
    // 交办 right after saving is ticked by default; a double click saves once.
    expect(await page.getByLabel('保存后立即交办').isChecked()).toBe(true);
    await page.getByRole('button', { name: '保存立项' }).dblclick();
    await page.waitForURL((u) => decodeURIComponent(u.pathname).startsWith('/items/'));
    const number = decodeURIComponent(new URL(page.url()).pathname).split('/').pop()!;
    await page.getByText('6月底前实现高频事项一网通办').first().waitFor();
    expect(await ledgerTotal(page)).toBe(3);
    // On the 台账.
    await page.goto(`${t.url}/台账`);
    await page.locator('tr', { hasText: number }).waitFor();
    expect(await page.locator('tr', { hasText: number }).innerText()).toContain('市发展改革委');
    // 交办: the assignment card reaches 市发展改革委's DingTalk group at the fake.
    const card = await fake.waitFor(() => fake.groupMessages('cidFGW').find((m) => JSON.stringify(m).includes('推进政务服务一网通办')), 15_000);
    expect(JSON.stringify(card)).toContain(number);
  }, 600_000);

  it('the 台账 filters by unit and light, and exports what it shows with the filter in Chinese', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, token, '/台账');
    await page.locator('tr', { hasText: n.other }).waitFor();
    await pick(page, '单位', '市发展改革委', '发展');
    await pick(page, '灯', '红灯', null);
    await page.getByRole('button', { name: /查\s?询/ }).click();
    await page.waitForURL((u) => u.search.includes('light=red'));
    await page.locator('tr', { hasText: n.late }).waitFor();
    await page.locator('tr', { hasText: n.other }).waitFor({ state: 'detached' });
    expect(await page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    await shot(page, 'desk-ledger-filtered');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new Workbook();
    await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A1').text).toContain('筛选条件：承办单位 市发展改革委；预警 红灯');
    const numbers: string[] = [];
    ws.eachRow((row) => {
      const v = String(row.getCell(2).value ?? '');
      if (/^DB\d{4}-\d{4}$/.test(v)) numbers.push(v);
    });
    expect(numbers).toEqual([n.late]);
  }, 600_000);

  it('at phone size the 台账 hides its filters behind 「筛选」 and shows cards; the 立项 form fits', async () => {
    const page = await open(PHONE);
    await signInWithToken(page, t.url, token, '/台账');
    await page.getByText('推进老旧小区改造').first().waitFor();
    expect(await page.locator('.ant-table').count()).toBe(0);
    expect(await page.getByLabel('单位', { exact: true }).isVisible()).toBe(false);
    await shot(page, 'phone-ledger');
    await page.getByRole('button', { name: /^筛\s?选$/ }).click();
    await page.getByLabel('单位', { exact: true }).waitFor();
    await shot(page, 'phone-ledger-filters');
    await page.goto(`${t.url}/立项`);
    await page.getByLabel('标题').waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
    await shot(page, 'phone-register');
  }, 600_000);

  it('分解立项: the same page with ?parent= makes one child item per unit, each with its own 办理要求 and deadline', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, token, '/立项');
    await page.goto(`${t.url}/立项?parent=${n.other}`);
    await page.getByText('落实惠企资金兑付').first().waitFor();
    const row = (i: number) => page.locator(`[data-row="${i}"]`);
    await pick(page, '承办单位', '市教育局', '教育', row(0));
    await row(0).getByLabel('办理要求').fill('教育系统惠企资金兑付，5月底前完成。');
    await row(0).getByText('1天', { exact: true }).click();
    await row(0).getByText('办理期限：2026年5月6日（星期三）18:00，已按法定节假日顺延').waitFor();
    await page.getByRole('button', { name: '增加一项' }).click();
    await pick(page, '承办单位', '市发展改革委', '发展', row(1));
    await row(1).getByLabel('办理要求').fill('发改系统惠企资金兑付。');
    // The board's default (日常管理: 7 working days) — past 劳动节 and the 调休 Saturday, 05-13.
    await row(1).getByText('办理期限：2026年5月13日（星期三）18:00，已按法定节假日顺延').waitFor();
    await shot(page, 'desk-decompose');
    await page.getByRole('button', { name: '分解立项' }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/items/${n.other}`);
    const children = await page.evaluate(async (parent) => ((await (await fetch(`/api/items/${parent}`)).json()) as { children: string[] }).children, n.other);
    expect(children).toHaveLength(2);
    const first = await page.evaluate(
      async (c) => (await (await fetch(`/api/items/${c}`)).json()) as { leadUnit: { name: string }; content: string; deadline: string },
      children[0],
    );
    expect(first).toMatchObject({ leadUnit: { name: '市教育局' }, content: '教育系统惠企资金兑付，5月底前完成。', deadline: '2026-05-06T18:00:00+08:00' });
  }, 600_000);
});
