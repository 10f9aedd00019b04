import { type Browser, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { DESK, launchBrowser, openPage, PHONE, shot } from '../support/browser';
import { OFFICE_CAST, seedCast } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { dingtalkStreamEnv } from '../support/platform-env';

const APP = { clientId: 'dingconsole', clientSecret: 'dingconsole-secret-0123456789', robotCode: 'dingconsole' };

/**
 * Issue 15, first step: the console in real headless Chromium (Debian's chromium through playwright-core), on the
 * service and MariaDB, the unit contact's sign-in link coming from the faithful fake DingTalk.
 */
describe('the console in a browser (issue 15)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let browser: Browser;
  const n = { late: '', fresh: '', other: '' };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400 });
    const clock = new OffsetClock();
    clock.advance(new Date('2026-03-16T02:00:00Z').getTime() - Date.now()); // Monday 10:00 in Shanghai
    t = await startTestApp({
      schema: 'template',
      clock,
      listen: true,
      env: dingtalkStreamEnv(fake, APP),
    });
    const { units, people } = await seedCast(t, OFFICE_CAST);
    const [fgw, czj, owner, leader, supervisor] = [units.FGW, units.CZJ, people.owner.id, people.leader.id, people.sup.actor];
    const reg = async (title: string, content: string, unit: number, date: string) => {
      // Registered in the past where the deadline is past: the clock goes back for it and forward again.
      const item = await t
        .get(RegistrationService)
        .register({ title, content, source: 'meeting', ownerId: owner, leaderId: leader, leadUnitId: unit, coUnitIds: [], deadline: { date } }, supervisor);
      await t.get(ItemCommandsService).assign(item.number, supervisor);
      return item.number;
    };
    clock.advance(-7 * 86_400_000);
    n.late = await reg('推进老旧小区改造', '年底前完成12个老旧小区改造，每月报送进度和现场照片。', fgw, '2026-03-11');
    clock.advance(7 * 86_400_000);
    n.fresh = await reg('整治背街小巷', '完成20条背街小巷整治。', fgw, '2026-04-10');
    n.other = await reg('落实惠企资金兑付', '按季度兑付惠企资金。', czj, '2026-04-10');
    await fake.waitFor(() => fake.connections() > 0, 10_000);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.stop();
  });

  const open = (size: typeof DESK): Promise<Page> => openPage(browser, size);

  it('the 督查室 signs in with the admin token at the desk, and the 台账 shows the items with their lights', async () => {
    const page = await open(DESK);
    await page.goto(`${t.url}/台账`);
    // Not signed in: the sign-in page, and back to the 台账 afterwards.
    await page.getByPlaceholder('管理令牌或个人令牌').fill(ADMIN_TOKEN);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === '/台账');
    const row = (number: string) => page.locator('tr', { hasText: number });
    await row(n.late).waitFor();
    expect(await row(n.late).innerText()).toContain('红');
    expect(await row(n.fresh).innerText()).toContain('绿');
    expect(await row(n.other).innerText()).toContain('市财政局');
    await shot(page, 'desk-ledger');
    // Signed out, the API refuses the cookie that was.
    const status = await page.evaluate(async () => (await fetch('/api/session', { method: 'DELETE' })).status);
    expect(status).toBe(204);
    expect(await page.evaluate(async () => (await fetch('/api/ledger')).status)).toBe(401);
  }, 120_000);

  it("the 台账 opened by its address asks for its first page as the console starts, before the page's code arrives, and shows it", async () => {
    const page = await open(DESK);
    await page.goto(`${t.url}/登录?next=${encodeURIComponent('/')}`);
    await page.getByPlaceholder('管理令牌或个人令牌').fill(ADMIN_TOKEN);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === '/');
    const asked: string[] = [];
    page.on('request', (r) => asked.push(decodeURIComponent(new URL(r.url()).pathname + new URL(r.url()).search)));
    await page.goto(`${t.url}/台账?light=red`);
    await page.locator('tr', { hasText: n.late }).waitFor();
    const first = asked.findIndex((u) => u.startsWith('/api/ledger?'));
    const chunk = asked.findIndex((u) => /\/assets\/LedgerPage-[^/]+\.js$/.test(u));
    expect(asked[first]).toContain('light=red');
    expect(chunk).toBeGreaterThan(-1);
    expect(first).toBeLessThan(chunk);
    // Only the red item: the filter in the address reached the early request.
    expect(await page.locator('tr', { hasText: n.fresh }).count()).toBe(0);
  }, 120_000);

  it("a unit contact at phone size signs in by the bot's one-time link and reads its own item", async () => {
    await fake.sendDirectText({ senderStaffId: 'dt-lead', text: '/登录' });
    const texts = () => fake.directMessages('dt-lead').map((m) => JSON.stringify(m));
    // A wait, not a timed assertion: on a machine shared with other runs the bot may answer slowly.
    const reply = await fake.waitFor(() => texts().find((s) => s.includes('code=')), 60_000);
    const link = /https?:\/\/[^\s"\\)]+code=[A-Za-z0-9_-]+/.exec(reply)![0];
    // The link names DUBAN_PUBLIC_URL (unset here: localhost:3000); the test app listens on a port of its own.
    const at = new URL(link);
    const local = `${t.url}${at.pathname}${at.search}`;
    const page = await open(PHONE);
    await page.goto(local);
    await page.waitForURL((u) => !u.search.includes('code='));
    await page.getByText('陈联络').first().waitFor();
    await page.goto(`${t.url}/items/${n.late}`);
    await page.getByText('每月报送进度和现场照片').first().waitFor();
    await shot(page, 'phone-item');
    // The link was for one use: opened again, it signs nobody in.
    const again = await open(PHONE);
    await again.goto(local);
    await again.getByText('登录链接未能使用').waitFor();
    // P4 through the console: another unit's item is not this contact's to see.
    const status = await page.evaluate(async (number) => (await fetch(`/api/items/${number}`)).status, n.other);
    expect(status).toBe(404);
    // A page not meant for this role, reached by its address: said in words, with the way back (no form that would fail).
    await page.goto(`${t.url}/立项`);
    await page.getByText('此页面不在您的职责范围内').waitFor();
    expect(await page.locator('body').innerText()).toContain('您当前的身份是承办单位联络员');
    expect(await page.getByText('保存立项').count()).toBe(0);
  }, 120_000);
});
