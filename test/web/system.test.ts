import { type Browser, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { DESK, launchBrowser, openPage, PHONE, shot, signInWithToken } from '../support/browser';
import { eventually } from '../support/eventually';
import { OFFICE_CAST, seedCast } from '../support/fixtures';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';
import { dingtalkStreamEnv } from '../support/platform-env';

const APP = { clientId: 'dingsystem', clientSecret: 'dingsystem-secret-0123456789', robotCode: 'dingsystem' };

/**
 * Issue 15, the system pages (提醒策略, 日历, 设置, 死信) in real headless Chromium, on the service and MariaDB, the
 * bot's messages going through the faithful fake DingTalk over real sockets.
 */
describe('the system pages in a browser (issue 15)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let browser: Browser;
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const pages: Page[] = [];

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
    // 市发展改革委 alone, with its DingTalk group.
    const { units, people } = await seedCast(t, { ...OFFICE_CAST, units: { FGW: OFFICE_CAST.units.FGW } });
    const [fgw, owner, leader, supervisor] = [units.FGW, people.owner.id, people.leader.id, people.sup.actor];
    // A 日常管理 item due on Wednesday: its reminders before the deadline are what a policy change moves.
    const item = await t.get(RegistrationService).register(
      {
        title: '推进老旧小区改造',
        content: '年底前完成12个老旧小区改造。',
        source: 'meeting',
        ownerId: owner,
        leaderId: leader,
        leadUnitId: fgw,
        coUnitIds: [],
        deadline: { date: '2026-03-18' },
      },
      supervisor,
    );
    await t.get(ItemCommandsService).assign(item.number, supervisor);
    await fake.waitFor(() => fake.connections() > 0, 10_000);
    browser = await launchBrowser();
  }, 240_000);
  afterEach(async () => {
    // A page left open keeps drawing: closed, it leaves the machine to the next test.
    for (const p of pages.splice(0)) await p.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.stop();
  });

  const signedIn = async (size: typeof DESK, path: string): Promise<Page> => {
    const page = await openPage(browser, size);
    // The console is built as the harness builds it, on a machine shared with other runs: slow, never wrong.
    page.setDefaultTimeout(90_000);
    pages.push(page);
    await signInWithToken(page, t.url, ADMIN_TOKEN, path);
    return page;
  };

  it('提醒策略: a change made in the form is previewed as a table of what it changes, saved, and appears as a new version', async () => {
    const page = await signedIn(DESK, '/提醒策略');
    const puts: string[] = [];
    page.on('request', (r) => r.method() === 'PUT' && puts.push(`${r.url()} ${r.postData()?.slice(0, 200)}`));
    await page.getByRole('tab', { name: '日常管理' }).click();
    const before = page.getByLabel('截止前第 1 次提醒（小时）');
    await before.waitFor();
    expect(await before.inputValue()).toBe('5');
    await before.fill('24');
    await page.getByRole('button', { name: '预览变更' }).click();
    const preview = page.getByTestId('preview-table');
    await preview.getByText('到期前提醒').first().waitFor();
    expect(await preview.innerText()).toContain('承办单位');
    expect(await preview.innerText()).toMatch(/新增|改期/);
    await shot(page, 'desk-reminders-preview');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText('已保存为第 2 版').waitFor();
    const versions = page.getByTestId('versions');
    await versions.getByText('第 2 版').waitFor();
    expect(await versions.innerText()).toContain('截止前提醒');
    const saved = await t.http().get('/api/reminder-policies/daily/versions').set(admin).expect(200);
    expect(saved.body.at(-1)).toMatchObject({ version: 2, beforeDeadline: [{ hours: 24 }], quietHours: { start: '22:00', end: '08:00' }, quietDays: true });
    // Only the policy changed got a new version.
    // The page sent one change, for the policy shown.
    expect(puts).toHaveLength(1);
    expect(puts[0]).toContain('/api/reminder-policies/daily ');
    const phone = await signedIn(PHONE, '/提醒策略');
    await phone.getByLabel('截止前第 1 次提醒（小时）').waitFor();
    await shot(phone, 'phone-reminders');
  }, 420_000);

  it('日历: a day the 督查室 sets as 放假 shows on the calendar and moves the working days the service counts', async () => {
    const page = await signedIn(DESK, '/日历');
    await page.goto(`${t.url}/日历?month=2026-04`);
    // 清明 from chinese-days is marked.
    await page.locator('[data-date="2026-04-05"]').getByText('清明', { exact: true }).waitFor();
    await page.locator('[data-date="2026-04-07"]').click();
    await page.getByRole('radio', { name: '放假' }).check();
    await page.getByLabel('原因').fill('防汛调休');
    await page.getByRole('button', { name: '保存调整' }).click();
    await page.locator('[data-date="2026-04-07"]').getByText('放假（调整）').waitFor();
    const r = await t.http().get('/api/calendar/working-days?from=2026-04-06&n=1').set(admin).expect(200);
    expect(r.body.date).toBe('2026-04-08');
    await page.getByTestId('overrides').getByText('防汛调休').waitFor();
    await shot(page, 'desk-calendar');
    // 2027 is not in the official data: the page says what to do.
    const later = await signedIn(PHONE, '/日历');
    await later.goto(`${t.url}/日历?month=2027-01`);
    await later.getByText('2027 年的法定节假日和调休安排还没有官方数据').waitFor();
    await shot(later, 'phone-calendar-2027');
  }, 420_000);

  it('设置: a wrong value comes back from the service and is shown next to its field', async () => {
    const page = await signedIn(DESK, '/设置');
    const dayEnd = page.getByLabel('每日办理截止时刻');
    await dayEnd.waitFor();
    expect(await dayEnd.inputValue()).toBe('18:00');
    await dayEnd.fill('25:00');
    await page.getByRole('button', { name: '保存设置' }).click();
    const field = page.locator('.ant-form-item', { has: page.getByLabel('每日办理截止时刻') });
    await field.locator('.ant-form-item-explain-error').getByText('时:分').waitFor();
    expect(await field.locator('.ant-form-item-explain-error').innerText()).not.toMatch(/[a-zA-Z]{3}/);
    await page.evaluate('window.scrollTo(0, 0)'); // the shell's sticky header then sits at the top of the full-page shot
    await shot(page, 'desk-settings-error');
    const phone = await signedIn(PHONE, '/设置');
    await phone.getByLabel('每日办理截止时刻').waitFor();
    await shot(phone, 'phone-settings');
  }, 420_000);

  it('死信: a reply DingTalk refused is listed in words, retried once on a double click, and arrives', async () => {
    fake.failNext('/v1.0/robot/oToMessages/batchSend', 1, { status: 400, code: 'invalidParameter', message: 'robotCode 不合法' });
    await fake.sendDirectText({ senderStaffId: 'dt-lead', text: '/帮助' });
    await eventually(async () => ((await t.http().get('/api/outbox/dead').set(admin)).body.length ? true : null), 60_000, 'a dead letter');
    expect(fake.directMessages('dt-lead')).toHaveLength(0);
    const page = await signedIn(DESK, '/死信');
    const row = page.locator('tr', { hasText: '陈联络' });
    await row.waitFor();
    expect(await row.innerText()).toContain('机器人回复');
    expect(await row.innerText()).toContain('机器人配置');
    await shot(page, 'desk-dead-letters');
    const retries: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/retry') && retries.push(r.url()));
    await row.getByRole('button', { name: '重试' }).dblclick();
    await fake.waitFor(() => fake.directMessages('dt-lead').length === 1, 60_000);
    await page.getByText('没有发送失败的消息').waitFor();
    expect(retries).toHaveLength(1);
    expect(fake.directMessages('dt-lead')).toHaveLength(1);
    const phone = await signedIn(PHONE, '/死信');
    await phone.getByText('没有发送失败的消息').waitFor();
    await shot(phone, 'phone-dead-letters');
  }, 420_000);
});
