import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningDemo } from '../../scripts/demo/start-demo';
import { openSimulator, startDemoAndBrowser } from '../support/demo-browser';
import { DataSource } from 'typeorm';
import { TokenService } from '../../src/auth/token.service';
import { BulletinService } from '../../src/bulletins/bulletin.service';
import { Person } from '../../src/org/person.entity';
import { shanghaiDate } from '../../src/shared/shanghai-time';
import { buttonName, DESK, pickOption, shot } from '../support/browser';

/**
 * Issue 16 §5: the guided scenarios of `npm run demo`'s simulator. The demo as the script starts it (fake DingTalk and
 * WeCom on free ports, the service on a temporary SQLite file with the demo organisation) and one Chromium on /演示.
 * The 月度通报 scenario plays to the end — each step's caption shown, the 通报 arriving in the city-wide DingTalk and
 * WeCom groups' panes —; another scenario is stopped midway, the page says so and the visitor acts by hand.
 */

jest.setTimeout(300_000);

const name = buttonName;

let demo: RunningDemo;
let browser: Browser;
let desk: Page;

beforeAll(async () => {
  // The SDKs print "connect success" on every connection.
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  ({ demo, browser } = await startDemoAndBrowser('scn', {
    // Long enough to see each caption; the steps themselves wait for what they cause, never for a time.
    scenarioPace: { pauseMs: 1_500, patienceMs: 120_000 },
  }));
  desk = await openSimulator(browser, demo, DESK, Number(process.env.T ?? 120_000));
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  jest.restoreAllMocks();
});

const panel = (page: Page) => page.getByRole('region', { name: '演示场景' });
const pane = (page: Page, title: string, platform: '钉钉' | '企业微信', kind = '群') => page.getByRole('region', { name: `${title}（${platform}${kind}）` });

/** The pane at the left of the row of chats, and the page at its top (the console's header stays put). */
async function show(page: Page, where: Locator): Promise<void> {
  await where.evaluate((el) => el.scrollIntoView({ inline: 'start', block: 'nearest' }));
  await page.evaluate('window.scrollTo(0, 0)');
}

async function start(page: Page, title: string): Promise<void> {
  await pickOption(page, panel(page).getByLabel('选择演示场景'), title);
  await panel(page)
    .getByRole('button', { name: name('开始') })
    .click();
}

