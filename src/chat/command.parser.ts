/**
 * The chat command parser (issue 4 §2): what a person types in a DingTalk or WeCom group → one BotCommand, or one
 * Chinese sentence (two at most) saying exactly what to type instead. Pure: no framework, no database, no clock —
 * `today` (an Asia/Shanghai 'YYYY-MM-DD') is a parameter.
 *
 * How a message is read:
 * - The head of the message (mentions, command word, number, date, rating) is read token by token, each token
 *   NFKC-normalised, so `／反馈　ＤＢ２０２６－００４２` reads like `/反馈 DB2026-0042`. Any run of white space (tabs,
 *   newlines, U+3000, the U+2005 WeCom puts after a mention, NBSP) and zero-width spaces separate fields.
 * - Content / reason / summary / comment are the ORIGINAL text after the last head field, trimmed at both ends only.
 *   They are NOT NFKC-normalised: a report's full-width punctuation (，：（）％) is what the unit wrote and goes into
 *   the item's file (一事一卷) unchanged; inner newlines and spaces are kept; there is no length limit here.
 * - Leading @mentions (`@督办助手 @张三 `) are stripped; a mention may be glued to the slash (`@督办助手/反馈`).
 * - Without a slash, a message is a command only when it starts with a Chinese command word that takes a number,
 *   followed by white space and a valid item number (`反馈 DB2026-0042 已完成初稿`); anything else is NOT_A_COMMAND.
 * - Accepted command words: the ten Chinese words and the ten English aliases (case-insensitive). Synonyms and typos
 *   (`/回复`, `/返馈`, `/帮忙`) are never executed, they get "您是不是想输入 /反馈？" with the usage line. One
 *   exception: a single stray space inside a Chinese command word (`/反 馈`) is joined and accepted, because the
 *   join is unambiguous and a long report should not be lost over it.
 * - Also forgiven: a space after the slash (`/ 反馈`), a colon after the command word (`/反馈：DB2026-0042`), the
 *   number glued to the Chinese word (`/反馈DB2026-0042 …`), the number split by spaces (`DB 2026 0042`), and the
 *   number glued to punctuation or Chinese text (`DB2026-0042：已完成`).
 * - /签收, /审定, /查询 and /我的, /帮助 ignore trailing text (`/签收 DB2026-0042 收到`), except that a second item
 *   number is refused (ONE_AT_A_TIME) rather than silently dropped.
 */
import { daysInMonth, isValidLocalDate } from '../calendar/local-date';
import { formatItemNumber, normalizeItemNumber } from '../cases/item-number.rules';
import { RATINGS, type Rating } from '../shared/vocabulary';

export type BotCommand =
  | { name: 'sign'; number: string }
  | { name: 'report'; number: string; content: string }
  | { name: 'extend'; number: string; date: string; reason: string }
  | { name: 'close'; number: string; summary: string }
  | { name: 'return'; number: string; reason: string }
  | { name: 'rate'; number: string; rating: Rating; comment: string }
  | { name: 'approve'; number: string }
  | { name: 'query'; number: string }
  | { name: 'mine' }
  /** Issue 7 §1: a unit's 激励积分 and the lines that made it; `unit` for the 督查室 and leaders. */
  | { name: 'score'; unit?: string }
  /** A2: the leader's 审核 of an accountability opinion (usually a card button): XS2026-0001 同意 / 退回 理由. */
  | { name: 'clue_audit'; number: string; approve: boolean; text: string }
  /** B2: the leader's 审定 of a 通报: TB2026-0001 同意 / 退回 理由. */
  | { name: 'bulletin_approve'; number: string; approve: boolean; text: string }
  | { name: 'help' };
export type CommandName = BotCommand['name'];

export type ParseErrorCode =
  | 'UNKNOWN_COMMAND'
  | 'MISSING_NUMBER'
  | 'BAD_NUMBER'
  | 'ONE_AT_A_TIME'
  | 'MISSING_CONTENT'
  | 'MISSING_SUMMARY'
  | 'MISSING_REASON'
  | 'MISSING_DATE'
  | 'BAD_DATE'
  | 'DATE_IN_PAST'
  | 'MISSING_DECISION'
  | 'MISSING_RATING'
  | 'BAD_RATING';

