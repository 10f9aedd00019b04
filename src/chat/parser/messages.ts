/**
 * What the parser says back (issue 4 §2): one example per command, the usage sentence, the /帮助 text, and the
 * context they are written in (the configured number prefix, today's year). Pure: `today` is a parameter.
 */
import { isValidLocalDate } from '../../calendar/local-date';
import { formatItemNumber } from '../../cases/item-number.rules';
import type { CommandName, ParseErrorCode, ParseOptions, ParseResult } from './types';

export interface Ctx {
  prefix: string;
  today: string;
  /** e.g. DB2026-0042, with the configured prefix and today's year. */
  exNumber: string;
  /** the next 12-20 that is not in the past, e.g. 2026-12-20. */
  exDate: string;
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

export function makeCtx(opts: ParseOptions): Ctx {
  if (!opts || !isValidLocalDate(opts.today)) {
    throw new RangeError(`parseCommand: opts.today must be a real date written YYYY-MM-DD, got ${JSON.stringify(opts?.today)}`);
  }
  const year = Number(opts.today.slice(0, 4));
  const exYear = opts.today.slice(5) > '12-20' ? year + 1 : year;
  return { prefix: opts.numberPrefix, today: opts.today, exNumber: formatItemNumber(opts.numberPrefix, year, 42), exDate: `${exYear}-12-20` };
}

/** One example per command; shared by the error messages and the /帮助 text. */
export function example(name: CommandName, ctx: Ctx): string {
  const n = ctx.exNumber;
  switch (name) {
    case 'sign':
      return `/签收 ${n}`;
    case 'report':
      return `/反馈 ${n} 已完成初稿`;
    case 'extend':
      return `/延期 ${n} ${ctx.exDate} 等待批复`;
    case 'close':
      return `/办结 ${n} 已全部整改到位`;
    case 'return':
      return `/退回 ${n} 缺少现场照片`;
    case 'rate':
      return `/评定 ${n} 良好 材料齐全`;
    case 'approve':
      return `/审定 ${n}`;
    case 'query':
      return `/查询 ${n}`;
    case 'mine':
      return '/我的';
    case 'score':
      return '/积分';
    case 'clue_audit':
      return '/问责审核 XS2026-0001 同意';
    case 'bulletin_approve':
      return '/通报审定 TB2026-0001 同意';
    case 'help':
      return '/帮助';
    case 'approve_extension':
      return `/批准延期 ${n} 同意，请按期完成`;
    case 'refuse_extension':
      return `/驳回延期 ${n} 理由不充分`;
    case 'withdraw':
      return `/撤回 ${n}`;
    case 'confirm':
      return '/确认';
  }
}

const FORMS: Record<CommandName, string> = {
  sign: '/签收 编号',
  report: '/反馈 编号 内容',
  extend: '/延期 编号 新日期 理由',
  close: '/办结 编号 说明',
  return: '/退回 编号 理由',
  rate: '/评定 编号 等次 意见（等次为优秀、良好、合格或不合格，意见可不写）',
  approve: '/审定 编号',
  query: '/查询 编号',
  mine: '/我的',
  score: '/积分（本单位）或 /积分 单位名',
  clue_audit: '/问责审核 线索编号 同意 或 /问责审核 线索编号 退回 理由',
  bulletin_approve: '/通报审定 通报编号 同意 或 /通报审定 通报编号 退回 理由',
  help: '/帮助',
  approve_extension: '/批准延期 编号 意见（意见可不写）',
  refuse_extension: '/驳回延期 编号 理由',
  withdraw: '/撤回 编号',
  confirm: '/确认',
};

/** The usage sentence: the full form and an example. */
export function usage(name: CommandName, ctx: Ctx): string {
  if (name === 'mine') return '发送 /我的 可查看您的待办事项。';
  if (name === 'score') return '发送 /积分 可查看本单位的激励积分，督查室和领导可发送 /积分 单位名。';
  if (name === 'help') return '发送 /帮助 可查看全部命令和例子。';
  if (name === 'confirm') return '发送 /确认 可办理督办助手刚才向您确认的申请。';
  return `请写成：${FORMS[name]}，例如 ${example(name, ctx)}。`;
}

/** What the person typed, shortened for quoting in a reply. */
export function shown(s: string): string {
  const chars = Array.from(s);
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : s;
}

export const fail = (code: ParseErrorCode, message: string): ParseResult => ({ ok: false, code, message });
export const NOT_A_COMMAND: ParseResult = { ok: false, code: 'NOT_A_COMMAND' };

/** The /帮助 text for a configured prefix, with examples in today's year. */
export function commandHelp(opts: ParseOptions): string {
  const ctx = makeCtx(opts);
  return [
    '督办助手命令（各项之间空一格）：',
    ...(['sign', 'report', 'extend', 'close', 'return', 'rate', 'approve', 'query'] as const).map((n) => example(n, ctx)),
    '/我的（待办）　/积分（本单位积分）',
    '/帮助（显示本说明）',
    '评定等次：优秀、良好、合格、不合格。',
    '评定意见可以不写。',
    `日期也可写成 12月20日 或 ${ctx.exDate.slice(0, 4)}1220。`,
  ].join('\n');
}

/**
 * Issue 14 (H2): the help lines of the commands that let each role finish in chat, by role — for the role-aware /帮助
 * (the full list above is already at a phone screen's 14 lines).
 */
export function roleCommandHelp(opts: ParseOptions): { owner: string[]; leader: string[]; unit: string[] } {
  const ctx = makeCtx(opts);
  return {
    owner: [`${example('approve_extension', ctx)}（同意延期）`, `${example('refuse_extension', ctx)}（不同意延期）`],
    leader: [`/审定 ${ctx.exNumber}　/退回 ${ctx.exNumber} 理由`],
    unit: [`${example('withdraw', ctx)}（撤回待审批的申请）`],
  };
}

/** The /帮助 text with the default prefix 'DB' (examples in 2026); prefer commandHelp() with the configured prefix. */
export const COMMAND_HELP: string = commandHelp({ numberPrefix: 'DB', today: '2026-01-01' });
