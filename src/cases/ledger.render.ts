import { PassThrough } from 'stream';
import * as ExcelJS from 'exceljs';
import { formatShanghai } from '../shared/shanghai-time';
import { safeCell } from '../shared/spreadsheet-text';
import { LIGHT_LABELS, type ItemView, type TrafficLight } from './item.view';
import { BOARDS, isKeyOf, SOURCES, STATE_LABELS } from '../shared/vocabulary';

/** B3: one ledger line — the item as the API shows it, plus when its lead unit last reported. */
export interface LedgerRow {
  item: ItemView;
  /** +08:00 ISO, or null when nothing has been reported yet. */
  lastReportAt: string | null;
}

export interface LedgerMeta {
  generatedAt: Date;
  /** Human-readable summary of the query behind the export, e.g. 「主办单位：市发改委；状态：办理中」. */
  filterDescription: string;
}

/** The 台账's filter as the query string gives it (GET /api/ledger and its export). */
export interface LedgerFilterWords {
  unitId?: number;
  source?: string;
  board?: string;
  state?: string;
  light?: string;
  overdue?: string;
  number?: string;
  keyword?: string;
  registeredFrom?: string;
  registeredTo?: string;
}

const SHORT_LIGHTS: Record<TrafficLight, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', done: '已办结' };

/** The filter line of the exported 台账, in words: 「承办单位 市财政局；状态 办理中」 — or 「全部事项」. */
export function describeLedgerFilter(f: LedgerFilterWords, unitName?: string | null): string {
  const parts: string[] = [];
  if (f.unitId !== undefined) parts.push(`承办单位 ${unitName ?? `编号为 ${f.unitId} 的单位`}`);
  if (f.source) parts.push(`来源 ${isKeyOf(SOURCES, f.source) ? SOURCES[f.source] : f.source}`);
  if (f.board) parts.push(`版块 ${isKeyOf(BOARDS, f.board) ? BOARDS[f.board] : f.board}`);
  if (f.state) parts.push(`状态 ${isKeyOf(STATE_LABELS, f.state) ? STATE_LABELS[f.state] : f.state}`);
  if (f.light) parts.push(`预警 ${isKeyOf(SHORT_LIGHTS, f.light) ? SHORT_LIGHTS[f.light] : f.light}`);
  if (f.overdue) parts.push(f.overdue === 'true' ? '逾期未反馈' : '未逾期');
  if (f.registeredFrom && f.registeredTo) parts.push(`立项日期 ${f.registeredFrom} 至 ${f.registeredTo}`);
  else if (f.registeredFrom) parts.push(`立项日期 ${f.registeredFrom} 起`);
  else if (f.registeredTo) parts.push(`立项日期 ${f.registeredTo} 前（含当天）`);
  if (f.number?.trim()) parts.push(`编号含「${f.number.trim()}」`);
  if (f.keyword?.trim()) parts.push(`关键词「${f.keyword.trim()}」`);
  return parts.length ? parts.join('；') : '全部事项';
}

export const LEDGER_SHEET_NAME = '督办台账';
export const LEDGER_TITLE = '督办事项台账';

/** Column order is the B3 ledger layout the 督查室 prints; widths are in Excel character units. */
const COLUMNS: ReadonlyArray<{ header: string; width: number; wrap?: boolean; center?: boolean }> = [
  { header: '序号', width: 7, center: true },
  { header: '事项编号', width: 15 },
  { header: '标题', width: 40, wrap: true },
  { header: '来源', width: 16 },
  { header: '版块', width: 10 },
  { header: '主办单位', width: 20, wrap: true },
  { header: '协办单位', width: 28, wrap: true },
  { header: '立项主体', width: 10 },
  { header: '分管领导', width: 10 },
  { header: '立项时间', width: 17 },
  { header: '办理期限', width: 17 },
  { header: '状态', width: 11 },
  { header: '预警', width: 20, center: true },
  { header: '最近反馈', width: 17 },
  { header: '评定', width: 8, center: true },
  { header: '重点督办', width: 9, center: true },
];
const LIGHT_COLUMN = COLUMNS.findIndex((c) => c.header === '预警') + 1;
const LAST_COLUMN_LETTER = String.fromCharCode(64 + COLUMNS.length); // 16 columns → 'P'; stays within A–Z
const TITLE_ROW = 1;
const HEADER_ROW = 2;

