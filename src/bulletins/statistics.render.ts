import * as ExcelJS from 'exceljs';
import { formatShanghai } from '../shared/shanghai-time';
import { safeCell } from '../shared/spreadsheet-text';
import type { BulletinCounts } from './bulletin.rules';

export interface StatisticsRow extends BulletinCounts {
  label: string;
}
export interface StatisticsItemRow {
  number: string;
  title: string;
  unit: string;
  source: string;
  registeredAt: Date;
  deadlineAt: Date;
  state: string;
  closedAt: Date | null;
  onTime: boolean | null;
  /**
   * Issue 14, blame follows custody: whose time the item is on at the period end, in words — 未交办, 未到期, 承办单位已按期反馈,
   * 承办单位逾期未反馈, 待立项主体审核/待分管领导审定/待立项主体审批延期（已等待N个工作日）, 按期办结, 逾期办结.
   */
  custody?: string;
}
export interface Statistics {
  periodLabel: string;
  generatedAt: Date;
  totals: BulletinCounts;
  byUnit: StatisticsRow[];
  bySource: StatisticsRow[];
  byMonth: StatisticsRow[];
  items: StatisticsItemRow[];
}

const COUNTS: [keyof BulletinCounts, string][] = [
  ['registered', '登记'],
  ['closed', '办结'],
  ['onTime', '按期办结'],
  ['overdue', '单位逾期未办结'],
  ['awaiting', '按期报结待审'],
  ['returned', '退回（件次）'],
  ['failed', '不合格（件次）'],
  ['keySupervision', '重点督办'],
];
const FONT = '宋体';

/** B4: statistics for leaders as a workbook — by unit, by source, by month of registration, and item by item. */
export async function renderStatisticsXlsx(s: Statistics): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Duban';
  wb.created = s.generatedAt;
  const title = `督查督办统计　${s.periodLabel}　生成时间：${formatShanghai(s.generatedAt)}（北京时间）`;
  const sheet = (name: string, first: string, rows: StatisticsRow[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([title]).font = { name: FONT, bold: true, size: 12 };
    const head = ws.addRow([first, ...COUNTS.map(([, l]) => l), '按期办结率']);
    head.font = { name: FONT, bold: true };
    for (const r of [...rows, { label: '合计', ...s.totals }]) {
      ws.addRow([safeCell(r.label), ...COUNTS.map(([k]) => r[k]), r.closed ? `${((r.onTime / r.closed) * 100).toFixed(1)}%` : '—']).font = {
        name: FONT,
        bold: r.label === '合计',
      };
    }
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 12));
  };
  sheet('按单位', '单位', s.byUnit);
  sheet('按来源', '来源', s.bySource);
  sheet('按登记月份', '登记月份', s.byMonth);
  const ws = wb.addWorksheet('按事项');
  ws.addRow([title]).font = { name: FONT, bold: true, size: 12 };
  ws.addRow(['编号', '事项', '主办单位', '来源', '登记时间', '期限', '状态', '办结时间', '是否按期', '时限情况']).font = { name: FONT, bold: true };
  for (const i of s.items)
    ws.addRow(
      [
        i.number,
        i.title,
        i.unit,
        i.source,
        formatShanghai(i.registeredAt),
        formatShanghai(i.deadlineAt),
        i.state,
        formatShanghai(i.closedAt),
        i.onTime === null ? '' : i.onTime ? '是' : '否',
        i.custody ?? '',
      ].map(safeCell),
    );
  ws.columns.forEach((c, i) => (c.width = [14, 40, 20, 16, 17, 17, 10, 17, 8, 30][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
