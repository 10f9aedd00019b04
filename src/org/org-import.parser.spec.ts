import { Workbook, type CellValue } from 'exceljs';
import {
  orgTemplateWorkbook,
  parseOrgJson,
  parseOrgWorkbook,
  validateOrgImport,
  type ImportProblem,
  type OrgImport,
  type ParseResult,
} from './org-import.parser';

// Workbooks are built in memory, one array per row (header first), so each test shows exactly which row is which.
type Sheets = Record<string, CellValue[][]>;
async function book(sheets: Sheets): Promise<Buffer> {
  const wb = new Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r) => ws.addRow(r));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const H = {
  单位: ['编码', '名称'],
  人员: ['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID'],
  群: ['平台', '群ID', '名称', '单位编码', '用途', 'Webhook'],
};
const HOOK = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
function good(): Sheets {
  return {
    单位: [H.单位, ['FGW', '发展和改革委员会'], ['CZJ', '财政局']],
    人员: [
      H.人员,
      ['张三', '13800000000', 'FGW', '联络员、负责人', 'zs01', 'ZhangSan'],
      ['李四', null, null, '督查员, 领导；管理员', 'ls01', null],
      ['王五', 13900000000, 'CZJ', 'owner', null, 'WangWu'],
    ],
    群: [H.群, ['钉钉', 'cid001', '发改委督办群', 'FGW', '单位群', HOOK], ['企业微信', 'wr001', '全市通报群', null, '通报群', null]],
  };
}
const GOOD_DATA: OrgImport = {
  units: [
    { code: 'FGW', name: '发展和改革委员会' },
    { code: 'CZJ', name: '财政局' },
  ],
  people: [
    { name: '张三', mobile: '13800000000', unitCode: 'FGW', roles: ['unit_contact', 'unit_head'], dingtalkUserId: 'zs01', wecomUserId: 'ZhangSan' },
    { name: '李四', mobile: undefined, unitCode: undefined, roles: ['supervisor', 'leader', 'admin'], dingtalkUserId: 'ls01', wecomUserId: undefined },
    { name: '王五', mobile: '13900000000', unitCode: 'CZJ', roles: ['owner'], dingtalkUserId: undefined, wecomUserId: 'WangWu' },
  ],
  groups: [
    { platform: 'dingtalk', externalId: 'cid001', name: '发改委督办群', unitCode: 'FGW', purpose: 'unit', webhookUrl: HOOK },
    { platform: 'wecom', externalId: 'wr001', name: '全市通报群', unitCode: undefined, purpose: 'broadcast', webhookUrl: undefined },
  ],
};
/** Parse a variant of the good workbook: `edit` mutates the rows (row index = spreadsheet row − 1). */
async function parseWith(edit: (s: Sheets) => void): Promise<ParseResult> {
  const s = good();
  edit(s);
  return parseOrgWorkbook(await book(s));
}
function problemsOf(r: ParseResult): ImportProblem[] {
  if (r.ok) throw new Error('expected problems, got ok');
  return r.problems;
}
const messages = (r: ParseResult) => problemsOf(r).map((p) => p.message);

