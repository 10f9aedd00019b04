import type { DeskItem, DeskSourceCount, DeskUnitCount, DeskView } from '../../api.gen';
import type { ChartOption } from './Chart';

/** The lists of what waits on the reader, by their part in the items (the desk shows those of their roles). */
export const QUEUES: {
  key: 'toAssign' | 'toSign' | 'toReport' | 'toRate' | 'extensions' | 'toApprove';
  title: string;
  roles: DeskView['roles'][number][];
  hint: string;
  empty: string;
}[] = [
  { key: 'toAssign', title: '待交办', roles: ['supervisor', 'owner'], hint: '已立项、尚未交办的事项，请核对后交办给承办单位。', empty: '没有待交办的事项。' },
  { key: 'toSign', title: '待签收', roles: ['unit'], hint: '已交办给本单位，请打开事项核对办理要求后签收。', empty: '没有待签收的事项。' },
  { key: 'toReport', title: '待反馈', roles: ['unit'], hint: '本单位主办、正在办理的事项，请在期限前反馈进展。', empty: '没有需要反馈的事项。' },
  { key: 'toRate', title: '待评定', roles: ['owner'], hint: '承办单位已申请办结，请审核后评定（优秀、良好、合格、不合格）。', empty: '没有待评定的办结申请。' },
  { key: 'extensions', title: '延期待批', roles: ['owner'], hint: '承办单位申请延期，请批准或驳回。', empty: '没有待审批的延期申请。' },
  { key: 'toApprove', title: '待审定', roles: ['leader'], hint: '立项主体已评定，请审定办结。', empty: '没有待审定的事项。' },
];

/** The overview lists everyone gets, within what they may see. */
export const OVERVIEW: { key: 'overdue' | 'dueThisWeek' | 'keySupervision'; title: string; hint: string; empty: string; ledger: string }[] = [
  { key: 'overdue', title: '逾期未反馈', hint: '承办单位已过期限仍未反馈（红灯），需催办。', empty: '没有逾期未反馈的事项。', ledger: '/台账?overdue=true' },
  { key: 'dueThisWeek', title: '本周到期', hint: '本周日之前到期、尚未办结的事项。', empty: '本周没有到期的事项。', ledger: '/台账' },
  { key: 'keySupervision', title: '重点督办', hint: '列为重点督办、尚未办结的事项。', empty: '没有重点督办的事项。', ledger: '/台账' },
];

export type { DeskItem };

const COLOURS = { red: '#cf1322', yellow: '#d48806', green: '#389e0d', done: '#8c8c8c' };
const WORDS = { red: '红灯', yellow: '黄灯', green: '绿灯', done: '已办结' } as const;

/** Items by lead unit, stacked by light: the units with the most red on top. */
export function unitChart(rows: DeskUnitCount[], narrow: boolean): ChartOption {
  const shown = [...rows].slice(0, 12).reverse(); // the bar chart draws from the bottom
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.unitName),
      axisLabel: { width: narrow ? 72 : 120, overflow: 'truncate' },
    },
    series: (['red', 'yellow', 'green', 'done'] as const).map((l) => ({
      name: WORDS[l],
      type: 'bar' as const,
      stack: 'all',
      barMaxWidth: 22,
      itemStyle: { color: COLOURS[l] },
      data: shown.map((r) => r[l]),
    })),
  };
}

/** Items by source, as a ring. */
export function sourceChart(rows: DeskSourceCount[], narrow: boolean): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}：{c}项（{d}%）' },
    legend: narrow ? { bottom: 0, type: 'scroll' } : { orient: 'vertical', right: 0, top: 'middle', type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: narrow ? ['50%', '42%'] : ['36%', '50%'],
        label: { show: false },
        data: rows.map((r) => ({ name: r.label, value: r.count })),
      },
    ],
  };
}

export const unitChartHeight = (rows: number) => Math.max(180, 48 + Math.min(rows, 12) * 30);
