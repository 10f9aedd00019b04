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
    case 'login':
      return '/登录';
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
  login: '/登录',
};

/** The usage sentence: the full form and an example. */
export function usage(name: CommandName, ctx: Ctx): string {
  if (name === 'mine') return '发送 /我的 可查看您的待办事项。';
  if (name === 'score') return '发送 /积分 可查看本单位的激励积分，督查室和领导可发送 /积分 单位名。';
  if (name === 'help') return '发送 /帮助 可查看全部命令和例子。';
  if (name === 'confirm') return '发送 /确认 可办理督办助手刚才向您确认的申请。';
  if (name === 'login') return '私聊督办助手发送 /登录 可获取督办系统的登录链接。';
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

/** The roles /帮助 has a section for (P2); a person holding several gets one section each, in this order. */
export type HelpRole = 'unit' | 'owner' | 'leader' | 'supervisor';

/**
 * Issue 14: what each role can do in chat, one line a command. Another role's commands are not listed to it.
 */
export const ROLE_HELP: Record<HelpRole, { title: string; lines: string[] }> = {
  unit: {
    title: '承办单位',
    lines: [
      '/签收 编号（签收交办的事项）',
      '/反馈 编号 进展情况（主办单位报送办理进展）',
      '/延期 编号 新日期 理由（在期限前申请延期）',
      '/办结 编号 办结情况（主办单位申请办结）',
      '/撤回 编号（撤回待审批的延期或办结申请）',
      '/积分（本单位激励积分）',
    ],
  },
  owner: {
    title: '立项主体',
    lines: [
      '/评定 编号 等次 意见（审核办结申请，等次为优秀、良好、合格或不合格，意见可不写）',
      '/退回 编号 理由（退回不符合要求的反馈或办结申请）',
      '/批准延期 编号 意见（同意延期，意见可不写）',
      '/驳回延期 编号 理由（不同意延期）',
    ],
  },
  leader: {
    title: '分管领导',
    lines: [
      '/审定 编号（审定办结）',
      '/退回 编号 理由（不予审定，退回承办单位继续办理）',
      '/问责审核 线索编号 同意，或 /问责审核 线索编号 退回 理由',
      '/通报审定 通报编号 同意，或 /通报审定 通报编号 退回 理由',
      '/积分 单位名（查看单位激励积分）',
    ],
  },
  supervisor: {
    title: '督查室',
    lines: ['/查询 编号（可查看全部事项）', '/积分 单位名（查看单位激励积分）', '立项、交办、催办、重点督办和通报请在督办系统中办理。'],
  },
};
const HELP_ORDER: HelpRole[] = ['unit', 'owner', 'leader', 'supervisor'];

/**
 * Issue 14: /帮助 by role — the person's own waiting items first (lines already written), then a section per role they
 * hold, the commands everyone has, and an example with one of their own numbers.
 */
export function roleHelp(p: { name: string; roles: readonly HelpRole[]; waiting: readonly string[]; ownNumber?: string }, opts: ParseOptions): string {
  const ctx = makeCtx(opts);
  const roles = HELP_ORDER.filter((r) => p.roles.includes(r));
  const n = p.ownNumber ?? ctx.exNumber;
  const ex = roles.includes('unit')
    ? `/反馈 ${n} 已完成初稿`
    : roles.includes('owner')
      ? `/评定 ${n} 良好`
      : roles.includes('leader')
        ? `/审定 ${n}`
        : `/查询 ${n}`;
  return [
    `${p.name}，您好。督办助手命令如下（命令、编号和内容之间空一格）：`,
    ...(p.waiting.length ? ['等您办理的：', ...p.waiting.slice(0, 5)] : []),
    ...roles.flatMap((r) => [`${ROLE_HELP[r].title}：`, ...ROLE_HELP[r].lines]),
    '都可使用：',
    '/查询 编号　/我的（我的事项）　/登录（获取督办系统登录链接）　/帮助（本说明）',
    `例如：${ex}`,
    ...(roles.includes('unit') ? [`日期也可写成 12月20日 或 ${ctx.exDate.slice(0, 4)}1220。`] : []),
  ].join('\n');
}

/** The /帮助 text with the default prefix 'DB' (examples in 2026); prefer commandHelp() with the configured prefix. */
export const COMMAND_HELP: string = commandHelp({ numberPrefix: 'DB', today: '2026-01-01' });