describe('parseOrgWorkbook', () => {
  it('round-trips a good workbook with Chinese names, role lists and a numeric mobile', async () => {
    expect(dropRows(await parseOrgWorkbook(await book(good())))).toEqual({ ok: true, data: GOOD_DATA });
  });

  it('reports missing required fields with sheet, row and field', async () => {
    const r = await parseWith((s) => {
      s.单位[2] = ['CZJ', '  ']; // spaces only = empty
      s.人员[3] = [null, null, 'CZJ', 'owner', null, 'WangWu'];
      s.群[1] = [null, null, null, 'FGW', '单位群', null];
    });
    expect(problemsOf(r)).toEqual([
      { sheet: '单位', row: 3, field: '名称', message: '单位 第3行：「名称」不能为空' },
      { sheet: '人员', row: 4, field: '姓名', message: '人员 第4行：「姓名」不能为空' },
      { sheet: '群', row: 2, field: '平台', message: '群 第2行：「平台」不能为空' },
      { sheet: '群', row: 2, field: '群ID', message: '群 第2行：「群ID」不能为空' },
      { sheet: '群', row: 2, field: '名称', message: '群 第2行：「名称」不能为空' },
    ]);
  });

  it('names unknown role, platform and purpose words and lists the allowed ones', async () => {
    const r = await parseWith((s) => {
      s.人员[2][3] = '督查员、局长';
      s.群[1][0] = '飞书';
      s.群[2][4] = '闲聊群';
    });
    expect(messages(r)).toEqual([
      '人员 第3行：「角色」局长 无法识别（可填：督查员、立项主体、领导、联络员、负责人、管理员，或 supervisor、owner、leader、unit_contact、unit_head、admin）',
      '群 第2行：「平台」飞书 无法识别（可填：钉钉、企业微信，或 dingtalk、wecom）',
      '群 第3行：「用途」闲聊群 无法识别（可填：单位群、通报群、督查群，或 unit、broadcast、supervision）',
    ]);
  });

  it('reports duplicate unit codes/names, platform user ids and (platform, group id), pointing at the first row', async () => {
    const r = await parseWith((s) => {
      s.单位.push(['FGW', '财政局']);
      s.人员.push(['赵六', null, null, null, 'zs01', 'WangWu']);
      s.群.push(['dingtalk', 'cid001', '重复的群', null, '督查群', null]);
      s.群.push(['wecom', 'cid001', '同号不同平台', null, '督查群', null]); // same id on the other platform is fine
    });
    expect(problemsOf(r)).toEqual([
      { sheet: '单位', row: 4, field: '编码', message: '单位 第4行：「编码」FGW 与第2行重复' },
      { sheet: '单位', row: 4, field: '名称', message: '单位 第4行：「名称」财政局 与第3行重复' },
      { sheet: '人员', row: 5, field: '钉钉用户ID', message: '人员 第5行：「钉钉用户ID」zs01 与第2行重复' },
      { sheet: '人员', row: 5, field: '企业微信用户ID', message: '人员 第5行：「企业微信用户ID」WangWu 与第4行重复' },
      { sheet: '群', row: 4, field: '群ID', message: '群 第4行：「群ID」cid001（钉钉） 与第2行重复' },
    ]);
  });

  it('rejects a unit code that is neither in the file nor already known', async () => {
    const edit = (s: Sheets) => {
      s.人员.push(['赵六', null, 'FGWX', null, null, null]);
      s.群.push(['钉钉', 'cid009', '某群', 'FGWX', null, null]);
    };
    expect(problemsOf(await parseWith(edit))).toEqual([
      { sheet: '人员', row: 5, field: '单位编码', message: '人员 第5行：「单位编码」FGWX 在单位表中不存在' },
      { sheet: '群', row: 4, field: '单位编码', message: '群 第4行：「单位编码」FGWX 在单位表中不存在' },
    ]);
    const s = good();
    edit(s);
    expect((await parseOrgWorkbook(await book(s), { unitCodes: new Set(['FGWX']) })).ok).toBe(true);
  });

  it('requires a unit for 联络员/负责人 and for 单位群', async () => {
    const r = await parseWith((s) => {
      s.人员[2][3] = '负责人';
      s.群[2][4] = 'unit';
    });
    expect(problemsOf(r)).toEqual([
      { sheet: '人员', row: 3, field: '单位编码', message: '人员 第3行：角色为负责人时必须填写「单位编码」' },
      { sheet: '群', row: 3, field: '单位编码', message: '群 第3行：用途为单位群时必须填写「单位编码」' },
    ]);
  });

  it('checks mobile numbers and webhook URLs, reporting every bad row', async () => {
    const r = await parseWith((s) => {
      s.人员[1][1] = '1380000000'; // 10 digits
      s.人员[3][1] = 23900000000; // does not start with 1
      s.群[1][5] = 'ftp://example.com/hook';
      s.群[2][5] = 'not a url';
    });
    expect(messages(r)).toEqual([
      '人员 第2行：「手机」1380000000 不是有效的手机号（应为 1 开头的 11 位数字）',
      '人员 第4行：「手机」23900000000 不是有效的手机号（应为 1 开头的 11 位数字）',
      '群 第2行：「Webhook」ftp://example.com/hook 不是有效的 http(s) 地址',
      '群 第3行：「Webhook」not a url 不是有效的 http(s) 地址',
    ]);
  });

  it('reports a missing sheet or column, but treats a missing 群 sheet as no groups', async () => {
    const noGroups = good();
    delete noGroups.群;
    const r1 = await parseOrgWorkbook(await book(noGroups));
    expect(dropRows(r1)).toEqual({ ok: true, data: { ...GOOD_DATA, groups: [] } });

    const s = good();
    delete s.人员;
    s.单位 = s.单位.map((row) => [row[0]]); // drop the 名称 column
    expect(problemsOf(await parseOrgWorkbook(await book(s)))).toEqual([
      { sheet: '单位', row: 1, field: '名称', message: '单位 第1行：缺少列「名称」' },
      { sheet: '人员', row: 0, message: '缺少工作表「人员」' },
    ]);
  });

  it('skips empty rows yet keeps real row numbers, and ignores extra columns', async () => {
    const r = await parseWith((s) => {
      s.人员.splice(2, 0, [], [null, '  ', null]); // rows 3 and 4 are blank
      s.人员[0] = [...H.人员, '备注'];
      s.人员[5][6] = '随便写点什么';
      s.人员[5][2] = 'NOPE'; // 王五 is now on row 6
    });
    expect(messages(r)).toEqual(['人员 第6行：「单位编码」NOPE 在单位表中不存在']);
  });

  it('normalises full-width characters, spaces and column order', async () => {
    const s: Sheets = {
      单位: [
        [' 名称 ', '编　码'],
        ['发展和改革委员会　', 'ＦＧＷ'],
      ],
      人员: [
        ['角色', '企业微信用户ＩＤ', '姓名', '钉钉用户id', '单位编码', ' 手 机 '],
        ['联络员，ｌｅａｄｅｒ', 'ＺｈａｎｇＳａｎ', ' 张三 ', 'ｚｓ０１', 'ＦＧＷ', '１３８ ００００ ００００'],
      ],
      群: [
        ['webhook', '用途', '单位编码', '名称', '群ＩＤ', '平台'],
        [null, null, 'FGW', '发改委督办群', 'ｃｉｄ００１', 'ＤｉｎｇＴａｌｋ'],
      ],
    };
    expect(dropRows(await parseOrgWorkbook(await book(s)))).toEqual({
      ok: true,
      data: {
        units: [{ code: 'FGW', name: '发展和改革委员会' }],
        people: [{ name: '张三', mobile: '13800000000', unitCode: 'FGW', roles: ['unit_contact', 'leader'], dingtalkUserId: 'zs01', wecomUserId: 'ZhangSan' }],
        groups: [{ platform: 'dingtalk', externalId: 'cid001', name: '发改委督办群', unitCode: 'FGW', purpose: 'unit', webhookUrl: undefined }], // 用途 defaults to 单位群
      },
    });
  });

  it('reads rich text, hyperlink and formula cells as their text', async () => {
    const r = await parseWith((s) => {
      s.单位[1][1] = { richText: [{ text: '发展和' }, { text: '改革委员会', font: { bold: true } }] };
      s.人员[1][1] = { formula: '"138"&"00000000"', result: '13800000000' };
      s.群[1][5] = { text: HOOK, hyperlink: HOOK };
      s.群[2][1] = { formula: 'A1', result: { error: '#REF!' } };
    });
    expect(problemsOf(r)).toEqual([
      { sheet: '群', row: 3, field: '群ID', message: '群 第3行：「群ID」单元格是错误值 #REF!' },
      { sheet: '群', row: 3, field: '群ID', message: '群 第3行：「群ID」不能为空' },
    ]);
    const ok = await parseWith((s) => {
      s.单位[1][1] = { richText: [{ text: '发展和' }, { text: '改革委员会', font: { bold: true } }] };
      s.人员[1][1] = { formula: '"138"&"00000000"', result: '13800000000' };
      s.群[1][5] = { text: HOOK, hyperlink: HOOK };
    });
    expect(dropRows(ok)).toEqual({ ok: true, data: GOOD_DATA });
  });

  it('says so when the file is not an xlsx', async () => {
    const r = await parseOrgWorkbook(Buffer.from('这不是 Excel'));
    expect(problemsOf(r)).toHaveLength(1);
    expect(problemsOf(r)[0]).toMatchObject({ sheet: '', row: 0 });
    expect(problemsOf(r)[0].message).toMatch(/^无法读取 Excel 文件/);
  });
});

