/**
 * The command words (issue 4 §2): the ten Chinese words and their English aliases, which are executed, and the
 * synonyms people type instead, which only ever produce a suggestion.
 */
import type { CommandName } from './types';

export interface CommandSpec {
  word: string;
  alias: string;
  /** Words people type instead; they only ever produce a suggestion. */
  synonyms: readonly string[];
  takesNumber: boolean;
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  sign: { word: '签收', alias: 'sign', synonyms: ['签到', '接收', '收到', '领取'], takesNumber: true },
  report: { word: '反馈', alias: 'report', synonyms: ['回复', '汇报', '上报', '报告'], takesNumber: true },
  extend: { word: '延期', alias: 'extend', synonyms: ['延长', '延时', '申请延期', '延期申请'], takesNumber: true },
  close: { word: '办结', alias: 'close', synonyms: ['完成', '结办', '办完', '申请办结', '结案'], takesNumber: true },
  return: { word: '退回', alias: 'return', synonyms: ['驳回', '打回', '退件'], takesNumber: true },
  rate: { word: '评定', alias: 'rate', synonyms: ['评价', '打分', '评分', '评级'], takesNumber: true },
  approve: { word: '审定', alias: 'approve', synonyms: ['审批', '批准'], takesNumber: true },
  query: { word: '查询', alias: 'query', synonyms: ['查看', '查', '进度', '状态'], takesNumber: true },
  mine: { word: '我的', alias: 'mine', synonyms: ['我的事项', '我的待办', '待办'], takesNumber: false },
  score: { word: '积分', alias: 'score', synonyms: ['得分', '分数', '排名', '积分排名'], takesNumber: false },
  clue_audit: { word: '问责审核', alias: 'clue-audit', synonyms: ['问责', '审核问责', '问责审批'], takesNumber: false },
  bulletin_approve: { word: '通报审定', alias: 'bulletin-approve', synonyms: ['审定通报', '通报审批', '审通报'], takesNumber: false },
  // Issue 14: each role finishes its job in chat.
  approve_extension: { word: '批准延期', alias: 'approve-extension', synonyms: ['同意延期', '准予延期'], takesNumber: true },
  refuse_extension: { word: '驳回延期', alias: 'refuse-extension', synonyms: ['不同意延期', '拒绝延期'], takesNumber: true },
  withdraw: { word: '撤回', alias: 'withdraw', synonyms: ['撤销', '取消申请', '撤回申请'], takesNumber: true },
  confirm: { word: '确认', alias: 'confirm', synonyms: ['确定', '是的'], takesNumber: false },
  // Issue 15: a one-time link to the console (one to one only).
  login: { word: '登录', alias: 'login', synonyms: ['登陆', '登入', '网页登录'], takesNumber: false },
  help: { word: '帮助', alias: 'help', synonyms: ['?', '菜单', '命令', '说明'], takesNumber: false },
};
const NAMES = Object.keys(COMMANDS) as CommandName[];

/** Exact command words that are executed: Chinese words and English aliases. */
export const EXACT = new Map<string, CommandName>(NAMES.flatMap((n) => [[COMMANDS[n].word, n] as const, [COMMANDS[n].alias, n] as const]));
/** Chinese words, longest first (all are two characters today, but keep the order meaningful). */
export const CHINESE_WORDS = NAMES.map((n) => ({ name: n, word: COMMANDS[n].word })).sort((a, b) => b.word.length - a.word.length);
/** Candidates for near-miss suggestions, in preference order for ties. */
export const CANDIDATES: { text: string; name: CommandName }[] = [
  ...NAMES.map((n) => ({ text: COMMANDS[n].word, name: n })),
  ...NAMES.map((n) => ({ text: COMMANDS[n].alias, name: n })),
  ...NAMES.flatMap((n) => COMMANDS[n].synonyms.map((s) => ({ text: s, name: n }))),
];