export type ParseResult =
  | { ok: true; command: BotCommand }
  /** `message`: Chinese, says what to type (with the full form and an example); reply it to the person. */
  | { ok: false; code: ParseErrorCode; message: string }
  /** Plain chat, not addressed to the bot as a command: stay silent. */
  | { ok: false; code: 'NOT_A_COMMAND' };

export interface ParseOptions {
  /** The configured item-number prefix, e.g. 'DB'. */
  numberPrefix: string;
  /** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
  today: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

interface CommandSpec {
  word: string;
  alias: string;
  /** Words people type instead; they only ever produce a suggestion. */
  synonyms: readonly string[];
  takesNumber: boolean;
}

const COMMANDS: Record<CommandName, CommandSpec> = {
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
  help: { word: '帮助', alias: 'help', synonyms: ['?', '菜单', '命令', '说明'], takesNumber: false },
};
const NAMES = Object.keys(COMMANDS) as CommandName[];

/** Exact command words that are executed: Chinese words and English aliases. */
const EXACT = new Map<string, CommandName>(NAMES.flatMap((n) => [[COMMANDS[n].word, n] as const, [COMMANDS[n].alias, n] as const]));
/** Chinese words, longest first (all are two characters today, but keep the order meaningful). */
const CHINESE_WORDS = NAMES.map((n) => ({ name: n, word: COMMANDS[n].word })).sort((a, b) => b.word.length - a.word.length);
/** Candidates for near-miss suggestions, in preference order for ties. */
const CANDIDATES: { text: string; name: CommandName }[] = [
  ...NAMES.map((n) => ({ text: COMMANDS[n].word, name: n })),
  ...NAMES.map((n) => ({ text: COMMANDS[n].alias, name: n })),
  ...NAMES.flatMap((n) => COMMANDS[n].synonyms.map((s) => ({ text: s, name: n }))),
];

/** Rating words, longest first so that 不合格 wins over 合格. */
const RATING_WORDS: { word: string; rating: Rating }[] = (Object.keys(RATINGS) as Rating[])
  .flatMap((r) => [
    { word: RATINGS[r] as string, rating: r },
    { word: r as string, rating: r },
  ])
  .sort((a, b) => b.word.length - a.word.length);

// ---------------------------------------------------------------------------------------------------------------
// Examples and messages

interface Ctx {
  prefix: string;
  today: string;
  /** e.g. DB2026-0042, with the configured prefix and today's year. */
  exNumber: string;
  /** the next 12-20 that is not in the past, e.g. 2026-12-20. */
  exDate: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function makeCtx(opts: ParseOptions): Ctx {
  if (!opts || !isValidLocalDate(opts.today)) {
    throw new RangeError(`parseCommand: opts.today must be a real date written YYYY-MM-DD, got ${JSON.stringify(opts?.today)}`);
  }
  const year = Number(opts.today.slice(0, 4));
  const exYear = opts.today.slice(5) > '12-20' ? year + 1 : year;
  return { prefix: opts.numberPrefix, today: opts.today, exNumber: formatItemNumber(opts.numberPrefix, year, 42), exDate: `${exYear}-12-20` };
}

/** One example per command; shared by the error messages and the /帮助 text. */
function example(name: CommandName, ctx: Ctx): string {
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
};

/** The usage sentence: the full form and an example. */
function usage(name: CommandName, ctx: Ctx): string {
  if (name === 'mine') return '发送 /我的 可查看您的待办事项。';
  if (name === 'score') return '发送 /积分 可查看本单位的激励积分，督查室和领导可发送 /积分 单位名。';
  if (name === 'help') return '发送 /帮助 可查看全部命令和例子。';
  return `请写成：${FORMS[name]}，例如 ${example(name, ctx)}。`;
}

const MISSING_TEXT: Partial<Record<CommandName, { code: ParseErrorCode; what: string }>> = {
  report: { code: 'MISSING_CONTENT', what: '反馈内容' },
  close: { code: 'MISSING_SUMMARY', what: '办结说明' },
  return: { code: 'MISSING_REASON', what: '退回理由' },
  extend: { code: 'MISSING_REASON', what: '延期理由' },
};

/** What the person typed, shortened for quoting in a reply. */
function shown(s: string): string {
  const chars = Array.from(s);
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : s;
}

const fail = (code: ParseErrorCode, message: string): ParseResult => ({ ok: false, code, message });
const NOT_A_COMMAND: ParseResult = { ok: false, code: 'NOT_A_COMMAND' };

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

/** The /帮助 text with the default prefix 'DB' (examples in 2026); prefer commandHelp() with the configured prefix. */
export const COMMAND_HELP: string = commandHelp({ numberPrefix: 'DB', today: '2026-01-01' });

// ---------------------------------------------------------------------------------------------------------------
// Reading the text

const SEP_CLASS = '\\s\\u200b-\\u200d\\u2060';
const SEP_RUN = new RegExp(`[${SEP_CLASS}]+`, 'y');
const TOKEN = new RegExp(`[^${SEP_CLASS}]+`, 'y');
const IS_SEP = new RegExp(`^[${SEP_CLASS}]$`);
const MENTION = /[@＠][\p{L}\p{N}\p{M}_.\-·•＿－．]+/uy;
/** Characters an item number is typed with (before NFKC). */
const NUMBER_CHARS = /[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－—–_＿]+/y;
/** Characters a date is typed with (before NFKC). */
const DATE_CHARS = /[0-9０-９\-－/／.．年月日号]+/y;
/** Punctuation allowed between a head field and what follows when there is no space. */
const GLUE_PUNCT = /[:：,，、;；.。]+/y;

const nf = (s: string) => s.normalize('NFKC');
const hasDigit = (s: string) => /[0-9]/.test(nf(s));

class Cursor {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}