describe('parseOrgJson', () => {
  it('accepts Chinese role, platform and purpose words and numeric mobiles', () => {
    const r = parseOrgJson({
      units: [{ code: 'FGW', name: '发展和改革委员会' }],
      people: [
        { name: '张三', mobile: 13800000000, unitCode: 'FGW', roles: ['联络员', '领导'], dingtalkUserId: 'zs01' },
        { name: '李四', roles: '督查员、立项主体' },
      ],
      groups: [{ platform: '企业微信', externalId: 'wr1', name: '通报', purpose: '通报群' }],
    });
    expect(dropRows(r)).toEqual({
      ok: true,
      data: {
        units: [{ code: 'FGW', name: '发展和改革委员会' }],
        people: [
          { name: '张三', mobile: '13800000000', unitCode: 'FGW', roles: ['unit_contact', 'leader'], dingtalkUserId: 'zs01', wecomUserId: undefined },
          { name: '李四', mobile: undefined, unitCode: undefined, roles: ['supervisor', 'owner'], dingtalkUserId: undefined, wecomUserId: undefined },
        ],
        groups: [{ platform: 'wecom', externalId: 'wr1', name: '通报', unitCode: undefined, purpose: 'broadcast', webhookUrl: undefined }],
      },
    });
  });

  it('numbers problems by 1-based array index and rejects non-objects', () => {
    expect(problemsOf(parseOrgJson([]))).toEqual([{ sheet: '', row: 0, message: '导入数据必须是 { units, people, groups } 对象' }]);
    const r = parseOrgJson({ people: ['张三', { name: '李四', unitCode: 'FGW', roles: ['unit_contact'] }], groups: {} });
    expect(problemsOf(r)).toEqual([
      { sheet: '人员', row: 1, message: '人员 第1条：必须是对象' },
      { sheet: '人员', row: 2, field: '单位编码', message: '人员 第2条：「单位编码」FGW 在单位表中不存在' },
      { sheet: '群', row: 0, field: 'groups', message: '群：groups 必须是数组' },
    ]);
    expect(parseOrgJson({ people: [{ name: '李四', unitCode: 'FGW', roles: ['unit_contact'] }] }, { unitCodes: new Set(['FGW']) }).ok).toBe(true);
  });
});

