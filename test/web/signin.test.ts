import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { Item } from '../../src/cases/item.entity';
import { ItemRequest } from '../../src/cases/item-request.entity';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { eventually } from '../support/eventually';
import { seedCast } from '../support/fixtures';
import { buttonName, DESK, launchBrowser, PHONE, shot } from '../support/browser';
import { AGENT, BOT, CORP, dingtalkEnv, wecomEnv } from '../support/platform-env';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

const DT_APP = { clientId: 'dingweb', clientSecret: 'dingweb-secret-0123456789', robotCode: 'dingweb' };
const DT_CORP = 'dingwebcorp00000000000000000001';
/** What the two clients' built-in browsers say they are (the console looks for "DingTalk" and "wxwork"). */
const DINGTALK_UA =
  'Mozilla/5.0 (Linux; Android 13; V2238A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 AliApp(DingTalk/7.6.0) com.alibaba.android.rimet/7.6.0 Channel/700159 language/zh-CN';
const WECOM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light';

/**
 * The service's public address (DUBAN_PUBLIC_URL) as a port of its own forwarding to the service, as a reverse proxy
 * would: the address is known before the service starts, so the links the bot sends and WeCom's redirect_uri name it.
 */
async function forwarder(): Promise<{ server: Server; url: string; to(port: number): void }> {
  let target = 0;
  const server = createServer((inbound) => {
    const out = connect(target, '127.0.0.1');
    inbound.pipe(out).pipe(inbound);
    const end = () => {
      inbound.destroy();
      out.destroy();
    };
    inbound.on('error', end);
    out.on('error', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, to: (port) => (target = port) };
}

/**
 * Issue 15, sign-in by the platform in real headless Chromium: opened inside DingTalk (its user agent), the console
 * signs in by 免登 with the code the fake DingTalk's JSAPI gives for the person "on the phone"; inside WeCom, a card's
 * 申请延期 answers with a link to the item's page and its 延期 form, which goes through WeCom's web authorisation (the
 * fake's authorize page) and arrives signed in, `do=延期` still in the address. No token is ever typed.
 */
describe('signing in by the platform in a browser (issue 15)', () => {
  let dt: FakeDingTalk;
  let wx: FakeWeCom;
  let t: TestApp;
  let browser: Browser;
  let front: Awaited<ReturnType<typeof forwarder>>;
  let number = '';

  beforeAll(async () => {
    dt = await FakeDingTalk.start({ ...DT_APP, corpId: DT_CORP });
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    front = await forwarder();
    t = await startTestApp({
      schema: 'template',
      clock: new OffsetClock(),
      listen: true,
      env: {
        ...dingtalkEnv(dt, DT_APP),
        DINGTALK_CORP_ID: DT_CORP,
        DINGTALK_JSAPI_URL: dt.jsapiUrl,
        ...wecomEnv(wx),
        WECOM_OAUTH_BASE: wx.oauthBase,
        DUBAN_PUBLIC_URL: front.url,
      },
    });
    front.to(Number(new URL(t.url).port));
    const { units, people } = await seedCast(t, {
      units: { FGW: '市发展改革委' },
      groups: [{ platform: 'wecom', externalId: 'wrFGW', name: '发改委督办群', unit: 'FGW' }],
      people: {
        sup: { name: '王督查', roles: [{ role: 'supervisor' }], wecom: 'wx-sup' },
        owner: { name: '李秘书长', roles: [{ role: 'owner' }], wecom: 'wx-owner' },
        leader: { name: '赵副市长', roles: [{ role: 'leader' }], wecom: 'wx-leader' },
        chen: { name: '陈联络', roles: [{ role: 'unit_contact', unit: 'FGW' }], dingtalk: 'dt-chen', wecom: 'wx-chen' },
      },
    });
    const [fgw, owner, leader, supervisor] = [units.FGW, people.owner.id, people.leader.id, people.sup.actor];
    number = (
      await t.get(RegistrationService).register(
        {
          title: '推进老旧小区改造',
          content: '年底前完成12个老旧小区改造，每月报送进度和现场照片。',
          source: 'meeting',
          ownerId: owner,
          leaderId: leader,
          leadUnitId: fgw,
          deadline: { node: '7d' },
        },
        supervisor,
      )
    ).number;
    await t.get(ItemCommandsService).assign(number, supervisor);
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await dt?.stop();
    await wx?.stop();
    await new Promise((ok) => front?.server.close(ok));
  });

  const inside = async (userAgent: string, size = PHONE): Promise<Page> => {
    const page = await (
      await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', userAgent, isMobile: size === PHONE })
    ).newPage();
    page.setDefaultTimeout(120_000); // a shared, busy machine: waiting for what must appear, never timing it
    return page;
  };

  /** antd writes a two-character button as 「签 收」: the name with or without that space. */
  const name = buttonName;
  const dialog = (page: Page) => page.getByRole('dialog');
  const toolbar = (page: Page) => page.getByRole('toolbar', { name: '可办理' });

  it('inside DingTalk the console signs the person in by 免登, nothing typed, and shows their name', async () => {
    dt.putOnPhone('dt-chen');
    const page = await inside(DINGTALK_UA);
    await page.goto(`${front.url}/台账`);
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === '/台账');
    await page.getByText('陈联络').first().waitFor();
    await page.getByText('推进老旧小区改造').first().waitFor();
    await shot(page, 'signin-dingtalk-phone');
    // Signed in by the code the JSAPI asked the fake for, exchanged once by the service.
    const exchanges = dt.received.filter((c) => c.path === '/topapi/v2/user/getuserinfo');
    expect(exchanges.map((c) => (c.response as { errcode: number }).errcode)).toEqual([0]);
    expect(await page.getByPlaceholder('管理令牌或个人令牌').count()).toBe(0);

    // Still at phone size, from the item page: 签收, then 反馈 — it reaches the item's record.
    await page.getByText('推进老旧小区改造').first().click();
    await page.waitForURL((u) => u.pathname === `/items/${number}`);
    await toolbar(page)
      .getByRole('button', { name: name('签收') })
      .click();
    await dialog(page)
      .getByRole('button', { name: name('确认签收') })
      .click();
    await page.getByText('已签收。请按期办理').first().waitFor();
    await toolbar(page)
      .getByRole('button', { name: name('反馈进展') })
      .click();
    await dialog(page).getByLabel('办理进展').fill('已完成3个小区的入户调查，方案正在征求意见。');
    await dialog(page)
      .getByRole('button', { name: name('提交反馈') })
      .click();
    await page.getByText('反馈已报送，已告知立项主体').first().waitFor();
    const reports = await page.evaluate(
      async (num) => ((await (await fetch(`/api/items/${num}`)).json()) as { reports: { content: string }[] }).reports,
      number,
    );
    expect(reports.map((r) => r.content)).toEqual(['已完成3个小区的入户调查，方案正在征求意见。']);
    await shot(page, 'signin-dingtalk-phone-reported');
  }, 300_000);

  it('inside DingTalk, an account nobody registered is told to give its user id to the 督查室', async () => {
    dt.putOnPhone('dt-stranger');
    const page = await inside(DINGTALK_UA, DESK);
    await page.goto(`${front.url}/`);
    await page.getByText('您的钉钉账号还没有登记到督办系统').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('dt-stranger');
    expect(text).toContain('督查室');
    await shot(page, 'signin-dingtalk-unregistered-desk');
  }, 300_000);

  it("a WeCom card's 申请延期 links to the item's 延期 form; opened in WeCom it goes through the authorisation and arrives signed in", async () => {
    type WxCard = ReturnType<FakeWeCom['cards']> extends Map<string, infer C> ? C : never;
    const card = await wx.waitFor(() =>
      [...wx.cards().values()].find((c: WxCard) => c.via === 'bot' && c.chatId === 'wrFGW' && JSON.stringify(c.card).includes(number)),
    );
    await wx.botCardClick({ chatId: 'wrFGW', userId: 'wx-chen', taskId: card.taskId, eventKey: 'sign' });
    await eventually(async () => (await t.db.getRepository(Item).findOneByOrFail({ number })).state === 'in_progress');
    await wx.waitFor(() => ((card.current.button_list as { key: string }[]) ?? []).some((b) => b.key === 'extend'));
    await wx.botCardClick({ chatId: 'wrFGW', userId: 'wx-chen', taskId: card.taskId, eventKey: 'extend' });
    const texts = () => wx.groupMessages('wrFGW').map((m) => JSON.stringify(m));
    const reply = await wx.waitFor(() => texts().find((s) => s.includes('do=')));
    const said = JSON.parse(reply) as { markdown?: { content?: string }; text?: { content?: string } };
    const words = String(said.markdown?.content ?? said.text?.content ?? reply);
    // The command to type is still there; the link is offered as well.
    expect(words).toContain(`/延期 ${number} 新日期 理由`);
    const link = /https?:\/\/\S+?do=[^\s"\\)]+/.exec(words)![0];
    expect(link).toBe(`${front.url}/items/${number}?do=${encodeURIComponent('延期')}`);

    wx.putOnPhone('wx-chen');
    const page = await inside(WECOM_UA);
    await page.goto(link);
    await page.waitForURL(
      (u) => u.pathname === `/items/${number}` && u.searchParams.get('do') === '延期' && wx.received.some((c) => c.path === '/cgi-bin/auth/getuserinfo'),
    );
    await page.getByText('陈联络').first().waitFor();
    await page.getByText('每月报送进度和现场照片').first().waitFor();
    expect(new URL(page.url()).searchParams.get('do')).toBe('延期');
    // It went through WeCom's authorisation: the fake's authorize page was asked and its code redeemed once.
    const authorize = wx.received.filter((c) => c.path === '/connect/oauth2/authorize');
    expect(authorize).toHaveLength(1);
    expect(authorize[0].query).toMatchObject({ appid: CORP, scope: 'snsapi_base', agentid: String(AGENT.agentId) });
    expect(wx.received.filter((c) => c.path === '/cgi-bin/auth/getuserinfo').map((c) => (c.response as { userid?: string }).userid)).toEqual(['wx-chen']);
    await shot(page, 'signin-wecom-phone-item');

    // The 延期 form is open already: the contact asks for an extension from the phone.
    const item = await t.db.getRepository(Item).findOneByOrFail({ number });
    const later = new Date(item.deadlineAt.getTime() + 14 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await dialog(page).getByLabel('延期至').fill(later);
    await dialog(page).getByLabel('延期至').press('Enter');
    await dialog(page).getByLabel('延期理由').fill('两个小区的居民意见尚未统一，需再协调。');
    await dialog(page).getByLabel('落实方案').fill('两周内完成协调，随后完工。');
    await dialog(page)
      .getByRole('button', { name: name('提交延期申请') })
      .click();
    await page.getByText('延期申请已提交，等待立项主体审批').first().waitFor();
    const asked = await t.db.getRepository(ItemRequest).findBy({ itemId: item.id, kind: 'extension' });
    expect(asked.map((r) => r.status)).toEqual(['pending']);
    await shot(page, 'signin-wecom-phone-extension');
  }, 300_000);

  it('in WeCom, a member nobody registered arrives at a page saying whom to ask, with their user id', async () => {
    wx.putOnPhone('wx-stranger');
    const page = await inside(WECOM_UA);
    await page.goto(`${front.url}/items/${number}?do=${encodeURIComponent('延期')}`);
    await page.getByText('您的企业微信账号还没有登记到督办系统').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('wx-stranger');
    expect(text).toContain('督查室');
    await shot(page, 'signin-wecom-unregistered-phone');
  }, 300_000);

  it('when 免登 does not work (nobody signed in to DingTalk), the page says so and the token form still signs in', async () => {
    dt.putOnPhone(null);
    const page = await inside(DINGTALK_UA);
    await page.goto(`${front.url}/items/${number}`);
    await page.getByText('未能通过钉钉自动登录').waitFor();
    expect(await page.locator('body').innerText()).toContain('发送「/登录」');
    await shot(page, 'signin-dingtalk-failed-phone');
    await page.getByPlaceholder('管理令牌或个人令牌').fill(ADMIN_TOKEN);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => u.pathname === `/items/${number}`);
    await page.getByText('每月报送进度和现场照片').first().waitFor();
  }, 300_000);
});
