import { Workbook, type Worksheet } from 'exceljs';
import type { ItemView, TrafficLight } from './item.view';
import { describeLedgerFilter, renderLedgerXlsx, type LedgerRow } from './ledger.render';

// A hand-built ItemView: the ledger renderer sees only this plain shape, never the database.
function itemView(over: Partial<ItemView> = {}): ItemView {
  return {
    number: 'DB2026-0042',
    title: '推进老旧小区改造 <第一批> & "加装电梯"',
    content: '',
    source: 'instruction',
    sourceLabel: '领导批示',
    sourceRef: '',
    board: 'key_task',
    boardLabel: '重点工作',
    category: 'decision',
    categoryLabel: '决策督查',
    state: 'in_progress',
    stateLabel: '办理中',
    owner: { id: 1, name: '张督查' },
    ownerOffice: null,
    leader: { id: 2, name: '李副市长' },
    leadUnit: { id: 10, name: '市住建局', signedAt: '2026-03-02T09:30:00+08:00' },
    coUnits: [
      { id: 11, name: '市财政局', signedAt: null },
      { id: 12, name: '市发改委', signedAt: null },
    ],
    deadline: '2026-03-10T18:00:00+08:00',
    deadlineSpec: '7d',
    deadlineReason: null,
    overdue: false,
    light: 'green',
    keySupervision: false,
    servedParty: null,
    parentNumber: null,
    decomposed: false,
    returnCount: 0,
    failedClosureAttempts: 0,
    rating: null,
    ratingLabel: null,
    registeredAt: '2026-03-01T09:00:00+08:00',
    assignedAt: '2026-03-01T10:00:00+08:00',
    closedAt: null,
    numberRetiredAt: null,
    archivedAt: null,
    ...over,
  };
}

const row = (light: TrafficLight, over: Partial<ItemView> = {}, lastReportAt: string | null = null): LedgerRow => ({
  item: itemView({ light, overdue: light === 'red', ...over }),
  lastReportAt,
});

const meta = { generatedAt: new Date('2026-03-05T08:00:00Z'), filterDescription: '主办单位：市住建局' };

async function readBack(rows: LedgerRow[], m = meta): Promise<Worksheet> {
  const buf = await renderLedgerXlsx(rows, m);
  const wb = new Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('督办台账');
  if (!ws) throw new Error('sheet 督办台账 missing');
  return ws;
}

const fillOf = (ws: Worksheet, address: string) => {
  const fill = ws.getCell(address).fill;
  return fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
};

describe('renderLedgerXlsx (B3 台账)', () => {
  const rows = [
    row('red', { keySupervision: true }, '2026-03-04T16:05:00+08:00'),
    row('yellow', { number: 'DB2026-0043' }),
    row('green', { number: 'DB2026-0044' }),
    row('done', { number: 'DB2026-0045', state: 'closed', stateLabel: '已办结', rating: 'good', ratingLabel: '良好' }),
  ];

  it('writes a title row with the generated time and the filter', async () => {
    const ws = await readBack(rows);
    expect(ws.getCell('A1').text).toBe('督办事项台账　　生成时间：2026-03-05 16:00（北京时间）　　筛选条件：主办单位：市住建局');
    expect(ws.model.merges).toContain('A1:P1');
    const unfiltered = await readBack(rows, { ...meta, filterDescription: '  ' });
    expect(unfiltered.getCell('A1').text).toContain('筛选条件：全部事项');
  });

  it('has exactly the B3 header, frozen and filterable', async () => {
    const ws = await readBack(rows);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '事项编号',
      '标题',
      '来源',
      '版块',
      '主办单位',
      '协办单位',
      '立项主体',
      '分管领导',
      '立项时间',
      '办理期限',
      '状态',
      '预警',
      '最近反馈',
      '评定',
      '重点督办',
    ]);
    expect(ws.getCell('A2').font?.bold).toBe(true);
    expect(fillOf(ws, 'A2')).toBe('FFD9E1F2');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.autoFilter).toBe('A2:P2');
    expect(ws.getColumn(3).width).toBe(40);
  });

  it('writes one row per item with Chinese text intact and Beijing times as text', async () => {
    const ws = await readBack(rows);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      1,
      'DB2026-0042',
      '推进老旧小区改造 <第一批> & "加装电梯"',
      '领导批示',
      '重点工作',
      '市住建局',
      '市财政局、市发改委',
      '张督查',
      '李副市长',
      '2026-03-01 09:00',
      '2026-03-10 18:00',
      '办理中',
      '红灯（承办单位逾期未反馈）',
      '2026-03-04 16:05',
      undefined, // no rating yet: a blank cell, not an empty string
      '是',
    ]);
    expect(ws.getCell('O6').value).toBe('良好');
    expect(ws.getCell('P6').value).toBe('否');
    expect(ws.getCell('N4').value).toBeNull();
  });

  it('fills the 预警 cell red, yellow, green and grey', async () => {
    const ws = await readBack(rows);
    expect(['M3', 'M4', 'M5', 'M6'].map((a) => ws.getCell(a).text)).toEqual([
      '红灯（承办单位逾期未反馈）',
      '黄灯（24小时内到期，或已过期限尚未交办）',
      '绿灯（正常）',
      '已办结',
    ]);
    expect(fillOf(ws, 'M3')).toBe('FFFF0000');
    expect(fillOf(ws, 'M4')).toBe('FFFFFF00');
    expect(fillOf(ws, 'M5')).toBe('FF00B050');
    expect(fillOf(ws, 'M6')).toBe('FFBFBFBF');
    expect(fillOf(ws, 'L3')).toBeUndefined(); // only the light column is coloured
  });

  it('has a title, a header and one row per item', async () => {
    expect((await readBack(rows)).actualRowCount).toBe(2 + rows.length);
    expect((await readBack([])).actualRowCount).toBe(2);
  });

  // Speed is measured by `npm run bench:core`, not asserted here.
  it('writes a large ledger completely (every row present, last row intact)', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => row((['green', 'yellow', 'red', 'done'] as const)[i % 4], { number: `DB2026-${i}` }));
    const ws = await readBack(many);
    expect(ws.actualRowCount).toBe(2 + many.length);
    expect(ws.getCell(`B${2 + many.length}`).value).toBe('DB2026-4999');
  });
});

describe('the exported 台账 says its filter in words (issue 15)', () => {
  it('names the unit, the state and the rest in Chinese, never the query keys', () => {
    expect(describeLedgerFilter({ unitId: 2, state: 'in_progress' }, '市财政局')).toBe('承办单位 市财政局；状态 办理中');
    expect(
      describeLedgerFilter({ source: 'meeting', board: 'key_task', light: 'red', registeredFrom: '2026-03-01', registeredTo: '2026-03-31', keyword: ' 小区 ' }),
    ).toBe('来源 会议议定事项；版块 重点工作；预警 红灯；立项日期 2026-03-01 至 2026-03-31；关键词「小区」');
    expect(describeLedgerFilter({})).toBe('全部事项');
  });
});