  private stick(re: RegExp): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    return m ? m[0] : '';
  }

  skipSep(): void {
    this.pos += this.stick(SEP_RUN).length;
  }

  /** The token at pos (up to the next separator), not consumed. */
  peek(): string {
    return this.stick(TOKEN);
  }

  /** The run of `re` at pos, not consumed. */
  match(re: RegExp): string {
    return this.stick(re);
  }

  /** True at the end or before a separator: the current token is used up. */
  atBoundary(): boolean {
    return this.pos >= this.text.length || IS_SEP.test(this.text[this.pos]!);
  }

  /** Skips punctuation that glues a head field to the text after it; true when there was any. */
  skipGluePunct(): boolean {
    const p = this.stick(GLUE_PUNCT);
    this.pos += p.length;
    return p.length > 0;
  }

  /** Everything from pos, with separators trimmed at both ends only. */
  rest(): string {
    let start = this.pos;
    let end = this.text.length;
    while (start < end && IS_SEP.test(this.text[start]!)) start++;
    while (end > start && IS_SEP.test(this.text[end - 1]!)) end--;
    return this.text.slice(start, end);
  }
}

/** Length of the prefix of `token` whose NFKC (lower-cased) form is `normalized`, or -1. */
function originalPrefixLength(token: string, normalized: string): number {
  for (let k = 1; k <= token.length; k++) {
    const p = nf(token.slice(0, k)).toLowerCase();
    if (p === normalized) return k;
    if (p.length > normalized.length) break;
  }
  return -1;
}

/** The command word as typed, normalised: NFKC, lower case, trailing punctuation dropped. */
function normalizeWord(token: string): string {
  const w = nf(token).toLowerCase();
  const stripped = w.replace(/[:,.;!?。、]+$/u, '');
  return stripped === '' ? w : stripped;
}

type Taken<T> = { ok: true; value: T } | { ok: false; kind: 'missing' | 'bad'; shown: string };

function takeNumber(cur: Cursor, prefix: string): Taken<string> {
  cur.skipSep();
  const token = cur.peek();
  if (token === '') return { ok: false, kind: 'missing', shown: '' };
  const head = cur.match(NUMBER_CHARS);
  if (head === '') return { ok: false, kind: hasDigit(token) ? 'bad' : 'missing', shown: nf(token) };
  const number = normalizeItemNumber(nf(head), prefix);
  if (number !== null) {
    cur.pos += head.length;
    if (!cur.atBoundary()) cur.skipGluePunct(); // 'DB2026-0042：已完成' → the rest starts at 已完成
    return { ok: true, value: number };
  }
  if (head === token) {
    // 'DB 2026 0042': the number split by spaces; join at most three whole tokens.
    const start = cur.pos;
    let joined = head;
    cur.pos += head.length;
    for (let i = 0; i < 2; i++) {
      cur.skipSep();
      const next = cur.peek();
      if (next === '' || cur.match(NUMBER_CHARS) !== next) break;
      joined += next;
      cur.pos += next.length;
      const n = normalizeItemNumber(nf(joined), prefix);
      if (n !== null) return { ok: true, value: n };
    }
    cur.pos = start;
  }
  return { ok: false, kind: hasDigit(token) || /[a-z]/i.test(nf(head)) ? 'bad' : 'missing', shown: nf(token) };
}

