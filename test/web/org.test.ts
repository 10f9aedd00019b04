import { Workbook } from 'exceljs';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { TokenService } from '../../src/auth/token.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { OrgService } from '../../src/org/org.service';
import { ChatGroup } from '../../src/org/chat-group.entity';
import { Person } from '../../src/org/person.entity';
import { PersonIdentity } from '../../src/org/person-identity.entity';
import { RoleGrant } from '../../src/org/role-grant.entity';
import { Unit } from '../../src/org/unit.entity';
import { buttonName, DESK, launchBrowser, openPage, PHONE, pickOption, shot, signInWithToken } from '../support/browser';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, 组织: the directory kept through the console in real headless Chromium, on the service and MariaDB.
 * The administrator adds a unit and a person (DingTalk account, role) through the forms and issues the person a
 * token; the 督查室 trying to make itself administrator is refused in Chinese; an Excel file built from the template
 * with one bad row is refused whole, its row shown in a table; the corrected file is checked, then imported.
 */
describe('组织 in a browser (issue 15)', () => {
  let t: TestApp;
  let browser: Browser;
  let supervisor = { id: 0, token: '' };

  beforeAll(async () => {
    t = await startTestApp({ listen: true, schema: 'template' });
    const org = t.get(OrgService);
    await org.createUnit({ code: 'FGW', name: '市发展改革委' });
    const sup = await org.createPerson({ name: '王督查', roles: [{ role: 'supervisor' }], identities: [{ platform: 'dingtalk', externalUserId: 'dt-sup' }] });
    supervisor = { id: sup.id, token: (await t.get(TokenService).issue(sup.id, 'test')).token };
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page of its own; the machine running the tests is shared, so a step may wait up to a minute. */
  async function open(size: typeof DESK): Promise<Page> {
    const page = await openPage(browser, size);
    page.setDefaultTimeout(60_000);
    return page;
  }

  /** An antd Select: open it by its label, type, pick the option shown. (antd spaces two-character buttons: 「查 找」.) */
  async function choose(page: Page, label: string, option: string, within: Pick<Page, 'getByLabel'> = page, closeBy?: Locator): Promise<void> {
    const box = within.getByLabel(label, { exact: true });
    await box.click();
    await box.fill(option);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
    await closeBy?.click(); // a multiple select stays open until one clicks elsewhere
  }

  it('the administrator adds a unit, then a person with a DingTalk account and a role, and issues the person a token', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, ADMIN_TOKEN, '/组织');
    await page.getByRole('tab', { name: '单位' }).waitFor();

    // 单位: the new unit, and a code already taken refused next to its field.
    await page.getByLabel('单位编码').fill('GAJ');
    await page.getByLabel('单位名称').fill('市公安局');
    await page.getByRole('button', { name: '添加单位' }).click();
    await page.locator('tr', { hasText: '市公安局' }).waitFor();
    await page.getByLabel('单位编码').fill('fgw');
    await page.getByLabel('单位名称').fill('另一个委');
    await page.getByRole('button', { name: '添加单位' }).click();
    await page.locator('#addUnit_code_help', { hasText: '单位编码 FGW 已被使用。' }).waitFor();
    await shot(page, 'desk-org-units');

    // 人员: name, mobile, unit, role, DingTalk account.
    await page.getByRole('tab', { name: '人员' }).click();
    await page.getByLabel('姓名').fill('周警官');
    await page.getByLabel('手机号').fill('1370000');
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.getByText('手机号应为 1 开头的 11 位数字').waitFor();
    await page.getByLabel('手机号').fill('13700000001');
    await choose(page, '角色', '联络员', page, page.getByText('添加人员', { exact: true }).first());
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.getByText('联络员、负责人须选择所在单位').waitFor(); // asked before anything is sent
    await choose(page, '所在单位', '市公安局');
    await page.getByLabel('钉钉账号（userId）').fill('dt-zhou');
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.getByText('已添加「周警官」').waitFor();
    const row = page.locator('tr', { hasText: '周警官' });
    await row.waitFor();
    expect(await row.innerText()).toContain('联络员');
    expect(await row.innerText()).toContain('钉钉：dt-zhou');

    const zhou = await t.db.getRepository(Person).findOneByOrFail({ name: '周警官' });
    const gaj = await t.db.getRepository(Unit).findOneByOrFail({ code: 'GAJ' });
    expect(zhou).toMatchObject({ mobile: '13700000001', unitId: gaj.id });
    expect(await t.db.getRepository(PersonIdentity).findBy({ personId: zhou.id })).toEqual([
      expect.objectContaining({ platform: 'dingtalk', externalUserId: 'dt-zhou' }),
    ]);
    expect(await t.db.getRepository(RoleGrant).findBy({ personId: zhou.id })).toEqual([expect.objectContaining({ role: 'unit_contact', unitId: gaj.id })]);

    // The same DingTalk account for someone else: refused next to the field, what was typed kept.
    await page.getByLabel('姓名').fill('冒名者');
    await page.getByLabel('钉钉账号（userId）').fill('dt-zhou');
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.locator('#addPerson_dingtalk_help', { hasText: '钉钉账号 dt-zhou 已绑定到其他人员' }).waitFor();
    expect(await page.getByLabel('姓名').inputValue()).toBe('冒名者');

    // Searching by account finds the person; the drawer issues a token, shown once, that signs in.
    await page.getByLabel('查找人员').fill('dt-zhou');
    await page.getByRole('button', { name: /^查\s?找$/ }).click();
    await page.locator('tbody tr', { hasText: '王督查' }).waitFor({ state: 'detached' });
    await row.getByRole('button', { name: /^管\s?理$/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('钉钉：dt-zhou').waitFor();
    await drawer.getByLabel('令牌用途').fill('办公电脑');
    await drawer.getByRole('button', { name: '签发令牌' }).click();
    const token = (await drawer.getByTestId('issued-token').innerText()).trim();
    expect(await t.get(TokenService).resolve(token)).toMatchObject({ personId: zhou.id });
    await drawer.getByText('办公电脑').waitFor();
    await shot(page, 'desk-org-person');
    await page.close();
  }, 300_000);

  it('the 督查室 trying to make itself administrator is refused in Chinese, and its roles stay as they were', async () => {
    const page = await open(PHONE);
    await signInWithToken(page, t.url, supervisor.token, '/组织');
    await page.getByRole('tab', { name: '人员' }).click();
    await page.getByLabel('查找人员').fill('王督查');
    await page.getByRole('button', { name: /^查\s?找$/ }).click();
    const manage = page.locator('tbody tr', { hasText: '王督查' }).getByRole('button', { name: /^管\s?理$/ });
    await manage.waitFor();
    await shot(page, 'phone-org-people');
    await manage.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('钉钉：dt-sup').waitFor();
    await choose(page, '角色', '管理员', drawer, drawer.getByText('钉钉 / 企业微信账号'));
    await drawer.getByRole('button', { name: '保存角色' }).click();
    await drawer.locator('#personRoles_roles_help', { hasText: '调整「督查员、管理员」角色只能由管理员办理，请联系管理员。' }).waitFor();
    // Tokens are the administrator's: the 督查室 does not see them.
    expect(await drawer.getByText('个人令牌').count()).toBe(0);
    expect((await t.db.getRepository(RoleGrant).findBy({ personId: supervisor.id })).map((g) => g.role)).toEqual(['supervisor']);
    await shot(page, 'phone-org-refused');
    await page.close();
  }, 300_000);

  /** The template as the page offers it, filled in: one unit, the people given, no groups. */
  async function fromTemplate(page: Page, people: string[][]): Promise<Buffer> {
    const bytes = await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch('/api/import/template.xlsx')).arrayBuffer())));
    const wb = new Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as never);
    const units = wb.getWorksheet('单位')!;
    units.getRow(2).values = ['TJJ', '市统计局'];
    const sheet = wb.getWorksheet('人员')!;
    sheet.spliceRows(2, 1);
    people.forEach((p, i) => (sheet.getRow(i + 2).values = p));
    wb.getWorksheet('群')!.spliceRows(2, 1);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  async function upload(page: Page, file: Buffer): Promise<void> {
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '通讯录.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByText('通讯录.xlsx').waitFor();
  }

  it('an Excel file with one bad row is refused whole with that row in a table; the corrected file is checked, then imported', async () => {
    const page = await open(DESK);
    await signInWithToken(page, t.url, supervisor.token, '/组织');
    await page.getByRole('tab', { name: '导入' }).click();
    const good = ['吴统计', '13600000001', 'TJJ', '联络员', 'dt-wu', ''];
    const bad = await fromTemplate(page, [good, ['郑统计', '1360000', 'TJJ', '负责人', 'dt-zheng', '']]);
    await upload(page, bad);
    await page.getByRole('button', { name: /^导\s?入$/ }).click();
    await page.getByText('导入未执行：发现 1 处问题，文件中的数据一条也没有写入').waitFor();
    const problem = page.locator('table tbody tr', { hasText: '1360000' });
    expect((await problem.innerText()).replace(/\s+/g, ' ')).toMatch(
      /人员 第 3 行 手机 「手机」1360000 不是有效的手机号.* 改为 1 开头的 11 位手机号，或留空。/,
    );
    expect(await t.db.getRepository(Unit).countBy({ code: 'TJJ' })).toBe(0);
    expect(await t.db.getRepository(Person).countBy({ name: '吴统计' })).toBe(0);
    await shot(page, 'desk-org-import-refused');

    // At phone size the same table, scrolled sideways.
    const phone = await open(PHONE);
    await signInWithToken(phone, t.url, supervisor.token, '/组织');
    await phone.getByRole('tab', { name: '群' }).click();
    await phone.getByRole('button', { name: '登记群' }).waitFor();
    await shot(phone, 'phone-org-groups');
    await phone.getByRole('tab', { name: '导入' }).click();
    await upload(phone, bad);
    await phone.getByRole('button', { name: '检查，不导入' }).click();
    await phone.getByText('检查发现 1 处问题，这个文件现在不能导入').waitFor();
    await phone.locator('table tbody tr', { hasText: '第 3 行' }).waitFor();
    await shot(phone, 'phone-org-import-refused');
    await phone.close();

    // Corrected: checked first (nothing written), then imported.
    const fixed = await fromTemplate(page, [good, ['郑统计', '13600000002', 'TJJ', '负责人', 'dt-zheng', '']]);
    await upload(page, fixed);
    await page.getByRole('button', { name: '检查，不导入' }).click();
    await page.getByText('检查通过，尚未导入').waitFor();
    await page.getByText('单位新增 1、更新 0；人员新增 2、更新 0；群新增 0、更新 0').waitFor();
    expect(await t.db.getRepository(Unit).countBy({ code: 'TJJ' })).toBe(0);
    await page.getByRole('button', { name: /^导\s?入$/ }).click();
    await page.getByText('导入完成').waitFor();
    const tjj = await t.db.getRepository(Unit).findOneByOrFail({ code: 'TJJ' });
    const zheng = await t.db.getRepository(Person).findOneByOrFail({ name: '郑统计' });
    expect(await t.db.getRepository(RoleGrant).findBy({ personId: zheng.id })).toEqual([expect.objectContaining({ role: 'unit_head', unitId: tjj.id })]);
    await shot(page, 'desk-org-import-done');
    await page.getByRole('tab', { name: '人员' }).click();
    await page.locator('tr', { hasText: '郑统计' }).waitFor();
    await page.close();
  }, 300_000);
  it('at phone size the 督查室 renames a unit, is told why a busy unit cannot be retired, retires an idle one, corrects and retires a contact who left, removes a wrong account and a group', async () => {
    // Its own cast, whatever the file's shared set-up holds.
    const org = t.get(OrgService);
    const water = (await org.createUnit({ code: 'SWJ9', name: '市水务局' })).id;
    const forest = (await org.createUnit({ code: 'LYJ9', name: '市林业局' })).id;
    const owner = await org.createPerson({ name: '韩秘书', roles: [{ role: 'owner' }] });
    const leader = await org.createPerson({ name: '杨副市长', roles: [{ role: 'leader' }] });
    const jiang = await org.createPerson({
      name: '蒋联络',
      mobile: '13500000009',
      unitId: water,
      roles: [{ role: 'unit_contact', unitId: water }],
      identities: [
        { platform: 'dingtalk', externalUserId: 'dt-jiang' },
        { platform: 'wecom', externalUserId: 'wx-jiang-wrong' },
      ],
    });
    const jiangToken = (await t.get(TokenService).issue(jiang.id, 'test')).token;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidSWJ9', name: '水务局督办群', unitId: water, purpose: 'unit' });
    const sup = await org.createPerson({ name: '曹督查', roles: [{ role: 'supervisor' }] });
    const supToken = (await t.get(TokenService).issue(sup.id, 'test')).token;
    const item = (
      await t.get(RegistrationService).register(
        {
          title: '防汛设施检修',
          content: '汛前完成',
          source: 'meeting',
          ownerId: owner.id,
          leaderId: leader.id,
          leadUnitId: water,
          deadline: { workingDays: 10 },
        },
        (await t.get(TokenService).actorFor(sup.id, 'api'))!,
      )
    ).number;
    const button = buttonName;
    const confirm = (page: Page, label: string) =>
      page
        .locator('.ant-popover:visible')
        .getByRole('button', { name: button(label) })
        .click();

    const page = await open(PHONE);
    await signInWithToken(page, t.url, supToken, '/组织');
    await page.getByRole('tab', { name: '单位' }).waitFor();

    // 单位: a name another unit has is refused next to the field; then the rename lands, on the change record.
    await page.getByRole('button', { name: '修改市林业局' }).click();
    const unitDialog = page.getByRole('dialog', { name: '修改单位：市林业局' });
    await unitDialog.getByLabel('单位名称').fill('市水务局');
    await unitDialog.getByRole('button', { name: button('保存') }).click();
    await unitDialog.locator('#editUnit_name_help', { hasText: '已有名为「市水务局」的单位' }).waitFor();
    await unitDialog.getByLabel('单位名称').fill('市林业和草原局');
    await unitDialog.getByRole('button', { name: button('保存') }).click();
    await page.locator('tr', { hasText: '市林业和草原局' }).waitFor();

    // A unit with an open item is not retired: the answer names the item and says what to do first.
    await page.getByRole('button', { name: '停用市水务局' }).click();
    await confirm(page, '停用');
    const refusal = page.locator('.ant-modal-confirm');
    await refusal.getByText(item, { exact: false }).waitFor();
    expect(await refusal.innerText()).toContain('调整承办');
    await page.waitForTimeout(500); // the dialog's opening animation, for the picture
    await shot(page, 'phone-org-unit-refused');
    await refusal.getByRole('button', { name: '知道了' }).click();
    await page.getByRole('button', { name: '停用市林业和草原局' }).click();
    await confirm(page, '停用');
    await page.locator('tr', { hasText: '市林业和草原局' }).getByText('已停用').waitFor();
    expect(await t.db.getRepository(Unit).findOneByOrFail({ id: forest })).toMatchObject({ name: '市林业和草原局', active: false });
    expect(await t.db.getRepository(Unit).findOneByOrFail({ id: water })).toMatchObject({ active: true });
    await shot(page, 'phone-org-units-edited');

    // 人员: the contact found, a bad mobile refused next to its field, the wrong WeCom account removed, the contact retired.
    await page.getByRole('tab', { name: '人员' }).click();
    await page.getByLabel('查找人员').fill('蒋联络');
    await page.getByRole('button', { name: /^查\s?找$/ }).click();
    await page
      .locator('tbody tr', { hasText: '蒋联络' })
      .getByRole('button', { name: button('管理') })
      .click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('企业微信：wx-jiang-wrong').waitFor();
    await drawer.getByLabel('手机号').fill('1350000');
    await drawer.getByRole('button', { name: '保存基本信息' }).click();
    await drawer.locator('#personBasics_mobile_help', { hasText: '手机号应为 1 开头的 11 位数字' }).waitFor();
    await drawer.getByLabel('手机号').fill('13500000010');
    await drawer.getByRole('button', { name: '保存基本信息' }).click();
    await drawer.getByText('手机号改为 13500000010').waitFor(); // on the change record
    await drawer.getByRole('button', { name: '解除企业微信账号 wx-jiang-wrong' }).click();
    await confirm(page, '解除');
    await drawer.getByText('企业微信：wx-jiang-wrong').waitFor({ state: 'detached' });
    await drawer.getByRole('button', { name: '停用此人' }).click();
    await confirm(page, '停用');
    await drawer.getByText('已停用', { exact: true }).first().waitFor();
    await shot(page, 'phone-org-person-retired');
    expect(await t.db.getRepository(Person).findOneByOrFail({ id: jiang.id })).toMatchObject({ mobile: '13500000010', active: false });
    expect((await t.db.getRepository(PersonIdentity).findBy({ personId: jiang.id })).map((i) => i.externalUserId)).toEqual(['dt-jiang']);
    expect(await t.get(TokenService).resolve(jiangToken)).toBeNull();
    await page.keyboard.press('Escape');
    // In post only, by default: the retired contact is listed under 已停用.
    await page.locator('tbody tr', { hasText: '蒋联络' }).waitFor({ state: 'detached' });
    await pickOption(page, page.getByLabel('在职状态', { exact: true }), '已停用');
    await page.locator('tbody tr', { hasText: '蒋联络' }).getByText('已停用').waitFor();

    // 群: renamed, then removed — the unit is then reached one to one.
    await page.getByRole('tab', { name: '群' }).click();
    await page.getByRole('button', { name: '修改水务局督办群' }).click();
    const groupDialog = page.getByRole('dialog', { name: '修改群：水务局督办群' });
    await groupDialog.getByLabel('群名称').fill('水务局工作群');
    await groupDialog.getByRole('button', { name: button('保存') }).click();
    await page.locator('tr', { hasText: '水务局工作群' }).waitFor();
    await page.getByRole('button', { name: '移除水务局工作群' }).click();
    await confirm(page, '移除');
    await page.getByText('已没有单位群').waitFor();
    await page.locator('tr', { hasText: '水务局工作群' }).waitFor({ state: 'detached' });
    expect(await t.db.getRepository(ChatGroup).countBy({ unitId: water })).toBe(0);
    await shot(page, 'phone-org-group-removed');
    await page.close();
  }, 300_000);
});
