import type { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { RunningDemo } from '../../scripts/demo/start-demo';
import { openSimulator, startDemoAndBrowser } from '../support/demo-browser';
import { TokenService } from '../../src/auth/token.service';
import { Person } from '../../src/org/person.entity';
import { buttonName, openPage, PHONE, shot } from '../support/browser';

/**
 * Issue 16 (first step): `npm run demo`'s chat simulator in the console. The demo as the script starts it — fake
 * DingTalk and WeCom on free ports, the service on a temporary SQLite file with the demo organisation — and one
 * Chromium. The printed link lands on /演示 signed in; a unit contact types a command in a WeCom group pane and the
 * bot's reply and the owner's notice arrive in their panes; a DingTalk card's 签收 changes the card in every group
 * that has it. Each action goes through the fake's real path (the AI bot's long connection, a Stream frame).
 */

jest.setTimeout(240_000);

const name = buttonName;

let demo: RunningDemo;
let browser: Browser;
let desk: Page;

beforeAll(async () => {
  // The SDKs print "connect success" on every connection.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  ({ demo, browser } = await startDemoAndBrowser('sim'));
  desk = await openSimulator(browser, demo);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  jest.restoreAllMocks();
});

const pane = (page: Page, title: string, platform: '钉钉' | '企业微信', kind = '群') => page.getByRole('region', { name: `${title}（${platform}${kind}）` });

async function iAm(page: Page, person: string): Promise<void> {
  await page.getByLabel('我是…').click();
  await page.keyboard.type(person);
  await page.keyboard.press('Enter');
}

async function say(where: Locator, title: string, text: string): Promise<void> {
  await where.getByLabel(`在${title}输入`).fill(text);
  await where.getByLabel(`在${title}输入`).press('Enter');
}

it("the link lands on 演示 signed in, with the menu entry; a contact of a WeCom unit reports in its group and the reply and the owner's notice arrive", async () => {
  await desk.getByRole('menuitem', { name: '演示' }).waitFor();
  const group = pane(desk, '教育局督办群', '企业微信');
  await group.waitFor();
  // DB2026-0002 is registered but not handed over in the demo: its owner (王督查) hands it over; the card reaches the group.
  const owner = await demo.app.get(DataSource).getRepository(Person).findOneByOrFail({ name: '王督查' });
  const { token } = await demo.app.get(TokenService).issue(owner.id, 'simulator test');
  const assigned = await fetch(`${demo.url}/api/items/DB2026-0002/assign`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(assigned.status).toBeLessThan(300);
  await group.locator('[data-card]').filter({ hasText: 'DB2026-0002' }).waitFor();

  await iAm(desk, '钱联络');
  await say(group, '教育局督办群', '/签收 DB2026-0002');
  await group.getByText(/已签收。办理中请随时反馈/).waitFor();
  await say(group, '教育局督办群', '/反馈 DB2026-0002 已完成初稿');
  // What the person typed, with the mention a phone adds, then the bot's answer in the same group.
  await group.getByText('@督办助手 /反馈 DB2026-0002 已完成初稿').waitFor();
  await group.getByText(/反馈已记录/).waitFor();
  // The owner (王督查, who registered it) is told in a one-to-one chat with the bot.
  const notice = desk.locator('section[aria-label^="王督查（"]').filter({ hasText: '已完成初稿' });
  await notice.first().waitFor();
  await notice.first().scrollIntoViewIfNeeded();
  await shot(desk, 'simulator-desk-wecom-report');
});

it('签收 on a DingTalk card changes that card in every group that has it', async () => {
  const lead = pane(desk, '发改委督办群', '钉钉');
  const co = pane(desk, '住建局督办群', '钉钉');
  const card = (where: Locator) => where.locator('[data-card]').filter({ hasText: 'DB2026-0003' });
  await card(lead)
    .getByRole('button', { name: name('签收') })
    .waitFor();
  const before = await card(co).locator('[data-state]').innerText();

  await iAm(desk, '陈联络');
  await card(lead)
    .getByRole('button', { name: name('签收') })
    .click();
  await lead.getByText('陈联络 点击了「签收」', { exact: false }).waitFor();
  await card(lead)
    .getByRole('button', { name: name('签收') })
    .waitFor({ state: 'detached' });
  // The other DingTalk group's copy of the same item follows (updated after the commit).
  await card(co).locator('[data-state]').filter({ hasNotText: before }).waitFor();
  const after = await card(lead).locator('[data-state]').innerText();
  expect(after).not.toBe(before);
  expect(await card(co).locator('[data-state]').innerText()).toBe(after);
  await card(lead).scrollIntoViewIfNeeded();
  await shot(desk, 'simulator-desk-dingtalk-sign');
});

it('refuses in Chinese what cannot be done: someone outside the chat, an empty text', async () => {
  const outsider = await desk.request.post(`${demo.url}/api/demo/sim/say`, {
    headers: { Origin: demo.url },
    data: { chatId: 'dingtalk:group:cidFGW0000000000000000001', userId: 'wx-qian', text: '/帮助' },
  });
  expect(outsider.status()).toBe(400);
  expect((await outsider.json()).message).toMatch(/不在「发改委督办群」中.*换一位/);
  const empty = await desk.request.post(`${demo.url}/api/demo/sim/say`, {
    headers: { Origin: demo.url },
    data: { chatId: 'dingtalk:group:cidFGW0000000000000000001', userId: 'dt-chen', text: '   ' },
  });
  expect(empty.status()).toBe(400);
  expect((await empty.json()).message).toMatch(/请先输入/);
});

it('on a phone: the chat list, then one chat at a time', async () => {
  const phone = await openPage(browser, PHONE);
  phone.setDefaultTimeout(90_000);
  await phone.goto(await demo.signInLink());
  await phone.waitForURL((u) => decodeURIComponent(u.pathname) === '/演示');
  await phone.getByRole('button', { name: '打开发改委督办群（钉钉）' }).click();
  const lead = pane(phone, '发改委督办群', '钉钉');
  await lead.locator('[data-card]').filter({ hasText: 'DB2026-0003' }).waitFor();
  expect(await phone.getByRole('region').count()).toBe(1);
  await shot(phone, 'simulator-phone-dingtalk');
  await phone.getByRole('button', { name: '返回聊天列表' }).click();
  await phone.getByRole('button', { name: '打开教育局督办群（企业微信）' }).waitFor();
  await phone.context().close();
});