describe('validateOrgImport', () => {
  it('checks already-typed data, counting rows from 1', () => {
    const data: OrgImport = { ...GOOD_DATA, people: [...GOOD_DATA.people, { name: '赵六', unitCode: 'SWJ', roles: ['boss' as never] }] };
    expect(validateOrgImport(GOOD_DATA)).toEqual([]);
    expect(validateOrgImport(data, { unitCodes: new Set(['SWJ']) }).map((p) => p.message)).toEqual([
      expect.stringMatching(/^人员 第4条：「角色」boss 无法识别/),
    ]);
  });
});

describe('orgTemplateWorkbook', () => {
  it('parses back to ok with its example rows', async () => {
    expect(dropRows(await parseOrgWorkbook(await orgTemplateWorkbook()))).toEqual({
      ok: true,
      data: {
        units: [{ code: 'FGW', name: '发展和改革委员会' }],
        people: [
          { name: '张三', mobile: '13800000000', unitCode: 'FGW', roles: ['unit_contact', 'unit_head'], dingtalkUserId: 'zhangsan01', wecomUserId: 'ZhangSan' },
        ],
        groups: [
          {
            platform: 'dingtalk',
            externalId: 'cid0000000000',
            name: '发改委督办群',
            unitCode: 'FGW',
            purpose: 'unit',
            webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=xxxx',
          },
        ],
      },
    });
  });
});

/** The source rows are checked on their own; most tests compare only the parsed data. */
function dropRows(r: ParseResult): unknown {
  if (!r.ok) return r;
  const { rows: _rows, ...rest } = r;
  return rest;
}

describe('source rows', () => {
  it('gives each parsed record its spreadsheet row, skipping blank rows, so database checks can name the row', async () => {
    const r = await parseOrgWorkbook(await book(good()));
    expect(r.ok && r.rows).toEqual(expect.objectContaining({ noun: '行' }));
    expect(r.ok && r.rows?.units.length).toBe(GOOD_DATA.units.length);
    expect(r.ok && r.rows?.units[0]).toBe(2);
  });
});