/** Saturated fills so the light reads at a glance on screen; white text where the fill is dark. */
const LIGHT_COLOURS: Record<TrafficLight, { fill: string; font: string }> = {
  green: { fill: 'FF00B050', font: 'FFFFFFFF' },
  yellow: { fill: 'FFFFFF00', font: 'FF000000' },
  red: { fill: 'FFFF0000', font: 'FFFFFFFF' },
  done: { fill: 'FFBFBFBF', font: 'FF000000' },
};

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF808080' } };
const border: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const FONT = 'SimSun';

/*
 * Style objects are built once and shared by every cell: exceljs caches style ids by object identity
 * (a WeakMap), so a shared object costs a map lookup per cell instead of re-serialising the style.
 */
const bodyStyles: Partial<ExcelJS.Style>[] = COLUMNS.map((c) => ({
  font: { name: FONT, size: 10 },
  border,
  alignment: { vertical: 'middle', horizontal: c.center ? 'center' : 'left', wrapText: !!c.wrap },
}));
const headerStyle: Partial<ExcelJS.Style> = {
  font: { name: FONT, size: 10, bold: true },
  border,
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
};
const lightStyles = Object.fromEntries(
  (Object.keys(LIGHT_COLOURS) as TrafficLight[]).map((l) => [
    l,
    {
      ...bodyStyles[LIGHT_COLUMN - 1],
      font: { name: FONT, size: 10, bold: l !== 'done', color: { argb: LIGHT_COLOURS[l].font } },
      fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: LIGHT_COLOURS[l].fill } },
    } satisfies Partial<ExcelJS.Style>,
  ]),
) as Record<TrafficLight, Partial<ExcelJS.Style>>;

/** Views carry +08:00 ISO strings; the ledger shows them as text so Excel never shifts them by a time zone. */
const when = (iso: string | null): string => (iso ? formatShanghai(new Date(iso)) : '');

function rowValues(r: LedgerRow, index: number): (string | number)[] {
  const it = r.item;
  return [
    index,
    it.number,
    it.title,
    it.sourceLabel,
    it.boardLabel,
    it.leadUnit?.name ?? '',
    it.coUnits.map((u) => u.name).join('、'),
    it.owner?.name ?? '',
    it.leader?.name ?? '',
    when(it.registeredAt),
    when(it.deadline),
    it.stateLabel,
    LIGHT_LABELS[it.light],
    when(r.lastReportAt),
    it.ratingLabel ?? '',
    it.keySupervision ? '是' : '否',
  ];
}

/**
 * B3 台账 as .xlsx. Uses the streaming writer: rows are serialised and released as they are committed,
 * so 100,000 items cost time linear in the rows and memory bounded by the zip output, not the cell model.
 */
export async function renderLedgerXlsx(rows: LedgerRow[], meta: LedgerMeta): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  // Wait for the readable side's 'end', not just commit(): commit resolves on 'finish', possibly before the last 'data'.
  const drained = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Duban';
  wb.created = meta.generatedAt;
  const ws = wb.addWorksheet(LEDGER_SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));

  // Title row: what, when, and which subset — a printed ledger must say what it is a list of.
  const filter = meta.filterDescription.trim() || '全部事项';
  const title = ws.getRow(TITLE_ROW);
  title.getCell(1).value = {
    richText: [
      { text: LEDGER_TITLE, font: { name: FONT, size: 16, bold: true } },
      { text: `　　生成时间：${formatShanghai(meta.generatedAt)}（北京时间）　　筛选条件：${filter}`, font: { name: FONT, size: 10 } },
    ],
  };
  title.getCell(1).alignment = { vertical: 'middle', horizontal: 'left' };
  title.height = 28;
  ws.mergeCells(`A${TITLE_ROW}:${LAST_COLUMN_LETTER}${TITLE_ROW}`);
  title.commit();

  const header = ws.getRow(HEADER_ROW);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = headerStyle;
  });
  header.height = 20;
  header.commit();
  ws.autoFilter = `A${HEADER_ROW}:${LAST_COLUMN_LETTER}${HEADER_ROW}`;

  rows.forEach((r, i) => {
    const row = ws.getRow(HEADER_ROW + 1 + i);
    const values = rowValues(r, i + 1);
    for (let c = 0; c < values.length; c++) {
      const cell = row.getCell(c + 1);
      cell.value = values[c] === '' ? null : safeCell(values[c]); // truly blank, so the autofilter offers 「(空白)」
      cell.style = c + 1 === LIGHT_COLUMN ? lightStyles[r.item.light] : bodyStyles[c];
    }
    row.commit(); // hand the row to the zip stream now; nothing per-row stays in memory
  });

  ws.commit();
  await wb.commit();
  await drained;
  return Buffer.concat(chunks);
}
