import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { ScoringService } from '../../src/scoring/scoring.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { DESK, launchBrowser, openPage, PHONE, shot, SHOTS, signInWithToken } from '../support/browser';
import { Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, part E: 积分 and 责任追究 in the console — real headless Chromium on the real service and MariaDB. The 督查室
 * reads the ranking and a unit's lines, enters points by hand (and sees a refusal next to its field), takes an A2
 * step on a clue with its form, uploads a document and downloads the same bytes; a leader reads the clue on a phone.
 */
describe('积分 and 责任追究 in the console (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  let browser: Browser;
  let item = '';
  let clue = '';

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-16', '10:00'), listen: true });
    org = await seedOrg(t);
    // S1: an item included for 发改委 (lead) and 财政局 (co).
    const reg = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '年底前完成12个老旧小区改造。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.lead,
        coUnitIds: [org.units.co],
        deadline: { date: '2026-04-10' },
      },
      org.supervisor.actor,
    );
    item = reg.number;
    await t.get(ItemCommandsService).assign(item, org.owner.actor);
    // S10: 教育局 sent its material 3 days late (−3), entered by the 督查室 on 3 March.
    await t
      .get(ScoringService)
      .manual(
        { rule: 'S10', kind: 'late_material', days: 3, unitId: org.units.other, reason: '一季度材料迟报', at: shanghaiInstant('2026-03-03', '12:00') },
        org.supervisor.actor,
      );
    // A1: a clue the 督查室 registered by hand.
    const opened = await t
      .get(AccountabilityService)
      .openFrom(
        { kind: 'manual', unitId: org.units.other, unitName: '市教育局', requestId: 'seed-1', itemId: null, reason: '督查发现市教育局对群众反映问题推诿不办' },
        org.supervisor.actor,
      );
    clue = opened!.number;
    browser = await launchBrowser();
  }, 600_000);
  /** A fresh page; waits are long because 8 helpers share 2 cores here — a wait, never a timed assertion. */
  async function open(size: typeof DESK): Promise<Page> {
    const page = await openPage(browser, size);
    page.setDefaultTimeout(120_000);
    return page;
  }

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Picks an option of the antd Select labelled `label`. */
  async function choose(page: Page, label: string, option: string) {
    await page.getByLabel(label, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  }

  it('the 督查室 reads the ranking and a unit’s lines, and enters points by hand (a refusal shows next to its field)', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/积分');
    const row = (name: string) => page.locator('.ant-table-row', { hasText: name });
    await row('市教育局').waitFor();
    expect(await row('市教育局').innerText()).toContain('97');
    expect(await row('市教育局').innerText()).toContain('3'); // third of three
    expect(await row('市发展改革委').innerText()).toContain('100.5');
    // The lowest are marked, with what it means.
    await page.getByText('排名靠后').first().waitFor();

    // A unit's lines: date, reason in Chinese, points.
    await row('市教育局')
      .getByRole('button', { name: /明\s?细/ })
      .click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('迟报材料3天').waitFor();
    expect(await drawer.innerText()).toContain('2026-03-03');
    expect(await drawer.innerText()).toContain('一季度材料迟报');
    expect(await drawer.innerText()).toContain('−3');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    await row('市发展改革委')
      .getByRole('button', { name: /明\s?细/ })
      .click();
    await drawer.getByRole('link', { name: item }).waitFor();
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // A commendation, entered through the form (the kind in words, never the rule id).
    await page.getByRole('button', { name: '手工加减分' }).click();
    const modal = page.getByRole('dialog');
    await choose(page, '加减分事项', '获市级及以上表彰（主办单位）');
    await choose(page, '单位', '市发展改革委');
    await modal.getByText('+20 分').waitFor();
    await modal.getByLabel('理由').fill('获全省城市更新工作先进集体表彰');
    await modal
      .getByRole('button', { name: '记 分' })
      .or(modal.getByRole('button', { name: '记分' }))
      .first()
      .click();
    await modal.waitFor({ state: 'hidden' });
    await row('市发展改革委').filter({ hasText: '120.5' }).waitFor();

    // A finding caused by the co-unit, with the lead unit's deduction out of range: refused, next to the field.
    await page.getByRole('button', { name: '手工加减分' }).click();
    await choose(page, '加减分事项', '督查发现问题');
    await modal.getByLabel('事项编号').fill(item);
    await choose(page, '造成问题的协办单位', '市财政局');
    await modal.getByLabel('主办单位扣分').fill('-5');
    await modal.getByLabel('理由').fill('实地督查发现进度不实');
    await modal
      .getByRole('button', { name: '记 分' })
      .or(modal.getByRole('button', { name: '记分' }))
      .first()
      .click();
    const help = modal.locator('.ant-form-item', { has: page.getByLabel('主办单位扣分') }).locator('.ant-form-item-explain');
    await help.getByText('主办单位扣分须在').waitFor();
    // What was typed stays.
    expect(await modal.getByLabel('理由').inputValue()).toBe('实地督查发现进度不实');
    await page.screenshot({ path: join(SHOTS, 'desk-scores-refused.png') });
    await modal.getByRole('button', { name: /取\s?消/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await shot(page, 'desk-scores');
    // Nothing was recorded for the refused entry.
    expect(await row('市财政局').innerText()).toContain('100.5');
  }, 600_000);

  it('Principle 6: a manual entry left without a date is dated by the service’s clock, not the browser’s', async () => {
    // The service stands on 2026-03-16; the browser's own calendar says another day.
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/积分');
    const row = (name: string) => page.locator('.ant-table-row', { hasText: name });
    await row('市教育局').waitFor();
    await page.getByRole('button', { name: '手工加减分' }).click();
    const modal = page.getByRole('dialog');
    await choose(page, '加减分事项', '迟报材料');
    await choose(page, '单位', '市教育局');
    await modal.getByLabel('迟报天数').fill('1');
    await modal.getByLabel('理由').fill('二季度材料迟报一天');
    // No date is put in by the browser: the field says the service's today is used.
    expect(await modal.getByLabel('发生日期').inputValue()).toBe('');
    await modal.getByPlaceholder('不选即为今天').waitFor();
    await page.screenshot({ path: join(SHOTS, 'desk-scores-manual-date.png') });
    await modal
      .getByRole('button', { name: '记 分' })
      .or(modal.getByRole('button', { name: '记分' }))
      .first()
      .click();
    await modal.waitFor({ state: 'hidden' });
    await row('市教育局')
      .getByRole('button', { name: /明\s?细/ })
      .click();
    const drawer = page.getByRole('dialog');
    const line = drawer.locator('.ant-table-row', { hasText: '二季度材料迟报一天' });
    await line.waitFor();
    expect(await line.innerText()).toContain('2026-03-16');
  }, 600_000);

  it('the 督查室 opens a clue, hands it over with its form, uploads a document and downloads the same bytes', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/责任追究');
    const row = page.locator('.ant-table-row', { hasText: clue });
    await row.waitFor();
    expect(await row.innerText()).toContain('市教育局');
    expect(await row.innerText()).toContain('督查室移交');
    expect(await row.innerText()).toContain('问题线索');
    await shot(page, 'desk-clues');
    await row.getByRole('link', { name: clue }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/责任追究/${clue}`);

    // A2: the step this viewer may take, with its form.
    await page.getByRole('button', { name: '移交线索' }).click();
    const modal = page.getByRole('dialog');
    await modal.waitFor();
    await modal.getByLabel('问责建议').fill('建议对市教育局予以通报');
    await modal
      .getByRole('button', { name: '确 定' })
      .or(modal.getByRole('button', { name: '确定' }))
      .first()
      .click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.clue-state', { hasText: '已移交' }).waitFor();
    await page.getByText('建议对市教育局予以通报').first().waitFor();

    // A document: uploaded through the page, then downloaded — the same bytes.
    const bytes = Buffer.from('%PDF-1.4\n核查报告：市教育局推诿不办问题属实。\n%%EOF\n', 'utf8');
    await page.locator('input[type=file]').setInputFiles({ name: '核查报告.pdf', mimeType: 'application/pdf', buffer: bytes });
    const link = page.getByRole('link', { name: '核查报告.pdf' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(Buffer.compare(readFileSync((await download.path())!), bytes)).toBe(0);
    await shot(page, 'desk-clue');
  }, 600_000);

  it('a leader at phone size reads the clue', async () => {
    const page = await open(PHONE);
    await signInWithToken(page, t.url, org.leader.token, `/责任追究/${clue}`);
    await page.getByText('市教育局').first().waitFor();
    await page.locator('.clue-state', { hasText: '已移交' }).waitFor();
    await page.getByText('核查报告.pdf').first().waitFor();
    // Not the leader's step now: no buttons for the 督查室's steps, and the page says whose turn it is.
    expect(await page.getByRole('button', { name: '开始核查' }).count()).toBe(0);
    await page.getByText('督查室').first().waitFor();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(375);
    await shot(page, 'phone-clue');
    // The ranking on the phone: a leader reads it and a unit's lines.
    await page.goto(`${t.url}/积分`);
    await page.locator('.ant-table-row', { hasText: '市教育局' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await page.getByRole('button', { name: '手工加减分' }).count()).toBe(0);
    await shot(page, 'phone-scores');
  }, 600_000);
});
