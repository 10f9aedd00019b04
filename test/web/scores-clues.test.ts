import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { AccountabilityService } from '../../src/accountability/accountability.service';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { ScoringService } from '../../src/scoring/scoring.service';
import { shanghaiInstant } from '../../src/shared/shanghai-time';
import { buttonName, DESK, launchBrowser, openPage, PHONE, pickOption, shot, SHOTS, signInWithToken } from '../support/browser';
import { bearer, Org, seedOrg } from '../support/fixtures';
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
  /** Two more clues: one handled without 核查, one dropped (不予追究). */
  const more = { skip: '', drop: '' };

  beforeAll(async () => {
    t = await startTestApp({ now: shanghaiInstant('2026-03-16', '10:00'), listen: true, schema: 'template' });
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
    const manual = async (unitId: number, unitName: string, reason: string) =>
      (await t
        .get(AccountabilityService)
        .openFrom({ kind: 'manual', unitId, unitName, requestId: `seed-${reason}`, itemId: null, reason }, org.supervisor.actor))!.number;
    more.skip = await manual(org.units.co, '市财政局', '市财政局违规拨付专项资金，事实清楚');
    more.drop = await manual(org.units.lead, '市发展改革委', '群众反映市发展改革委项目审批拖延');
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
  const choose = (page: Page, label: string, option: string) => pickOption(page, page.getByLabel(label, { exact: true }), option);

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

  /** antd writes a two-character button as 「确 定」: the name with or without that space. */
  const name = buttonName;
  /** One A2 step on the clue page: its button, its form filled by `fill`, 确定, and the state it leads to. */
  async function step(page: Page, label: string, fill: (modal: ReturnType<Page['getByRole']>) => Promise<void>, state: string) {
    await page.getByRole('button', { name: name(label) }).click();
    const modal = page.getByRole('dialog');
    await modal.getByText(label, { exact: true }).first().waitFor();
    await fill(modal);
    const ok = modal.getByRole('button', { name: name('确定') });
    await ok.click();
    try {
      await modal.waitFor({ state: 'hidden', timeout: 20_000 });
    } catch {
      // Once in CI the dialog stayed open with no error in it after 确定 (a click lost on a loaded machine?): the page as
      // it was is kept for a look, and 确定 pressed once more — a step already taken would be refused in the dialog.
      await shot(page, `clue-step-still-open-${label}`);
      await ok.click({ timeout: 5_000 }).catch(() => undefined);
      await modal.waitFor({ state: 'hidden' });
    }
    await page.locator('.clue-state', { hasText: state }).waitFor();
  }
  const nothing = async () => undefined;

  it('A2: the 督查室 and the leader take the clue through every step to 结果运用, each with its form; the leader sends the opinion back once and the 督查室 once', async () => {
    const desk = await open(DESK);
    await signInWithToken(desk, t.url, org.supervisor.token, `/责任追究/${clue}`);
    await desk.locator('.clue-state', { hasText: '已移交' }).waitFor();
    await step(desk, '开始核查', (m) => m.getByLabel(/意见/).fill('市政府督查室会同市教育局纪检组核查'), '核查中');
    // 核查报告: refused without its title and document, next to the fields; then the uploaded document is chosen.
    await desk.getByRole('button', { name: name('提交核查报告') }).click();
    const modal = desk.getByRole('dialog');
    await modal.getByRole('button', { name: name('确定') }).click();
    await modal.getByText('请填写核查报告标题').waitFor();
    await modal.getByText('请选择已上传的核查报告，或填写文号').waitFor();
    await modal.getByLabel('核查报告标题').fill('关于市教育局推诿不办问题的核查报告');
    await modal.getByLabel('核查报告文书').click();
    await desk.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '核查报告.pdf' }).first().click();
    await modal.getByRole('button', { name: name('确定') }).click();
    await modal.waitFor({ state: 'hidden' });
    await desk.locator('.clue-state', { hasText: '提出问责处理意见' }).waitFor();
    await desk.getByText(/关于市教育局推诿不办问题的核查报告（doc:/).waitFor();

    // 问责处理意见: the unit (filled in already) and a person, each with measures.
    const propose = async (person: boolean) =>
      step(
        desk,
        '提出问责处理意见',
        async (m) => {
          await m.locator('.ant-card', { hasText: '问责对象 1' }).getByLabel('通报').check();
          if (!person) return;
          await m.locator('.ant-card', { hasText: '问责对象 1' }).getByLabel('约谈主要负责人').check();
          await m.getByRole('button', { name: '增加问责对象' }).click();
          const second = m.locator('.ant-card', { hasText: '问责对象 2' });
          await second.getByLabel('姓名及职务').fill('王某（市教育局办公室主任）');
          await second.getByLabel('诫勉').check();
          await desk.screenshot({ path: join(SHOTS, 'desk-clue-opinion-form.png') });
        },
        '问责处理意见审核',
      );
    await propose(true);
    await desk.getByText('市教育局（单位）：通报、约谈主要负责人').waitFor();
    await desk.getByText('王某（市教育局办公室主任）（工作人员）：诫勉').waitFor();
    await desk.getByText('这一步不由您办理，办理后会在此更新。').waitFor();

    // The leader, on a phone: 审核不同意 with a reason — back to the 督查室.
    const phone = await open(PHONE);
    await signInWithToken(phone, t.url, org.leader.token, `/责任追究/${clue}`);
    await step(phone, '审核不同意', (m) => m.getByLabel('理由').fill('对工作人员的诫勉依据不足，请补充核实后再报。'), '提出问责处理意见');
    await phone.getByText('对工作人员的诫勉依据不足，请补充核实后再报。').first().waitFor();
    await shot(phone, 'phone-clue-audit-rejected');

    // Proposed again (the unit only), agreed by the leader; the 督查室's 复核 sends it back once, then agrees.
    const again = async () => {
      await desk.reload();
      await propose(false);
      await phone.reload();
      await step(phone, '审核同意', (m) => m.getByLabel(/意见/).fill('同意。'), '督查室复核');
      await desk.reload();
    };
    await again();
    await step(desk, '复核退回', (m) => m.getByLabel('理由').fill('通报范围未写明，请补充。'), '提出问责处理意见');
    await again();
    await step(desk, '复核同意', nothing, '实施问责');
    await step(desk, '记录问责实施情况', (m) => m.getByLabel('实施情况').fill('已于3月20日印发通报'), '实施问责');
    await desk.getByText('已于3月20日印发通报', { exact: true }).waitFor();
    await step(desk, '报送问责结果', (m) => m.getByLabel('问责结果').fill('对市教育局予以通报批评'), '问责结果已报送');
    await step(desk, '结果运用', (m) => m.getByText('内部通报', { exact: true }).click(), '结果已运用');
    await desk.getByText('下一步：已办结').waitFor();
    expect(await desk.getByRole('button', { name: name('结果运用') }).count()).toBe(0);
    await shot(desk, 'desk-clue-applied');
  }, 600_000);

  it('A2: a clear-cut clue goes to the opinion without 核查, and another is dropped (不予追究) with its reason', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, `/责任追究/${more.skip}`);
    await step(page, '移交线索', (m) => m.getByLabel('问责建议').fill('建议对市财政局予以通报'), '已移交');
    await step(page, '不经核查直接处理', (m) => m.getByLabel('理由').fill('审计报告已查明，事实清楚、证据确凿'), '提出问责处理意见');
    await page.getByText(/未经核查（审计报告已查明，事实清楚、证据确凿）/).waitFor();
    await page.goto(`${t.url}/责任追究/${more.drop}`);
    // 不予追究 needs its reason: refused next to the field first.
    await page.getByRole('button', { name: name('不予追究') }).click();
    const modal = page.getByRole('dialog');
    await modal.getByRole('button', { name: name('确定') }).click();
    await modal.getByText('请写明理由').waitFor();
    await modal.getByLabel('理由').fill('经了解，审批拖延系申请材料不全所致，不属实');
    await modal.getByRole('button', { name: name('确定') }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.clue-state', { hasText: '不予追究' }).waitFor();
    await page.getByText('下一步：已办结：不予追究').waitFor();
    await shot(page, 'desk-clue-dismissed');
  }, 600_000);

  it('S3: 季度结算 is refused while the quarter runs, then awards the unit none of whose nodes needed urging, once', async () => {
    // A node of 市财政局 due in the first quarter, never urged.
    const due = await t.get(RegistrationService).register(
      {
        title: '清理政府性债务台账',
        content: '3月底前完成清理。',
        source: 'meeting',
        ownerId: org.owner.id,
        leaderId: org.leader.id,
        leadUnitId: org.units.co,
        deadline: { date: '2026-03-27' },
      },
      org.supervisor.actor,
    );
    await t.get(ItemCommandsService).assign(due.number, org.supervisor.actor);
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/积分');
    const row = (unit: string) => page.locator('.ant-table-row', { hasText: unit });
    await row('市财政局').waitFor();
    const close = async () => {
      await page.getByRole('button', { name: '季度结算' }).click();
      const modal = page.getByRole('dialog');
      await modal.getByText('2026年一季度').waitFor();
      await modal.getByRole('button', { name: '确认结算' }).click();
      return modal;
    };
    // 16 March: the quarter is still running.
    const refused = await close();
    await refused.getByText('2026年第1季度尚未结束，不能结算。').waitFor();
    await refused.getByRole('button', { name: name('取消') }).click();
    await refused.waitFor({ state: 'hidden' });
    // 1 April: the quarter is over.
    // Sixteen days later the console session has ended (its lifetime runs on the service clock): sign in again.
    t.clock.set(shanghaiInstant('2026-04-01', '09:00'));
    await signInWithToken(page, t.url, org.supervisor.token, '/积分');
    await row('市财政局').waitFor();
    const closed = await close();
    await closed.waitFor({ state: 'hidden' });
    // S3 recorded once, +5, and the page reads the ranking again: 市财政局's total as the service has it now.
    const s3 = async () =>
      (await t.http().get(`/api/scores/units/${org.units.co}?year=2026`).set(bearer(org.supervisor)).expect(200)).body as {
        total: number;
        lines: { rule: string; points: number }[];
      };
    const after = await s3();
    expect(after.lines.filter((l) => l.rule === 'S3').map((l) => l.points)).toEqual([5]);
    await row('市财政局')
      .filter({ hasText: String(after.total) })
      .waitFor();
    await shot(page, 'desk-scores-quarter-closed');
    // Again: nothing twice.
    await (await close()).waitFor({ state: 'hidden' });
    const again = await s3();
    expect(again.lines.filter((l) => l.rule === 'S3')).toHaveLength(1);
    expect(again.total).toBe(after.total);
  }, 600_000);

  it('S11 → A1: the unit at the bottom of the ranking two years running gets a clue, opened from the 责任追究 page', async () => {
    // 市教育局 was late with material in 2025 as well.
    await t
      .get(ScoringService)
      .manual(
        { rule: 'S10', kind: 'late_material', days: 2, unitId: org.units.other, reason: '年中材料迟报', at: shanghaiInstant('2025-07-01', '12:00') },
        org.supervisor.actor,
      );
    const page = await open(DESK);
    await signInWithToken(page, t.url, org.supervisor.token, '/积分');
    // Both years, the lowest of the ranking is marked.
    for (const year of ['2025年', '2026年']) {
      await choose(page, '年度', year);
      await page.locator('.ant-table-row', { hasText: '市教育局' }).getByText('排名靠后').waitFor();
    }
    await page.goto(`${t.url}/责任追究`);
    await page.getByRole('button', { name: '按年度积分排名移交线索' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('年度').fill('2026');
    await modal.getByRole('button', { name: '确认登记' }).click();
    const done = page.getByText(/^符合条件的单位 1 个，已登记线索 \S+，请逐条移交。$/);
    await done.waitFor();
    const number = /已登记线索 (\S+)，/.exec(await done.innerText())![1];
    const row = page.locator('.ant-table-row', { hasText: number });
    await row.waitFor();
    expect(await row.innerText()).toContain('市教育局');
    expect(await row.innerText()).toContain('激励积分连续2年倒数后2位');
    await shot(page, 'desk-clues-ranking');
    await row.getByRole('link', { name: number }).click();
    await page.locator('.clue-state', { hasText: '问题线索' }).waitFor();
    await page.getByRole('button', { name: '移交线索' }).waitFor();
  }, 600_000);
});
