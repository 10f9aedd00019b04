import type { WallCell, WallView } from '../../api.gen';

export const BOARD_CHOICES: { value: WallView['board']; label: string }[] = [
  { value: 'key_task', label: '重点工作' },
  { value: 'reform', label: '重大改革' },
  { value: 'all', label: '全部' },
];

export const isBoard = (v: string | null): v is WallView['board'] => BOARD_CHOICES.some((b) => b.value === v);

/** A cell's background by the task's light, pale enough to read the words on paper too. */
export const CELL_BACKGROUND = { red: '#fff1f0', yellow: '#fffbe6', green: '#f6ffed', done: '#f5f5f5' } as const;
export const CELL_BORDER = { red: '#ff7875', yellow: '#ffd666', green: '#95de64', done: '#d9d9d9' } as const;

/** The cells by `unitId|number`. */
export function cellIndex(cells: WallCell[]): Map<string, WallCell> {
  return new Map(cells.map((c) => [`${c.unitId}|${c.number}`, c]));
}

/** The print stylesheet: the chart alone on a landscape sheet, no menu, no buttons, the colours kept. */
export function printStyle(paper: 'A3' | 'A4'): string {
  return `
@media print {
  @page { size: ${paper} landscape; margin: 10mm; }
  html, body { background: #fff !important; }
  .ant-layout-sider, .ant-layout-header, .ant-drawer, .wall-noprint { display: none !important; }
  .ant-layout, .ant-layout-content { padding: 0 !important; background: #fff !important; min-height: 0 !important; }
  .wall-scroll { overflow: visible !important; }
  .wall-table { width: 100% !important; font-size: 9pt; }
  .wall-table th, .wall-table td { position: static !important; }
  .wall-table thead { display: table-header-group; }
  .wall-table tr { break-inside: avoid; }
  .wall-table, .wall-table * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;
}