type DateTaken = { ok: true; value: string } | { ok: false; code: ParseErrorCode; message: string };

function takeDate(cur: Cursor, ctx: Ctx): DateTaken {
  const use = usage('extend', ctx);
  const y = ctx.exDate.slice(0, 4);
  const forms = `日期可写成 ${y}-12-20、${y}/12/20、${y}1220、12-20 或 12月20日`;
  cur.skipSep();
  const token = cur.peek();
  if (token === '' || (!hasDigit(token) && !/[年月日号]/.test(token))) {
    return { ok: false, code: 'MISSING_DATE', message: `缺少新的期限日期。${use}` };
  }
  const bad = (): DateTaken => ({ ok: false, code: 'BAD_DATE', message: `看不懂日期“${shown(nf(token))}”，${forms}。${use}` });
  const head = cur.match(DATE_CHARS);
  if (head === '') return bad();
  const start = cur.pos;
  cur.pos += head.length;
  if (!cur.atBoundary() && !cur.skipGluePunct()) {
    cur.pos = start;
    return bad(); // '2026-12-20前' — the date must stand alone
  }
  const s = nf(head).replace(/\.+$/, '');
  let m: RegExpExecArray | null;
  let year: number | null = null;
  let month: number;
  let day: number;
  if ((m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(s)) || (m = /^(\d{4})()年(\d{1,2})月(\d{1,2})[日号]?$/.exec(s))) {
    [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  } else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{1,2})[-/.](\d{1,2})$/.exec(s)) || (m = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(s))) {
    [month, day] = [Number(m[1]), Number(m[2])];
  } else {
    cur.pos = start;
    return bad();
  }
  const todayYear = Number(ctx.today.slice(0, 4));
  if (year === null) {
    // No year: this year, or next year when that day has already passed.
    year = `${pad2(month)}-${pad2(day)}` < ctx.today.slice(5) ? todayYear + 1 : todayYear;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    cur.pos = start;
    return { ok: false, code: 'BAD_DATE', message: `没有${year}年${month}月${day}日这一天，请写一个真实的日期。${use}` };
  }
  const date = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  if (date < ctx.today) {
    return { ok: false, code: 'DATE_IN_PAST', message: `新期限 ${date} 早于今天（${ctx.today}），请写今天或以后的日期。${use}` };
  }
  return { ok: true, value: date };
}

function takeRating(cur: Cursor): Taken<Rating> {
  cur.skipSep();
  const token = cur.peek();
  if (token === '') return { ok: false, kind: 'missing', shown: '' };
  const w = nf(token).toLowerCase();
  for (const { word, rating } of RATING_WORDS) {
    if (!w.startsWith(word)) continue;
    const k = originalPrefixLength(token, word);
    if (k < 0) continue;
    const start = cur.pos;
    cur.pos += k;
    if (cur.atBoundary() || cur.skipGluePunct()) return { ok: true, value: rating };
    cur.pos = start;
  }
  return { ok: false, kind: 'bad', shown: nf(token) };
}

// ---------------------------------------------------------------------------------------------------------------
// Near misses

/** Optimal string alignment distance (Levenshtein plus adjacent transposition), over code points. */
function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

function commonPrefixLength(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let i = 0;
  while (i < s.length && i < t.length && s[i] === t[i]) i++;
  return i;
}

