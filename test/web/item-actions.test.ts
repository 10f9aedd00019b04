import { type Browser, type Page } from 'playwright-core';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OffsetClock } from '../../src/shared/clock';
import { join } from 'node:path';
import { buttonName, DESK, launchBrowser, openPage, PHONE, pickOption, settled, shot, SHOTS, signInWithToken } from '../support/browser';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { dingtalkStreamEnv } from '../support/platform-env';

const APP = { clientId: 'dingactions', clientSecret: 'dingactions-secret-0123456789', robotCode: 'dingactions' };

/**
 * Issue 15: the item page's buttons — what THIS person may press now (GET /api/items/{n}/actions), each with its form,
 * carried out through the API — in real headless Chromium on the service and MariaDB, messages going out to the
 * faithful fake DingTalk over real sockets. People sign in with their own tokens (TokenService.issue, via seedOrg).
 */
describe('the item page: the buttons this person may press now (issue 15)', () => {
  let fake: FakeDingTalk;
  let t: TestApp;
  let org: Org;
  let browser: Browser;
  const n = { fresh: '', closing: '', busy: '', urge: '', back: '', refuse: '', moved: '', served: '', draft: '' };

  beforeAll(async () => {
    fake = await FakeDingTalk.start({ ...APP, redeliverAfterMs: 400 });
    const clock = new OffsetClock();
    clock.advance(new Date('2026-03-16T02:00:00Z').getTime() - Date.now()); // Monday 16 March, 10:00 in Shanghai
    t = await startTestApp({
      schema: 'template',
      clock,
      listen: true,
      env: dingtalkStreamEnv(fake, APP),
    });
    org = await seedOrg(t);
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    const item = async (title: string, content: string, more: { servedParty?: string; draft?: boolean } = {}) => {
      const i = await reg.register(
        {
          title,
          content,
          source: 'meeting',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          coUnitIds: [],
          deadline: { date: '2026-04-10' },
          ...more,
        },
        org.supervisor.actor,
      );
      if (!more.draft) await cmd.assign(i.number, org.supervisor.actor);
      return i.number;
    };
    n.fresh = await item('推进老旧小区改造', '年底前完成12个老旧小区改造，每月报送进度和现场照片。');
    n.closing = await item('整治背街小巷', '完成20条背街小巷整治。');
    await cmd.sign(n.closing, org.leadContact.actor);
    await cmd.requestClosure(n.closing, org.leadContact.actor, { summary: '20条背街小巷全部整治完毕，附验收记录。' });
    n.busy = await item('落实惠企资金兑付', '按季度兑付惠企资金。');
    await cmd.sign(n.busy, org.leadContact.actor);
    // For the remaining forms: an item with a report and a pending extension; one awaiting the leader's 审定.
    n.urge = await item('推进农贸市场升级改造', '年内完成8个农贸市场升级改造。');
    await cmd.sign(n.urge, org.leadContact.actor);
    await cmd.report(n.urge, org.leadContact.actor, '已完成3个市场的方案设计。');
    await cmd.requestExtension(n.urge, org.leadContact.actor, {
      newDeadline: new Date('2026-04-30T10:00:00Z'),
      reason: '招标延后。',
      plan: '4月20日前完成招标。',
    });
    n.back = await item('规范停车收费管理', '清理规范道路停车收费。');
    await cmd.sign(n.back, org.leadContact.actor);
    await cmd.requestClosure(n.back, org.leadContact.actor, { summary: '已完成清理，收费公示到位。' });
    await cmd.rate(n.back, org.owner.actor, 'good', '按期完成。');
    // E1: an extension the owner will refuse; C5: one the 督查室 hands to other units, one still a draft.
    n.refuse = await item('推进城区排水管网改造', '汛期前完成城区排水管网改造。');
    await cmd.sign(n.refuse, org.leadContact.actor);
    await cmd.requestExtension(n.refuse, org.leadContact.actor, {
      newDeadline: new Date('2026-05-08T10:00:00Z'),
      reason: '等待省级专项资金下达。',
      plan: '资金到位后30日内完工。',
    });
    n.moved = await item('建设智慧停车平台', '年内建成全市智慧停车平台。');
    n.draft = await item('开展营商环境满意度调查', '6月底前完成营商环境满意度调查。', { draft: true });
    // D1: an item with a 服务对象 who has twice not agreed to close it.
    n.served = await item('解决安置小区供暖问题', '本采暖季内解决安置小区供暖不达标问题。', { servedParty: '安置小区业主委员会' });
    await cmd.sign(n.served, org.leadContact.actor);
    for (const summary of ['已更换换热站设备。', '已完成管网保温改造。'])
      await cmd.requestClosure(n.served, org.leadContact.actor, { summary, servedPartyAgreed: false });
    await fake.waitFor(() => fake.connections() > 0, 10_000);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.stop();
  });

  const pages: Page[] = [];
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close();
  });

  const signedIn = async (size: typeof DESK, token: string, number: string): Promise<Page> => {
    const page = await openPage(browser, size);
    pages.push(page);
    await signInWithToken(page, t.url, token, `/items/${number}`);
    await page.getByText('一事一卷').first().waitFor();
    return page;
  };
  const dialog = (page: Page) => page.getByRole('dialog');
  /** antd writes a two-character button as 「签 收」: the name with or without that space. */
  const name = buttonName;
  const texts = async (page: Page) => (await toolbar(page).getByRole('button').allInnerTexts()).map((s) => s.replace(/\s/g, ''));
  /** A phone's screen as it is seen (the bar fixed at the bottom), not the whole page. */
  const seen = (page: Page, file: string) => page.screenshot({ path: join(SHOTS, `${file}.png`) });
  /** What the screen shows (a form in a drawer is drawn once it has slid in). */
  const screen = async (page: Page, file: string) => {
    await dialog(page).last().waitFor();
    await settled(page); // the drawer's slide-in, so the picture is not caught half-way (not an assertion)
    await page.screenshot({ path: join(SHOTS, `${file}.png`) });
  };
  const toolbar = (page: Page) => page.getByRole('toolbar', { name: '可办理' });
  const reportsOf = (page: Page, number: string) =>
    page.evaluate(async (num) => ((await (await fetch(`/api/items/${num}`)).json()) as { reports: unknown[] }).reports.length, number);

  it('a unit contact at phone size signs for the item, reports (the text reaches the timeline) and asks for an extension', async () => {
    const page = await signedIn(PHONE, org.leadContact.token, n.fresh);
    // Not yet signed: 签收 and 申请延期 in the bar at the bottom; no 反馈 before signing.
    await toolbar(page)
      .getByRole('button', { name: name('签收') })
      .waitFor();
    expect(await texts(page)).toEqual(['签收', '申请延期']);
    await seen(page, 'item-actions-phone-unit-bar');
    await toolbar(page)
      .getByRole('button', { name: name('签收') })
      .click();
    await dialog(page)
      .getByRole('button', { name: name('确认签收') })
      .click();
    await page.getByText('已签收。请按期办理').first().waitFor();
    await page.getByText('市发展改革委（已签收）').waitFor();

    await toolbar(page)
      .getByRole('button', { name: name('反馈进展') })
      .click();
    await dialog(page).getByLabel('办理进展').fill('已完成5个小区外立面改造，现场照片已上传。');
    await screen(page, 'item-actions-phone-report-form');
    await dialog(page)
      .getByRole('button', { name: name('提交反馈') })
      .click();
    await page.getByText('反馈已报送，已告知立项主体').first().waitFor();
    // In the 一事一卷 timeline (and the reports), read again from the service.
    await page.getByText('反馈：已完成5个小区外立面改造，现场照片已上传。').waitFor();

    // 申请延期: the form shows the current deadline and the last day to ask (E1: 2 working days before 10 April).
    await toolbar(page).getByRole('button', { name: /更多/ }).click();
    await page.getByRole('menuitem', { name: '申请延期' }).click();
    await dialog(page).getByText('本事项最迟于 2026年4月8日（含当日）申请').waitFor();
    // Submitted empty: the form says what is missing next to each field, nothing is sent.
    await dialog(page)
      .getByRole('button', { name: name('提交延期申请') })
      .click();
    await dialog(page).getByText('请写明延期理由。').waitFor();
    await dialog(page).getByLabel('延期至').fill('2026-04-24');
    await dialog(page).getByLabel('延期至').press('Enter');
    await dialog(page).getByLabel('延期理由').fill('两个小区的居民意见尚未统一，需再协调。');
    await dialog(page).getByLabel('落实方案').fill('4月15日前完成协调，4月24日前完工。');
    await screen(page, 'item-actions-phone-extension-form');
    await dialog(page)
      .getByRole('button', { name: name('提交延期申请') })
      .click();
    await page.getByText('延期申请已提交，等待立项主体审批').first().waitFor();
    await page.getByText(/申请延期至 2026-04-24 18:00/).waitFor();
    await shot(page, 'item-actions-phone-unit-after');
    // A pending extension: 申请延期 is no longer offered, 撤回申请 is.
    await toolbar(page).getByRole('button', { name: /更多/ }).click();
    await page.getByRole('menuitem', { name: '撤回申请' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '申请延期' }).count()).toBe(0);
  }, 400_000);

  it('the owner at the desk decides the extension: 同意延期 moves the deadline to the date asked for', async () => {
    const page = await signedIn(DESK, org.owner.token, n.fresh);
    await page.getByRole('button', { name: name('审批延期') }).click();
    // The form names the request being decided.
    await dialog(page).getByText('两个小区的居民意见尚未统一，需再协调。').waitFor();
    await dialog(page)
      .getByRole('button', { name: name('同意延期') })
      .click();
    await page
      .getByText(/已同意延期，办理期限改为 2026年4月24日/)
      .first()
      .waitFor();
    await page.getByText('2026年4月24日 18:00').first().waitFor();
    expect(await page.getByRole('button', { name: name('审批延期') }).count()).toBe(0);
    await shot(page, 'item-actions-desk-extension-approved');
  }, 400_000);

  it('the owner at the desk rates (评定) a closure request', async () => {
    const page = await signedIn(DESK, org.owner.token, n.closing);
    await page.getByRole('button', { name: name('评定') }).click();
    // Submitted without a grade: told next to the grades.
    await dialog(page)
      .getByRole('button', { name: name('提交评定') })
      .click();
    await dialog(page).getByText('请选择评定等次。').waitFor();
    for (const grade of ['优秀', '良好', '合格', '不合格']) await dialog(page).getByText(grade, { exact: true }).waitFor();
    await dialog(page).getByText('良好', { exact: true }).click();
    await dialog(page)
      .getByLabel(/评定意见/)
      .fill('按期完成，群众满意。');
    await screen(page, 'item-actions-desk-rate-form');
    await dialog(page)
      .getByRole('button', { name: name('提交评定') })
      .click();
    await page.getByText('已评定为「良好」，已报分管领导审定。').first().waitFor();
    await page.getByText('待审定', { exact: true }).first().waitFor();
    // Rated: nothing left for the owner to press on it.
    expect(await page.getByRole('button', { name: name('评定') }).count()).toBe(0);
    await shot(page, 'item-actions-desk-owner-after');
  }, 400_000);

  it('the leader at phone size approves (审定) and the item is 办结', async () => {
    const page = await signedIn(PHONE, org.leader.token, n.closing);
    await toolbar(page)
      .getByRole('button', { name: name('审定') })
      .waitFor();
    expect(await texts(page)).toEqual(['审定', '退回']);
    await seen(page, 'item-actions-phone-leader-bar');
    await toolbar(page)
      .getByRole('button', { name: name('审定') })
      .click();
    // The leader sees what is being approved: the owner's grade and the unit's account of the work.
    await dialog(page).getByText('立项主体评定：良好（按期完成，群众满意。）').waitFor();
    await screen(page, 'item-actions-phone-signoff-form');
    await dialog(page)
      .getByRole('button', { name: name('同意办结') })
      .click();
    await page.getByText('已审定，事项办结销号').first().waitFor();
    await page.getByText('已办结', { exact: true }).first().waitFor();
    await page.getByText(/审定办结，销号/).waitFor();
    expect(await toolbar(page).count()).toBe(0);
    await shot(page, 'item-actions-phone-leader-after');
  }, 400_000);

  it('a person whose role has no action here sees the item without any action button', async () => {
    const page = await signedIn(DESK, org.otherLeader.token, n.busy);
    await page.getByText('按季度兑付惠企资金').waitFor();
    // The page marks how many actions it drew once the service answered: none.
    await page.locator('[data-actions="0"]').waitFor({ state: 'attached' });
    expect(await page.getByText('可办理').count()).toBe(0);
    for (const label of ['签收', '反馈进展', '申请办结', '申请延期', '评定', '审定', '退回', '催办', '归档'])
      expect(await page.getByRole('button', { name: name(label) }).count()).toBe(0);
    await shot(page, 'item-actions-desk-no-actions');
    // Nor can the page call what it does not show: the API refuses the same person, in Chinese.
    const refused = await page.evaluate(async (num) => {
      const r = await fetch(`/api/items/${num}/sign-off`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: r.status, body: (await r.json()) as { message: string } };
    }, n.busy);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/[\u4e00-\u9fa5]/);
  }, 400_000);

  it('a double click on submit files one report', async () => {
    const page = await signedIn(DESK, org.leadContact.token, n.busy);
    expect(await reportsOf(page, n.busy)).toBe(0);
    await page.getByRole('button', { name: name('反馈进展') }).click();
    await dialog(page).getByLabel('办理进展').fill('第一季度资金已兑付。');
    await dialog(page)
      .getByRole('button', { name: name('提交反馈') })
      .dblclick();
    await page.getByText('反馈已报送，已告知立项主体').first().waitFor();
    await page.getByText('反馈：第一季度资金已兑付。').waitFor();
    expect(await reportsOf(page, n.busy)).toBe(1);
  }, 400_000);

  it('?do=反馈 in the address opens the form at once; ?do=退回 for someone who may not says why', async () => {
    const page = await signedIn(PHONE, org.leadContact.token, n.busy);
    await page.goto(`${t.url}/items/${n.busy}?do=${encodeURIComponent('反馈')}`);
    await dialog(page).getByLabel('办理进展').waitFor();
    await screen(page, 'item-actions-phone-do-report');
    // 退回 is the owner's: the unit contact is told so, and no form opens.
    await page.goto(`${t.url}/items/${n.busy}?do=${encodeURIComponent('退回')}`);
    await page.getByText('您现在不能退回：退回由本事项的立项主体办理').waitFor();
    expect(await dialog(page).count()).toBe(0);
  }, 400_000);
  it('the unit withdraws its pending extension (撤回申请) at phone size, and may ask again', async () => {
    const page = await signedIn(PHONE, org.leadContact.token, n.urge);
    await toolbar(page).getByRole('button', { name: /更多/ }).click();
    await page.getByRole('menuitem', { name: '撤回申请' }).click();
    await dialog(page)
      .getByRole('button', { name: name('确认撤回') })
      .click();
    await page
      .getByText(/已撤回/)
      .first()
      .waitFor();
    await toolbar(page).getByRole('button', { name: /更多/ }).click();
    await page.getByRole('menuitem', { name: '申请延期' }).waitFor();
  }, 400_000);

  it('the owner at the desk sends a report back (退回) with its reason', async () => {
    const page = await signedIn(DESK, org.owner.token, n.urge);
    await page.getByRole('button', { name: name('退回反馈') }).click();
    // Empty: the reason is asked for next to the field, nothing is sent.
    await dialog(page)
      .getByRole('button', { name: name('确认退回') })
      .click();
    await dialog(page)
      .getByText(/请写明/)
      .first()
      .waitFor();
    await dialog(page)
      .getByLabel(/退回理由/)
      .fill('未附现场照片，请补充后重新报送。');
    await dialog(page)
      .getByRole('button', { name: name('确认退回') })
      .click();
    await page.getByText('已退回，主办单位会收到退回理由').first().waitFor();
    await page
      .getByText(/已退回：未附现场照片/)
      .first()
      .waitFor();
  }, 400_000);

  it('the 督查室 at the desk records a 催办 by telephone and puts the item under 重点督办', async () => {
    const page = await signedIn(DESK, org.supervisor.token, n.urge);
    await page.getByRole('button', { name: name('催办') }).click();
    await pickOption(page, dialog(page).getByLabel('催办方式'), '电话催办');
    await dialog(page).getByLabel('致电对象').fill('市发展改革委 陈联络');
    await dialog(page).getByLabel('催办记录').fill('电话提醒按期报送现场照片，对方承诺本周内补报。');
    await dialog(page)
      .getByRole('button', { name: name('记录催办') })
      .click();
    await page
      .getByText(/催办已记入一事一卷/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: name('列入重点督办') }).click();
    await dialog(page).getByLabel('列入理由').fill('经催办仍进展缓慢。');
    await dialog(page)
      .getByRole('button', { name: name('列入重点督办') })
      .click();
    await page.getByText('已列入重点督办，主办单位会收到通知。').first().waitFor();
    await page.locator('.ant-tag', { hasText: '重点督办' }).first().waitFor();
    await shot(page, 'item-actions-desk-urged');
  }, 400_000);

  it('the leader at phone size sends the item back (退回) instead of approving it', async () => {
    const page = await signedIn(PHONE, org.leader.token, n.back);
    await toolbar(page)
      .getByRole('button', { name: name('退回') })
      .click();
    await dialog(page)
      .getByLabel(/退回理由/)
      .fill('收费公示不全，请补齐后再报。');
    await dialog(page)
      .getByRole('button', { name: name('确认退回') })
      .click();
    await page
      .getByText(/已退回主办单位继续办理/)
      .first()
      .waitFor();
    await page.getByText('办理中').first().waitFor();
  }, 400_000);

  it('E1: the owner at the desk refuses an extension (不同意) with its reason, and the unit sees it refused', async () => {
    const page = await signedIn(DESK, org.owner.token, n.refuse);
    await page.getByRole('button', { name: name('审批延期') }).click();
    await dialog(page).getByText('等待省级专项资金下达。').waitFor();
    // Refused without a word: the opinion is asked for next to its field, nothing is sent.
    await dialog(page)
      .getByRole('button', { name: name('不同意') })
      .click();
    await dialog(page).getByText('不同意延期须写明意见').waitFor();
    await dialog(page)
      .getByLabel(/审批意见/)
      .fill('专项资金已由市级先行垫付，请按原期限完成。');
    await dialog(page)
      .getByRole('button', { name: name('不同意') })
      .click();
    await page.getByText('已不同意延期，已通知主办单位按原期限办理。').first().waitFor();
    // The deadline stands; the request is marked refused with the opinion.
    await page.getByText('2026年4月10日 18:00').first().waitFor();
    await page.getByText('意见：专项资金已由市级先行垫付，请按原期限完成。').waitFor();
    expect(await page.getByRole('button', { name: name('审批延期') }).count()).toBe(0);
    await shot(page, 'item-actions-desk-extension-refused');

    // The unit, on its phone: the refusal with its reason, on the page and in its group; it may ask again.
    const unit = await signedIn(PHONE, org.leadContact.token, n.refuse);
    await unit.getByText(/延期申请 · 已驳回/).waitFor();
    await unit.getByText('意见：专项资金已由市级先行垫付，请按原期限完成。').waitFor();
    await unit.getByText(/不同意延期：专项资金已由市级先行垫付/).waitFor();
    await fake.waitFor(() => fake.groupMessages('cidLEAD').some((m) => JSON.stringify(m).includes('未同意延期：专项资金已由市级先行垫付')), 15_000);
    await shot(unit, 'item-actions-phone-extension-refused');
    await toolbar(unit).getByRole('button', { name: /更多/ }).click();
    await unit.getByRole('menuitem', { name: '申请延期' }).waitFor();
  }, 400_000);

  it('P2: the 督查室 at the desk hands the item to other units (调整承办), the reason asked for first', async () => {
    const page = await signedIn(DESK, org.supervisor.token, n.moved);
    await page.getByRole('button', { name: name('调整承办') }).click();
    await dialog(page)
      .getByRole('button', { name: name('确认调整') })
      .click();
    await dialog(page).getByText('请写明调整理由，记入一事一卷。').waitFor();
    await pickOption(page, dialog(page).getByLabel('主办单位', { exact: true }), '市财政局');
    await dialog(page).getByText('调整协办单位').click();
    await dialog(page).getByLabel('协办单位（整体替换）').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '市教育局' }).first().click();
    await dialog(page).getByLabel('调整理由').fill('停车平台由财政局统筹建设，教育局配合校园周边停车。');
    await screen(page, 'item-actions-desk-reassign-form');
    await dialog(page)
      .getByRole('button', { name: name('确认调整') })
      .click();
    await page.getByText('已调整，调整理由已记入一事一卷').first().waitFor();
    await page.getByText('市财政局（未签收）').waitFor();
    await page.getByText('市教育局（未签收）').waitFor();
    await page.getByText(/主办单位由市发展改革委调整为市财政局/).waitFor();
    await page.getByText(/理由：停车平台由财政局统筹建设/).waitFor();
    await shot(page, 'item-actions-desk-reassigned');
    // P4: the item is the new lead unit's now — it may sign — and no longer the old one's to see.
    const actions = await t.http().get(`/api/items/${n.moved}/actions`).set(bearer(org.coContact)).expect(200);
    expect((actions.body as { actions: { action: string }[] }).actions.map((a) => a.action)).toContain('sign');
    await t.http().get(`/api/items/${n.moved}`).set(bearer(org.leadContact)).expect(404);
  }, 400_000);

  it('D1: after the third 不同意 of the 服务对象 (sent by the unit on its phone) the owner records a 核验 and the item goes to review', async () => {
    const unit = await signedIn(PHONE, org.leadContact.token, n.served);
    await toolbar(unit).getByRole('button', { name: /更多/ }).click();
    await unit.getByRole('menuitem', { name: '申请办结' }).click();
    await dialog(unit).getByLabel('办理情况').fill('供暖温度已达标，业主委员会仍不认可。');
    await dialog(unit).getByText('不同意', { exact: true }).click();
    await dialog(unit)
      .getByRole('button', { name: name('提交办结申请') })
      .click();
    await unit.getByText('已记录服务对象不同意办结（第 3 次）').first().waitFor();

    const page = await signedIn(DESK, org.owner.token, n.served);
    await page.getByRole('button', { name: name('组织核验') }).click();
    await dialog(page)
      .getByRole('button', { name: name('记录核验结果') })
      .click();
    await dialog(page).getByText('请选择核验方式。').waitFor();
    await dialog(page).getByText('公众评价', { exact: true }).click();
    await dialog(page).getByText('通过', { exact: true }).click();
    await dialog(page).getByLabel('核验说明').fill('入户测温20户，满意率90%。');
    await screen(page, 'item-actions-desk-verify-form');
    await dialog(page)
      .getByRole('button', { name: name('记录核验结果') })
      .click();
    await page.getByText('核验通过，事项进入审核，请评定。').first().waitFor();
    await page.locator('.ant-tag', { hasText: '审核中' }).first().waitFor();
    await page.getByText(/核验 · 核验通过/).waitFor();
    await page.getByRole('button', { name: name('评定') }).waitFor();
    expect(await page.getByRole('button', { name: name('组织核验') }).count()).toBe(0);
  }, 400_000);

  it('C5: the 督查室 submits a draft (提交立项), then hands it out (交办) — each offered only when the state allows — and the card reaches the group', async () => {
    const page = await signedIn(DESK, org.supervisor.token, n.draft);
    await page.locator('.ant-tag', { hasText: '草稿' }).first().waitFor();
    await page.getByRole('button', { name: name('提交立项') }).waitFor();
    expect(await page.getByRole('button', { name: name('交办') }).count()).toBe(0);
    await page.getByRole('button', { name: name('提交立项') }).click();
    await dialog(page)
      .getByRole('button', { name: name('提交立项') })
      .click();
    await page.getByText('已提交立项，下一步请交办。').first().waitFor();
    await page.locator('.ant-tag', { hasText: '已立项' }).first().waitFor();
    expect(await page.getByRole('button', { name: name('提交立项') }).count()).toBe(0);
    await page.getByRole('button', { name: name('交办') }).click();
    await dialog(page)
      .getByRole('button', { name: name('确认交办') })
      .click();
    await page.getByText('已交办，交办卡片正在推送到各承办单位的群').first().waitFor();
    await page.locator('.ant-tag', { hasText: '已交办' }).first().waitFor();
    expect(await page.getByRole('button', { name: name('交办') }).count()).toBe(0);
    await fake.waitFor(() => fake.groupMessages('cidLEAD').some((m) => JSON.stringify(m).includes(n.draft)), 15_000);
    await shot(page, 'item-actions-desk-assigned');
  }, 400_000);

  it('C5: a closed item is archived (归档) by the 督查室, and then nothing is left to press', async () => {
    // n.closing was approved by the leader above (办结).
    const page = await signedIn(DESK, org.supervisor.token, n.closing);
    await page.getByRole('button', { name: name('归档') }).click();
    await dialog(page)
      .getByRole('button', { name: name('确认归档') })
      .click();
    await page.getByText('已归档，一事一卷已封存，可随时导出。').first().waitFor();
    await page.locator('.ant-tag', { hasText: '已归档' }).first().waitFor();
    await page.locator('[data-actions="0"]').waitFor({ state: 'attached' });
    expect(await page.getByRole('button', { name: name('归档') }).count()).toBe(0);
    await shot(page, 'item-actions-desk-archived');
  }, 400_000);
});
