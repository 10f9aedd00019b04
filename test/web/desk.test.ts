import { type Browser, type Page } from 'playwright-core';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import type { Board, Source } from '../../src/shared/vocabulary';
import { DESK, launchBrowser, openPage, PHONE, shot, signInWithToken } from '../support/browser';
import { type Org, seedOrg, type Someone } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15: the 工作台 by role and the 挂图作战, in real headless Chromium on the service and MariaDB. Each person's desk
 * shows what waits on them — the unit contact its item to sign and the one to report on, the 立项主体 the closure to
 * rate, the 分管领导 the approval to give — with the charts drawn; the wall shows the key tasks as units × tasks with
 * their lights, and prints without the menu.
 */
describe('工作台 and 挂图作战 in a browser (issue 15)', () => {
  let t: TestApp;
  let org: Org;
  let browser: Browser;
  const n = { sign: '', report: '', late: '', rate: '', approve: '' };

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-02', '09:00'), listen: true, schema: 'template' }); // a Monday
    org = await seedOrg(t);
    const cmd = t.get(ItemCommandsService);
    const reg = async (title: string, source: Source, board: Board, leadUnitId: number, date: string, coUnitIds: number[] = []) => {
      const item = await t.get(RegistrationService).register(
        {
          title,
          content: `${title}，按月报送进度。`,
          source,
          board,
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId,
          coUnitIds,
          deadline: { date },
        },
        org.supervisor.actor,
      );
      await cmd.assign(item.number, org.supervisor.actor);
      return item.number;
    };
    // Registered a week ago and due last Friday: the unit never answered, so it is red now.
    t.clock.set(shanghaiInstant('2026-02-23', '09:00'));
    n.late = await reg('整治背街小巷', 'meeting', 'key_task', org.units.co, '2026-02-27');
    t.clock.set(shanghaiInstant('2026-03-02', '09:00'));
    n.sign = await reg('推进老旧小区改造', 'work_report', 'key_task', org.units.lead, '2026-03-20');
    n.report = await reg('建设城市更新示范区', 'work_report', 'key_task', org.units.lead, '2026-03-06', [org.units.co]);
    await cmd.sign(n.report, org.leadContact.actor);
    await cmd.report(n.report, org.leadContact.actor, '已完成示范区规划编制。');
    n.rate = await reg('落实惠企资金兑付', 'instruction', 'daily', org.units.lead, '2026-03-31');
    await cmd.sign(n.rate, org.leadContact.actor);
    await cmd.report(n.rate, org.leadContact.actor, '一季度资金已全部兑付。');
    await cmd.requestClosure(n.rate, org.leadContact.actor, { summary: '资金已兑付到位，申请办结。' });
    n.approve = await reg('优化营商环境改革', 'reform', 'reform', org.units.other, '2026-03-31');
    await cmd.sign(n.approve, org.otherContact.actor);
    await cmd.report(n.approve, org.otherContact.actor, '改革方案已印发。');
    await cmd.requestClosure(n.approve, org.otherContact.actor, { summary: '方案已印发实施，申请办结。' });
    await cmd.rate(n.approve, org.owner.actor, 'good');
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const deskOf = async (who: Someone, size = DESK): Promise<Page> => {
    const page = await openPage(browser, size);
    await signInWithToken(page, t.url, who.token);
    return page;
  };
  /** One list of the desk, by its heading. */
  const queue = (page: Page, title: string) => page.locator('[data-queue]', { has: page.getByText(title, { exact: true }) });

  it('the unit contact finds the item to sign and the one to report on, each linked to its page', async () => {
    const page = await deskOf(org.leadContact);
    await queue(page, '待签收').getByText(n.sign).waitFor();
    expect(await queue(page, '待签收').innerText()).not.toContain(n.report);
    await queue(page, '待反馈').getByText(n.report).waitFor();
    expect(await queue(page, '待反馈').innerText()).toContain('请按期反馈进展');
    // Nothing of the owner's or the leader's work on a unit contact's desk.
    expect(await page.locator('[data-queue]', { hasText: '待评定' }).count()).toBe(0);
    await shot(page, 'desk-unit-contact');
    await queue(page, '待签收').getByText(n.sign).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/items/${n.sign}`);
    await page.getByText('推进老旧小区改造').first().waitFor();
  }, 120_000);

  it("the 立项主体's desk has the closure to rate, the 分管领导's the approval to give, and the charts are drawn", async () => {
    const owner = await deskOf(org.owner);
    await queue(owner, '待评定').getByText(n.rate).waitFor();
    expect(await queue(owner, '待评定').innerText()).toContain('落实惠企资金兑付');
    // The owner sees everything it registered: the late one among the overdue, with its light.
    await queue(owner, '逾期未反馈').getByText(n.late).waitFor();
    for (const chart of ['unit', 'source']) {
      const canvas = owner.locator(`[data-chart="${chart}"] canvas`).first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(100);
    }
    await shot(owner, 'desk-owner');

    const leader = await deskOf(org.leader);
    await queue(leader, '待审定').getByText(n.approve).waitFor();
    expect(await queue(leader, '待审定').innerText()).toContain('优化营商环境改革');
    expect(await leader.locator('[data-queue]', { hasText: '待签收' }).count()).toBe(0);
  }, 120_000);

  it('on a phone the desk is one column and nothing runs off the screen', async () => {
    const page = await deskOf(org.owner, PHONE);
    await queue(page, '待评定').getByText(n.rate).waitFor();
    await page.locator('[data-chart="unit"] canvas').first().waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone-desk');
  }, 120_000);

  it('挂图作战 shows the key tasks as units × tasks with their lights, and prints without the menu', async () => {
    const page = await openPage(browser, DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/挂图作战');
    const cell = (unit: string, number: string) => page.locator(`[data-cell="${unit}|${number}"]`);
    await cell('市发展改革委', n.sign).waitFor();
    const words = async (unit: string, number: string) => (await cell(unit, number).innerText()).split(/\s+/);
    expect(await words('市发展改革委', n.sign)).toEqual(expect.arrayContaining(['主办', '待签收', '绿', '尚未反馈']));
    expect(await words('市发展改革委', n.report)).toEqual(expect.arrayContaining(['主办', '办理中', '3月2日反馈', '绿']));
    expect(await words('市财政局', n.report)).toEqual(expect.arrayContaining(['协办', '待签收', '绿']));
    expect(await words('市财政局', n.late)).toEqual(expect.arrayContaining(['主办', '红']));
    // A unit with no part in a task has an empty cell; the daily item and the reform are not on the key-task wall.
    expect(await cell('市财政局', n.sign).count()).toBe(0);
    expect(await page.getByText(n.rate).count()).toBe(0);
    expect(await page.getByText(n.approve).count()).toBe(0);
    await shot(page, 'desk-wall');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: /打\s*印/ }).isHidden()).toBe(true);
    await page.getByText('重点工作挂图作战').first().waitFor();
    expect(await page.locator('[data-print-date]').innerText()).toContain('2026年3月2日');
    expect(await page.locator('[data-cell]').first().isVisible()).toBe(true);
    await shot(page, 'desk-wall-print');
    await page.emulateMedia({ media: 'screen' });

    // The reform board on the same page.
    await page.goto(`${t.url}/挂图作战?board=reform`);
    await cell('市教育局', n.approve).waitFor();
    expect(await cell('市教育局', n.approve).innerText()).toContain('待审定');
  }, 120_000);

  it('on a phone the wall scrolls sideways inside itself, the page does not', async () => {
    const page = await openPage(browser, PHONE);
    await signInWithToken(page, t.url, org.supervisor.token, '/挂图作战');
    await page.locator(`[data-cell="市发展改革委|${n.sign}"]`).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone-wall');
  }, 120_000);
});