/** The command a mistyped word most likely meant, or null when nothing is close. */
export function suggestCommand(typed: string): CommandName | null {
  const w = normalizeWord(typed);
  if (w === '') return null;
  const exact = CANDIDATES.find((c) => c.text === w);
  if (exact) return exact.name;
  // '反馈情况', '申请延期': the word contains a Chinese command word (the earliest one wins).
  const contained = CHINESE_WORDS.map((c) => ({ ...c, at: w.indexOf(c.word) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (contained) return contained.name;
  const len = Array.from(w).length;
  const limit = len <= 4 ? 1 : 2;
  let best: { name: CommandName; dist: number; prefix: number } | null = null;
  for (const c of CANDIDATES) {
    const dist = editDistance(w, c.text);
    // Replacing every character is no near miss: '好' is one edit from '查' but means nothing like it.
    if (dist > limit || dist >= Math.max(len, Array.from(c.text).length)) continue;
    // Ties go to the candidate that starts like the typed word: '回' → 回复 (反馈) rather than 退回.
    const prefix = commonPrefixLength(w, c.text);
    if (!best || dist < best.dist || (dist === best.dist && prefix > best.prefix)) best = { name: c.name, dist, prefix };
  }
  return best ? best.name : null;
}

// ---------------------------------------------------------------------------------------------------------------
// The parser

/**
 * Parses one chat message. Throws RangeError only when `opts.today` is not a real 'YYYY-MM-DD' (a programming
 * error); everything a person can type yields a ParseResult.
 */
export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const ctx = makeCtx(opts);
  if (typeof text !== 'string') return NOT_A_COMMAND;
  const cur = new Cursor(text);

  // Leading @mentions (WeCom keeps them; DingTalk removes them and leaves a space).
  for (;;) {
    cur.skipSep();
    const mention = cur.match(MENTION);
    if (mention === '') break;
    cur.pos += mention.length;
  }
  cur.skipSep();
  if (cur.pos >= text.length) return NOT_A_COMMAND;

  if (nf(text[cur.pos]!) !== '/') return parseWithoutSlash(cur, ctx);
  cur.pos += 1;
  cur.skipSep(); // '/ 反馈'
  const tokenStart = cur.pos;
  const token = cur.peek();
  if (token === '') {
    return fail('UNKNOWN_COMMAND', `请在“/”后面写命令，例如 ${example('report', ctx)}。${usage('help', ctx)}`);
  }
  const word = normalizeWord(token);

  const exact = EXACT.get(word);
  if (exact) {
    cur.pos += token.length;
    return parseArguments(exact, cur, ctx);
  }

  // '/反馈DB2026-0042 …', '/反馈：DB2026-0042 …': the number glued to a Chinese command word.
  const lower = nf(token).toLowerCase();
  for (const { name, word: cw } of CHINESE_WORDS) {
    if (!COMMANDS[name].takesNumber || !lower.startsWith(cw)) continue;
    const k = originalPrefixLength(token, cw);
    if (k < 0) continue;
    cur.pos = tokenStart + k;
    cur.pos += cur.match(/[:：]/y).length;
    if (/^[A-Za-z0-9]$/.test(nf(text[cur.pos] ?? ''))) return parseArguments(name, cur, ctx);
    cur.pos = tokenStart;
  }

  // '/反 馈 …': one stray space inside a Chinese command word.
  cur.pos = tokenStart + token.length;
  cur.skipSep();
  const next = cur.peek();
  if (next !== '') {
    const joined = EXACT.get(normalizeWord(token + next));
    if (joined && COMMANDS[joined].word === normalizeWord(token + next)) {
      cur.pos += next.length;
      return parseArguments(joined, cur, ctx);
    }
  }

  const suggestion = suggestCommand(token);
  if (suggestion) return fail('UNKNOWN_COMMAND', `您是不是想输入 /${COMMANDS[suggestion].word}？${usage(suggestion, ctx)}`);
  return fail('UNKNOWN_COMMAND', `没有“/${shown(nf(token))}”这个命令，${usage('help', ctx)}`);
}

/** '反馈 DB2026-0042 已完成初稿': a Chinese command word, white space, a valid number — else plain chat. */
function parseWithoutSlash(cur: Cursor, ctx: Ctx): ParseResult {
  const token = cur.peek();
  const w = nf(token).replace(/[:]+$/, '');
  const name = CHINESE_WORDS.find((c) => c.word === w)?.name;
  if (!name || !COMMANDS[name].takesNumber) return NOT_A_COMMAND;
  const afterWord = cur.pos + token.length;
  if (afterWord >= cur.text.length) return NOT_A_COMMAND;
  const probe = new Cursor(cur.text, afterWord);
  if (!takeNumber(probe, ctx.prefix).ok) return NOT_A_COMMAND;
  cur.pos = afterWord;
  return parseArguments(name, cur, ctx);
}

function parseArguments(name: CommandName, cur: Cursor, ctx: Ctx): ParseResult {
  if (name === 'mine' || name === 'help') return { ok: true, command: { name } };
  if (name === 'score') {
    const unit = cur.rest();
    return { ok: true, command: unit === '' ? { name } : { name, unit } };
  }
  if (name === 'clue_audit' || name === 'bulletin_approve') return parseDecision(name, cur, ctx);

  const use = usage(name, ctx);
  const num = takeNumber(cur, ctx.prefix);
  if (!num.ok) {
    return num.kind === 'missing'
      ? fail('MISSING_NUMBER', `缺少事项编号。${use}`)
      : fail('BAD_NUMBER', `“${shown(num.shown)}”不是有效的事项编号，编号形如 ${ctx.exNumber}。${use}`);
  }
  const number = num.value;

  switch (name) {
    case 'sign':
    case 'approve':
    case 'query': {
      cur.skipSep();
      const next = cur.peek();
      if (next !== '' && normalizeItemNumber(nf(next), ctx.prefix) !== null) {
        return fail('ONE_AT_A_TIME', `一次只能${COMMANDS[name].word}一个事项，请每条消息只写一个编号。${use}`);
      }
      return { ok: true, command: { name, number } };
    }
    case 'report':
    case 'close':
    case 'return': {
      const text = cur.rest();
      if (text === '') {
        const missing = MISSING_TEXT[name]!;
        return fail(missing.code, `缺少${missing.what}。${use}`);
      }
      if (name === 'report') return { ok: true, command: { name, number, content: text } };
      if (name === 'close') return { ok: true, command: { name, number, summary: text } };
      return { ok: true, command: { name, number, reason: text } };
    }
    case 'extend': {
      const date = takeDate(cur, ctx);
      if (!date.ok) return fail(date.code, date.message);
      const reason = cur.rest();
      if (reason === '') return fail('MISSING_REASON', `缺少延期理由。${use}`);
      return { ok: true, command: { name, number, date: date.value, reason } };
    }
    case 'rate': {
      const rating = takeRating(cur);
      if (!rating.ok) {
        return rating.kind === 'missing'
          ? fail('MISSING_RATING', `缺少评定等次。${use}`)
          : fail('BAD_RATING', `“${shown(rating.shown)}”不是评定等次。${use}`);
      }
      return { ok: true, command: { name, number, rating: rating.value, comment: cur.rest() } };
    }
  }
}

/**
 * A leader's decision on a subject that is not an item: `/问责审核 XS2026-0001 同意 [意见]` (A2) or `/通报审定
 * TB2026-0001 退回 理由` (B2); a reason is required to send something back.
 */
function parseDecision(name: 'clue_audit' | 'bulletin_approve', cur: Cursor, ctx: Ctx): ParseResult {
  const use = usage(name, ctx);
  const what = name === 'clue_audit' ? '线索' : '通报';
  const ex = name === 'clue_audit' ? 'XS2026-0001' : 'TB2026-0001';
  cur.skipSep();
  const token = nf(cur.peek()).toUpperCase();
  const m = /^([A-Z]{1,8})-?(\d{4})-?(\d{1,6})$/.exec(token.replace(/[—–_－]/g, '-'));
  if (!m) return token === '' ? fail('MISSING_NUMBER', `缺少${what}编号。${use}`) : fail('BAD_NUMBER', `“${shown(token)}”不是有效的${what}编号，编号形如 ${ex}。${use}`);
  cur.pos += cur.peek().length;
  const number = `${m[1]}${m[2]}-${m[3].padStart(4, '0')}`;
  cur.skipSep();
  const word = nf(cur.peek());
  const approve = ['同意', '通过', '批准'].includes(word) ? true : ['退回', '不同意', '驳回'].includes(word) ? false : null;
  if (approve === null) return fail('MISSING_DECISION', `请写明“同意”或“退回”。${use}`);
  cur.pos += cur.peek().length;
  const text = cur.rest();
  if (!approve && text === '') return fail('MISSING_REASON', `退回须写明理由。${use}`);
  return { ok: true, command: { name, number, approve, text } };
}