it("a DingTalk card sent one to one shows at once with its buttons — the leader's 审定 card, before anyone presses anything", async () => {
  // The page is up with the leader's chat (so the card comes over the live stream, not with the first load).
  await pane(desk, '赵副市长', '钉钉', '单聊').waitFor();
  await desk.getByText('● 实时').waitFor();
  // The 督查室 submits a 通报 in the console (the service the API calls, as 王督查); the leader's card reaches his chat.
  const people = demo.app.get(DataSource).getRepository(Person);
  const wang = (await demo.app.get(TokenService).actorFor((await people.findOneByOrFail({ name: '王督查' })).id, 'api'))!;
  const bulletins = demo.app.get(BulletinService);
  const [y, m] = shanghaiDate(demo.clock.now()).split('-').map(Number);
  const b = await bulletins.generate({ kind: 'monthly', period: m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}` }, wang);
  await bulletins.submit(b.number, wang);
  const card = pane(desk, '赵副市长', '钉钉', '单聊').locator('[data-card]').filter({ hasText: b.number });
  await card.getByRole('button', { name: name('同意印发') }).waitFor();
  await show(desk, pane(desk, '赵副市长', '钉钉', '单聊'));
  await shot(desk, 'simulator-scenario-leader-card');
});

it('B2: the 月度通报 scenario plays to the end — captions step by step, the 通报 arrives in a DingTalk and a WeCom group pane', async () => {
  await start(desk, '月度通报：从起草到推送工作群');
  const caption = panel(desk).locator('[data-scenario-caption]');
  await caption.filter({ hasText: '生成上个月的月度通报草稿' }).waitFor();
  // The leader's step: the caption says what to look at, and the card is in his one-to-one pane.
  await caption.filter({ hasText: '同意印发' }).waitFor();
  await panel(desk)
    .getByText(/第 3 \/ 4 步/)
    .waitFor();
  await show(desk, pane(desk, '赵副市长', '钉钉', '单聊'));
  await shot(desk, 'simulator-scenario-bulletin-playing');

  await panel(desk).locator('[data-scenario-over="done"]').waitFor();
  await panel(desk)
    .getByText(/已演示完毕/)
    .waitFor();
  // Each step is listed as done, with what came of it.
  const done = panel(desk).getByRole('list', { name: '已完成的步骤' }).getByRole('listitem');
  expect(await done.count()).toBe(4);
  await done.filter({ hasText: /已推送到钉钉和企业微信的全市督查通报群/ }).waitFor();

  const number = /TB\d{4}-\d{4}/.exec(await done.first().innerText())![0];
  for (const [title, platform] of [
    ['全市督查通报群（钉钉）', '钉钉'],
    ['全市督查通报群（企业微信）', '企业微信'],
  ] as const) {
    const group = pane(desk, title, platform);
    await group
      .getByText(/政务督查/)
      .first()
      .waitFor();
    await group.scrollIntoViewIfNeeded();
  }
  // DingTalk's markdown shows the chart itself, from the 通报's public link.
  const chart = pane(desk, '全市督查通报群（钉钉）', '钉钉').locator('img[alt="图表"]').first();
  await chart.waitFor();
  await desk.waitForFunction(
    (img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth > 0,
    await chart.elementHandle(),
  );
  // The leader approved on the DingTalk card: his copy no longer offers 同意印发.
  const leader = pane(desk, '赵副市长', '钉钉', '单聊');
  const card = leader.locator('[data-card]').filter({ hasText: number });
  await card.waitFor();
  expect(await card.getByRole('button', { name: name('同意印发') }).count()).toBe(0);
  await show(desk, leader);
  await shot(desk, 'simulator-scenario-bulletin-leader');
  await show(desk, pane(desk, '全市督查通报群（钉钉）', '钉钉'));
  await shot(desk, 'simulator-scenario-bulletin-done');
});

it('another scenario stopped midway: the page says it stopped, what happened stays, and the visitor acts by hand', async () => {
  await start(desk, '交办到审定：钉钉和企业微信各走一遍');
  const lead = pane(desk, '发改委督办群', '钉钉');
  // Let it get as far as 签收 on the DingTalk card, then take over.
  await panel(desk)
    .getByText(/第 3 \/ 12 步/)
    .waitFor();
  await panel(desk).getByRole('button', { name: /停止/ }).click();
  await panel(desk).locator('[data-scenario-over="stopped"]').waitFor();
  await panel(desk)
    .getByText(/已停止/)
    .waitFor();
  expect(
    await panel(desk)
      .getByRole('button', { name: name('开始') })
      .isEnabled(),
  ).toBe(true);

  // What the scenario did stays: the item it handed over is in the group, signed for.
  const done = panel(desk).getByRole('list', { name: '已完成的步骤' }).getByRole('listitem');
  const number = /DB\d{4}-\d{4}/.exec(await done.first().innerText())![0];
  const card = lead.locator('[data-card]').filter({ hasText: number });
  await card.waitFor();
  await card.getByRole('button', { name: name('签收') }).waitFor({ state: 'detached' });

  // The visitor carries on as 陈联络: a report typed in the group is answered.
  await desk.getByLabel('我是…').click();
  await desk.keyboard.type('陈联络');
  await desk.keyboard.press('Enter');
  const input = lead.getByLabel('在发改委督办群输入');
  await input.fill(`/反馈 ${number} 我来接着操作：已完成初稿`);
  await input.press('Enter');
  await lead.getByText(`@督办助手 /反馈 ${number} 我来接着操作：已完成初稿`).waitFor();
  await lead
    .getByText(/反馈已记录/)
    .last()
    .waitFor();
  // Nothing more is played after the stop: no 申请办结 by the scenario.
  expect(await lead.getByText('陈联络 点击了「申请办结」', { exact: false }).count()).toBe(0);
  await show(desk, lead);
  await shot(desk, 'simulator-scenario-stopped');
});
