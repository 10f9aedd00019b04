/**
 * Issue 4 §2: the chat command parser. Table-tested: each row is one message a person could type in a group.
 * Today is 2026-03-01 (Asia/Shanghai) and the number prefix is DB unless a row says otherwise.
 */
import { COMMAND_HELP, commandHelp, parseCommand, suggestCommand, type BotCommand, type ParseResult } from './command.parser';

const OPTS = { numberPrefix: 'DB', today: '2026-03-01' };
const N = 'DB2026-0042';
const parse = (text: string, opts = OPTS) => parseCommand(text, opts);
const ok = (command: BotCommand): ParseResult => ({ ok: true, command });
const messageOf = (r: ParseResult): string => {
  if (r.ok || r.code === 'NOT_A_COMMAND') throw new Error(`expected an error with a message, got ${JSON.stringify(r)}`);
  return r.message;
};

// The usage lines, spelled out once so that a changed message fails here.
const USE = {
  sign: `请写成：/签收 编号，例如 /签收 ${N}。`,
  report: `请写成：/反馈 编号 内容，例如 /反馈 ${N} 已完成初稿。`,
  extend: `请写成：/延期 编号 新日期 理由，例如 /延期 ${N} 2026-12-20 等待批复。`,
  close: `请写成：/办结 编号 说明，例如 /办结 ${N} 已全部整改到位。`,
  return: `请写成：/退回 编号 理由，例如 /退回 ${N} 缺少现场照片。`,
  rate: `请写成：/评定 编号 等次 意见（等次为优秀、良好、合格或不合格，意见可不写），例如 /评定 ${N} 良好 材料齐全。`,
  approve: `请写成：/审定 编号，例如 /审定 ${N}。`,
  query: `请写成：/查询 编号，例如 /查询 ${N}。`,
  mine: '发送 /我的 可查看您的待办事项。',
  help: '发送 /帮助 可查看全部命令和例子。',
};

describe('every command in its plain form', () => {
  it.each<[string, BotCommand]>([
    [`/签收 ${N}`, { name: 'sign', number: N }],
    [`/反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`/延期 ${N} 2026-12-20 等待省厅批复`, { name: 'extend', number: N, date: '2026-12-20', reason: '等待省厅批复' }],
    [`/办结 ${N} 已全部整改到位`, { name: 'close', number: N, summary: '已全部整改到位' }],
    [`/退回 ${N} 缺少现场照片`, { name: 'return', number: N, reason: '缺少现场照片' }],
    [`/评定 ${N} 良好 材料齐全`, { name: 'rate', number: N, rating: 'good', comment: '材料齐全' }],
    [`/审定 ${N}`, { name: 'approve', number: N }],
    [`/查询 ${N}`, { name: 'query', number: N }],
    ['/我的', { name: 'mine' }],
    ['/帮助', { name: 'help' }],
  ])('%s', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });
});

describe('English aliases (case-insensitive)', () => {
  it.each<[string, BotCommand]>([
    [`/sign ${N}`, { name: 'sign', number: N }],
    [`/report ${N} done`, { name: 'report', number: N, content: 'done' }],
    [`/extend ${N} 2026-12-20 等待批复`, { name: 'extend', number: N, date: '2026-12-20', reason: '等待批复' }],
    [`/close ${N} 已整改`, { name: 'close', number: N, summary: '已整改' }],
    [`/return ${N} 缺照片`, { name: 'return', number: N, reason: '缺照片' }],
    [`/rate ${N} excellent`, { name: 'rate', number: N, rating: 'excellent', comment: '' }],
    [`/Approve ${N}`, { name: 'approve', number: N }],
    [`/QUERY ${N}`, { name: 'query', number: N }],
    ['/mine', { name: 'mine' }],
    ['/Help', { name: 'help' }],
  ])('%s', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });
});

describe('NFKC, full-width characters and separators', () => {
  it.each<[string, BotCommand]>([
    [`／反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    ['／反馈　ＤＢ２０２６－００４２　已完成初稿', { name: 'report', number: N, content: '已完成初稿' }],
    [`/反馈\t${N}\t\t已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`/反馈    ${N}  \u3000 已完成初稿   `, { name: 'report', number: N, content: '已完成初稿' }],
    [`/反馈 ${N}\n已完成初稿\n`, { name: 'report', number: N, content: '已完成初稿' }],
    [`／签收\u3000ｄｂ２０２６－４２`, { name: 'sign', number: N }],
    ['／评定　ＤＢ２０２６－００４２　ｇｏｏｄ', { name: 'rate', number: N, rating: 'good', comment: '' }],
    ['／延期　ＤＢ２０２６－００４２　２０２６－１２－２０　等待批复', { name: 'extend', number: N, date: '2026-12-20', reason: '等待批复' }],
    [`/ 反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`/反馈：${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`/反馈${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`/帮助？`, { name: 'help' }],
    [`\u200b/签收\u200b${N}`, { name: 'sign', number: N }],
  ])('%j', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });
});

describe('leading @mentions and DingTalk’s leading space', () => {
  it.each<[string, BotCommand]>([
    [`@督办助手 /反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`@督办助手 @张三 /反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`@督办助手\u2005/签收 ${N}`, { name: 'sign', number: N }], // WeCom puts U+2005 after a mention
    [`＠督办助手　／签收　${N}`, { name: 'sign', number: N }],
    [`@督办助手/签收 ${N}`, { name: 'sign', number: N }],
    [`@zhang.san-01 @李_四 /签收 ${N}`, { name: 'sign', number: N }],
    [`@阿依古丽·买买提 /签收 ${N}`, { name: 'sign', number: N }],
    [` /反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }], // DingTalk strips the @name, keeps the space
    [`  /我的`, { name: 'mine' }],
    [`@督办助手 反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
  ])('%j', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });
});

describe('no slash: an exact command word, a space and a valid number', () => {
  it.each<[string, BotCommand]>([
    [`反馈 ${N} 已完成初稿`, { name: 'report', number: N, content: '已完成初稿' }],
    [`签收 ${N}`, { name: 'sign', number: N }],
    ['签收 2026-42', { name: 'sign', number: N }],
    [`延期 ${N} 12月20日 等待批复`, { name: 'extend', number: N, date: '2026-12-20', reason: '等待批复' }],
    [`评定 ${N} 优秀`, { name: 'rate', number: N, rating: 'excellent', comment: '' }],
    [`办结　${N}　已整改`, { name: 'close', number: N, summary: '已整改' }],
  ])('%s', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });

  it('a command word and a valid number but a missing part is answered, not ignored', () => {
    expect(parse(`反馈 ${N}`)).toEqual({ ok: false, code: 'MISSING_CONTENT', message: `缺少反馈内容。${USE.report}` });
  });
});

describe('plain chat → NOT_A_COMMAND (the bot stays silent)', () => {
  it.each([
    '',
    '   ',
    '\u3000',
    '大家好，明天上午开会',
    '反馈一下今天的情况',
    '反馈 一下今天的情况',
    '反馈 2026 年一季度情况',
    `反馈${N} 已完成`, // no space after the word: not a slashless command
    '我的 天',
    '帮助 一下',
    '签收 abc',
    '@督办助手',
    '@督办助手 你好',
    '@督办助手 @张三 收到',
    `请 /反馈 ${N} 已完成`,
    `麻烦反馈 ${N}`,
  ])('%j', (text) => {
    expect(parse(text)).toEqual({ ok: false, code: 'NOT_A_COMMAND' });
  });

  it('a non-string is not a command', () => {
    expect(parse(undefined as unknown as string)).toEqual({ ok: false, code: 'NOT_A_COMMAND' });
  });
});

describe('item numbers go through normalizeItemNumber', () => {
  it.each<[string, string, string]>([
    ['lower case', `/签收 db2026-0042`, N],
    ['short sequence', `/签收 db2026-42`, N],
    ['no prefix', `/签收 2026-42`, N],
    ['no hyphen', `/签收 DB20260042`, N],
    ['split by spaces', `/签收 DB 2026 0042`, N],
    ['prefix apart', `/签收 DB 2026-0042`, N],
    ['em dash', `/签收 DB2026—42`, N],
    ['long sequence', `/签收 DB2026-12345`, 'DB2026-12345'],
  ])('%s: %s', (_label, text, number) => {
    expect(parse(text)).toEqual(ok({ name: 'sign', number }));
  });

  it('uses the configured prefix', () => {
    const sz = { numberPrefix: 'SZ', today: '2026-03-01' };
    expect(parse('/签收 2026-7', sz)).toEqual(ok({ name: 'sign', number: 'SZ2026-0007' }));
    expect(parse('/签收 sz2026-7', sz)).toEqual(ok({ name: 'sign', number: 'SZ2026-0007' }));
  });

  it.each<[string, string]>([
    ['number then colon', `/反馈 ${N}：已完成初稿`],
    ['number then comma', `/反馈 ${N}，已完成初稿`],
    ['number glued to Chinese', `/反馈 ${N}已完成初稿`],
    ['split number', `/反馈 DB 2026 0042 已完成初稿`],
  ])('content after the number: %s', (_label, text) => {
    expect(parse(text)).toEqual(ok({ name: 'report', number: N, content: '已完成初稿' }));
  });

  it('a bad number shows the expected shape with the configured prefix (exact message)', () => {
    expect(parse('/签收 XX2026-42')).toEqual({
      ok: false,
      code: 'BAD_NUMBER',
      message: `“XX2026-42”不是有效的事项编号，编号形如 ${N}。${USE.sign}`,
    });
    const sz = { numberPrefix: 'SZ', today: '2026-03-01' };
    expect(messageOf(parse(`/反馈 ${N} 已完成`, sz))).toBe(
      `“${N}”不是有效的事项编号，编号形如 SZ2026-0042。请写成：/反馈 编号 内容，例如 /反馈 SZ2026-0042 已完成初稿。`,
    );
  });

  it.each<[string, string]>([
    [`/签收 DB2026-0000`, '“DB2026-0000”'],
    [`/查询 42`, '“42”'],
    [`/审定 第42号`, '“第42号”'],
    [`/反馈 abc 已完成`, '“abc”'],
  ])('BAD_NUMBER: %s', (text, quoted) => {
    const r = parse(text);
    expect(r).toMatchObject({ ok: false, code: 'BAD_NUMBER' });
    expect(messageOf(r)).toContain(quoted);
    expect(messageOf(r)).toContain(`编号形如 ${N}`);
  });

  it('a very long bad token is shortened in the reply', () => {
    const msg = messageOf(parse(`/签收 DB${'9'.repeat(60)}`));
    expect(msg).toContain(`“DB${'9'.repeat(18)}…”`);
  });

  it.each(['签收', '审定', '查询'])('/%s with two numbers is refused, not half-done', (word) => {
    const r = parse(`/${word} ${N} DB2026-0043`);
    expect(r).toMatchObject({ ok: false, code: 'ONE_AT_A_TIME' });
    expect(messageOf(r)).toBe(`一次只能${word}一个事项，请每条消息只写一个编号。${USE[word === '签收' ? 'sign' : word === '审定' ? 'approve' : 'query']}`);
  });

  it('/签收 ignores a trailing remark that is not a number', () => {
    expect(parse(`/签收 ${N} 收到，马上办理`)).toEqual(ok({ name: 'sign', number: N }));
  });
});

describe('content, reason and summary keep their inner text exactly', () => {
  it('multi-line report content is preserved exactly (inner newlines, spaces, full-width punctuation)', () => {
    const content = '一、已完成初稿；\n二、已征求 3 个部门意见（发改委、财政局）。\n\n  三、下周　送审：完成率９５％';
    expect(parse(`/反馈 ${N}\n${content}`)).toEqual(ok({ name: 'report', number: N, content }));
    expect(parse(`／反馈　${N}　${content}\r\n`)).toEqual(ok({ name: 'report', number: N, content }));
  });

  it('CRLF inside the content is kept', () => {
    expect(parse(`/办结 ${N} 第一条\r\n第二条`)).toEqual(ok({ name: 'close', number: N, summary: '第一条\r\n第二条' }));
  });

  it('a 3,000-character Chinese report comes through whole', () => {
    const base = '关于督办事项的落实情况，现报告如下：已完成。\n';
    const content = base.repeat(Math.ceil(3000 / base.length)).slice(0, 3000);
    expect(content).toHaveLength(3000);
    expect(content).toMatch(/\S$/);
    const r = parse(`@督办助手 /反馈 ${N} ${content}`);
    expect(r.ok && r.command.name === 'report' && r.command.content).toBe(content);
  });

  it('reason and comment keep their inner spaces', () => {
    expect(parse(`/退回 ${N} 缺少  现场照片 和 签字`)).toEqual(ok({ name: 'return', number: N, reason: '缺少  现场照片 和 签字' }));
    expect(parse(`/延期 ${N} 12-20 资金 未到位\n预计 12 月到位`)).toEqual(
      ok({ name: 'extend', number: N, date: '2026-12-20', reason: '资金 未到位\n预计 12 月到位' }),
    );
  });
});

describe('missing parts → a specific Chinese message with the full form and an example', () => {
  it.each<[string, string, string]>([
    [`/签收`, 'MISSING_NUMBER', `缺少事项编号。${USE.sign}`],
    [`/反馈`, 'MISSING_NUMBER', `缺少事项编号。${USE.report}`],
    [`/反馈 已完成初稿`, 'MISSING_NUMBER', `缺少事项编号。${USE.report}`],
    [`/反馈 ${N}`, 'MISSING_CONTENT', `缺少反馈内容。${USE.report}`],
    [`/延期 ${N}`, 'MISSING_DATE', `缺少新的期限日期。${USE.extend}`],
    [`/延期 ${N} 2026-12-20`, 'MISSING_REASON', `缺少延期理由。${USE.extend}`],
    [`/评定 ${N}`, 'MISSING_RATING', `缺少评定等次。${USE.rate}`],
  ])('exact: %s', (text, code, message) => {
    expect(parse(text)).toEqual({ ok: false, code, message });
  });

  it.each<[string, string, string, string]>([
    [`/延期`, 'MISSING_NUMBER', '缺少事项编号', USE.extend],
    [`/延期 ${N} 资金未到位`, 'MISSING_DATE', '缺少新的期限日期', USE.extend],
    [`/办结`, 'MISSING_NUMBER', '缺少事项编号', USE.close],
    [`/办结 ${N}`, 'MISSING_SUMMARY', '缺少办结说明', USE.close],
    [`/退回`, 'MISSING_NUMBER', '缺少事项编号', USE.return],
    [`/退回 ${N}　`, 'MISSING_REASON', '缺少退回理由', USE.return],
    [`/评定`, 'MISSING_NUMBER', '缺少事项编号', USE.rate],
    [`/审定`, 'MISSING_NUMBER', '缺少事项编号', USE.approve],
    [`/查询`, 'MISSING_NUMBER', '缺少事项编号', USE.query],
    [`/report`, 'MISSING_NUMBER', '缺少事项编号', USE.report],
    [`@督办助手 ／反馈　${N}　\n`, 'MISSING_CONTENT', '缺少反馈内容', USE.report],
  ])('%j → %s', (text, code, what, usage) => {
    const r = parse(text);
    expect(r).toMatchObject({ ok: false, code });
    expect(messageOf(r)).toContain(what);
    expect(messageOf(r)).toContain(usage);
  });
});

describe('unknown command words → a near-miss suggestion', () => {
  it('/返馈 (exact message)', () => {
    expect(parse(`/返馈 ${N} 已完成初稿`)).toEqual({
      ok: false,
      code: 'UNKNOWN_COMMAND',
      message: `您是不是想输入：/反馈 ${N} 已完成初稿\n如是，请按这一行重新发送。`,
    });
  });

  it.each<[string, string, string]>([
    ['/返馈', '反馈', USE.report],
    ['/汇报', '反馈', USE.report],
    ['/反馈情况', '反馈', USE.report],
    ['/reprot', '反馈', USE.report],
    ['/接收', '签收', USE.sign],
    ['/sing', '签收', USE.sign],
    ['/延长', '延期', USE.extend],
    ['/申请延期', '延期', USE.extend],
    ['/完成', '办结', USE.close],
    ['/结办', '办结', USE.close],
    ['/申请办结', '办结', USE.close],
    ['/驳回', '退回', USE.return],
    ['/审批', '审定', USE.approve],
    ['/批准', '审定', USE.approve],
    ['/评价', '评定', USE.rate],
    ['/打分', '评定', USE.rate],
    ['/查看', '查询', USE.query],
    ['/查', '查询', USE.query],
    ['/查寻', '查询', USE.query],
    ['/帮忙', '帮助', USE.help],
    ['/?', '帮助', USE.help],
    ['/？', '帮助', USE.help],
    ['/hlep', '帮助', USE.help],
    ['/我的事项', '我的', USE.mine],
    ['/待办', '我的', USE.mine],
    ['/回', '反馈', USE.report], // tie between 回复 and 退回: the one starting like the typed word wins
  ])('%s → /%s', (text, word, usage) => {
    expect(parse(text)).toEqual({ ok: false, code: 'UNKNOWN_COMMAND', message: `您是不是想输入 /${word}？${usage}` });
  });

  it.each<[string, string]>([
    [`/回复 ${N} 已完成`, `/反馈 ${N} 已完成`],
    [`/签到 ${N}`, `/签收 ${N}`],
    [`/反 ${N} 已完成`, `/反馈 ${N} 已完成`],
    [`/返馈  ${N}　已完成 `, `/反馈 ${N}　已完成`],
  ])('%s → the whole command corrected: %s', (text, corrected) => {
    expect(parse(text)).toEqual({ ok: false, code: 'UNKNOWN_COMMAND', message: `您是不是想输入：${corrected}\n如是，请按这一行重新发送。` });
  });

  it('a stray space inside a Chinese command word is joined and accepted (decision: the join is unambiguous)', () => {
    expect(parse(`/反 馈 ${N} 已完成初稿`)).toEqual(ok({ name: 'report', number: N, content: '已完成初稿' }));
    expect(parse(`/签　收 ${N}`)).toEqual(ok({ name: 'sign', number: N }));
  });

  it.each<[string, string]>([
    ['/天气', '没有“/天气”这个命令，发送 /帮助 可查看全部命令和例子。'],
    ['/好', '没有“/好”这个命令，发送 /帮助 可查看全部命令和例子。'], // one edit from 查, but replacing every character is no near miss
    ['/', `请在“/”后面写命令，例如 /反馈 ${N} 已完成初稿。发送 /帮助 可查看全部命令和例子。`],
    ['@督办助手 ／', `请在“/”后面写命令，例如 /反馈 ${N} 已完成初稿。发送 /帮助 可查看全部命令和例子。`],
  ])('no close match: %s', (text, message) => {
    expect(parse(text)).toEqual({ ok: false, code: 'UNKNOWN_COMMAND', message });
  });

  it('suggestCommand: synonyms and typos are suggestions only, never executed', () => {
    expect(suggestCommand('回复')).toBe('report');
    expect(suggestCommand('天气')).toBeNull();
    expect(parse(`/完成 ${N} 已整改`).ok).toBe(false);
  });
});

describe('/延期 dates (today 2026-03-01 unless stated)', () => {
  it.each<[string, string, string?]>([
    ['2026-12-20', '2026-12-20'],
    ['2026/12/20', '2026-12-20'],
    ['2026.12.20', '2026-12-20'],
    ['20261220', '2026-12-20'],
    ['2026-3-5', '2026-03-05'],
    ['12-20', '2026-12-20'],
    ['12/20', '2026-12-20'],
    ['12.20', '2026-12-20'],
    ['12月20日', '2026-12-20'],
    ['12月20号', '2026-12-20'],
    ['2026年12月20日', '2026-12-20'],
    ['２０２６年１２月２０日', '2026-12-20'],
    ['2026-03-01', '2026-03-01'], // today is not in the past
    ['3月1日', '2026-03-01'],
    ['2月28日', '2027-02-28'], // passed this year → next year
    ['1-5', '2027-01-05'],
    ['12月20日', '2026-12-20', '2026-12-20'],
    ['12月20日', '2027-12-20', '2026-12-25'],
    ['12-20', '2027-12-20', '2026-12-21'],
    ['2月29日', '2028-02-29', '2027-03-01'],
  ])('%s → %s (today %s)', (typed, date, today = '2026-03-01') => {
    // Issue 14: a date typed without a year that falls into next year is marked, so the bot asks before filing it.
    const guessed = date.slice(0, 4) !== today.slice(0, 4) ? { yearGuessed: true } : {};
    expect(parse(`/延期 ${N} ${typed} 等待批复`, { numberPrefix: 'DB', today })).toEqual(
      ok({ name: 'extend', number: N, date, reason: '等待批复', ...guessed }),
    );
  });

  it.each([`/延期 ${N} 12月20日，等待批复`, `/延期 ${N} 2026-12-20：等待批复`, `/延期 ${N} 2026-12-20。等待批复`])(
    'punctuation between date and reason: %s',
    (text) => {
      expect(parse(text)).toEqual(ok({ name: 'extend', number: N, date: '2026-12-20', reason: '等待批复' }));
    },
  );

  it('a date in the past (exact message)', () => {
    expect(parse(`/延期 ${N} 2026-02-28 等待批复`)).toEqual({
      ok: false,
      code: 'DATE_IN_PAST',
      message: `新期限 2026-02-28 早于今天（2026-03-01），请写今天或以后的日期。${USE.extend}`,
    });
  });

  it('an unparseable date (exact message shows the accepted forms)', () => {
    expect(messageOf(parse(`/延期 ${N} 下月底 等待批复`))).toMatch(/^看不懂日期“下月底”，日期可写成/);
    expect(parse(`/延期 ${N} 2026-1220 等待批复`)).toEqual({
      ok: false,
      code: 'BAD_DATE',
      message: `看不懂日期“2026-1220”，日期可写成 2026-12-20、2026/12/20、20261220、12-20 或 12月20日。${USE.extend}`,
    });
  });

  it.each([
    ['1220', '看不懂日期“1220”'],
    ['26-12-20', '看不懂日期“26-12-20”'],
    ['2026-12-20前', '看不懂日期“2026-12-20前”'],
    ['十二月二十日', '看不懂日期“十二月二十日”'],
    ['2026-13-01', '没有2026年13月1日这一天'],
    ['2026-02-30', '没有2026年2月30日这一天'],
    ['2月29日', '没有2027年2月29日这一天'],
  ])('BAD_DATE: %s', (typed, start) => {
    const r = parse(`/延期 ${N} ${typed} 等待批复`);
    expect(r).toMatchObject({ ok: false, code: 'BAD_DATE' });
    expect(messageOf(r).startsWith(start)).toBe(true);
    expect(messageOf(r)).toContain(USE.extend);
  });
});

describe('/评定 ratings', () => {
  it.each<[string, BotCommand]>([
    [`/评定 ${N} 优秀`, { name: 'rate', number: N, rating: 'excellent', comment: '' }],
    [`/评定 ${N} 良好`, { name: 'rate', number: N, rating: 'good', comment: '' }],
    [`/评定 ${N} 合格`, { name: 'rate', number: N, rating: 'pass', comment: '' }],
    [`/评定 ${N} 不合格`, { name: 'rate', number: N, rating: 'fail', comment: '' }],
    [`/评定 ${N} 不合格 现场照片与实际不符`, { name: 'rate', number: N, rating: 'fail', comment: '现场照片与实际不符' }],
    [`/评定 ${N} 优秀 材料齐全，\n整改到位`, { name: 'rate', number: N, rating: 'excellent', comment: '材料齐全，\n整改到位' }],
    [`/评定 ${N} 良好，材料齐全`, { name: 'rate', number: N, rating: 'good', comment: '材料齐全' }],
    [`/评定 ${N} Pass 基本完成`, { name: 'rate', number: N, rating: 'pass', comment: '基本完成' }],
    [`/评定 ${N} FAIL`, { name: 'rate', number: N, rating: 'fail', comment: '' }],
  ])('%j', (text, command) => {
    expect(parse(text)).toEqual(ok(command));
  });

  it.each(['A', '好', '优', '合格率高', '一般', 'goodish', '材料齐全'])('BAD_RATING lists the four words: %s', (word) => {
    const r = parse(`/评定 ${N} ${word} 意见`);
    expect(r).toEqual({ ok: false, code: 'BAD_RATING', message: `“${word}”不是评定等次。${USE.rate}` });
  });
});

describe('every error is Chinese and says what to type', () => {
  const errors = [
    '/签收',
    '/签收 XX1',
    `/反馈 ${N}`,
    `/延期 ${N}`,
    `/延期 ${N} 1220 x`,
    `/延期 ${N} 2020-01-01 x`,
    `/延期 ${N} 12-20`,
    `/办结 ${N}`,
    `/退回 ${N}`,
    `/评定 ${N}`,
    `/评定 ${N} A`,
    `/审定 ${N} ${N}`,
    '/返馈',
    '/天气',
    '/',
  ];
  it.each(errors)('%j', (text) => {
    const msg = messageOf(parse(text));
    expect(msg).toMatch(/[\u4e00-\u9fff]/);
    expect(msg).toMatch(/[。？]$/);
    expect(msg).toMatch(/请|发送/);
    expect(msg).not.toMatch(/Error|undefined|null|NaN|\bat\b|[{}]/);
    expect(msg.replace(/“[^”]*”/g, '').replace(/\/[a-z]+|DB\d{4}-\d{4}/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });
});

describe('COMMAND_HELP', () => {
  it.each([
    `/签收 ${N}`,
    `/反馈 ${N} 已完成初稿`,
    `/延期 ${N} 2026-12-20 等待批复`,
    `/办结 ${N} 已全部整改到位`,
    `/退回 ${N} 缺少现场照片`,
    `/评定 ${N} 良好 材料齐全`,
    `/审定 ${N}`,
    `/查询 ${N}`,
    '/我的',
    '/帮助',
  ])('shows %s, and the example parses', (line) => {
    expect(COMMAND_HELP).toContain(line);
    expect(parse(line).ok).toBe(true);
  });

  it('lists the four rating words', () => {
    expect(COMMAND_HELP).toContain('优秀、良好、合格、不合格');
  });

  it('is short enough for a phone screen (≤ 14 lines, each ≤ 40 columns, CJK counted double)', () => {
    const width = (s: string) => Array.from(s).reduce((w, ch) => w + (ch.charCodeAt(0) <= 0xff ? 1 : 2), 0);
    const lines = COMMAND_HELP.split('\n');
    expect(lines.length).toBeLessThanOrEqual(14);
    expect(lines.filter((l) => width(l) > 40)).toEqual([]);
  });

  it('commandHelp uses the configured prefix and a future example date', () => {
    const help = commandHelp({ numberPrefix: 'SZ', today: '2027-12-25' });
    expect(help).toContain('/签收 SZ2027-0042');
    expect(help).toContain('/延期 SZ2027-0042 2028-12-20 等待批复');
    expect(help).not.toContain('DB');
  });
});

describe('options', () => {
  it.each(['', '2026-3-1', '2026-02-30', 'today'])('an invalid today (%j) is a programming error', (today) => {
    expect(() => parseCommand('/我的', { numberPrefix: 'DB', today })).toThrow(RangeError);
  });
});

describe('/积分 (issue 7 §1)', () => {
  it.each<[string, BotCommand]>([
    ['/积分', { name: 'score' }],
    ['／积分', { name: 'score' }],
    ['@督办助手 /积分 市发展改革委', { name: 'score', unit: '市发展改革委' }],
    ['/积分　FGW', { name: 'score', unit: 'FGW' }],
    ['/score', { name: 'score' }],
  ])('%s', (text, command) => {
    expect(parse(text)).toEqual({ ok: true, command });
  });

  it('积分 without the slash is plain chat; a synonym gets a suggestion, not a score', () => {
    expect(parse('积分 市财政局')).toEqual({ ok: false, code: 'NOT_A_COMMAND' });
    const r = parse('/排名');
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toContain('/积分');
  });
});

describe('issue 14: the commands that let each role finish in chat', () => {
  it("/批准延期 with or without a note; /驳回延期 needs a reason, said with the person's own number", () => {
    expect(parse(`/批准延期 ${N}`)).toEqual(ok({ name: 'approve_extension', number: N, note: '' }));
    expect(parse(`/批准延期 ${N} 同意，请按期完成`)).toEqual(ok({ name: 'approve_extension', number: N, note: '同意，请按期完成' }));
    expect(parse(`/驳回延期 ${N} 理由不充分`)).toEqual(ok({ name: 'refuse_extension', number: N, reason: '理由不充分' }));
    expect(parse(`/驳回延期 ${N}`)).toEqual({ ok: false, code: 'MISSING_REASON', message: `不同意延期须写明理由。请写成：/驳回延期 ${N} 理由。` });
    expect(parse(`/批准延期DB2026-42`)).toEqual(ok({ name: 'approve_extension', number: N, note: '' }));
  });

  it('/撤回 takes a number; /确认 takes nothing', () => {
    expect(parse(`/撤回 ${N}`)).toEqual(ok({ name: 'withdraw', number: N }));
    expect(parse('/确认')).toEqual(ok({ name: 'confirm' }));
    expect(parse('@督办助手 /确认')).toEqual(ok({ name: 'confirm' }));
  });

  it('the words the old vocabulary had still mean what they meant', () => {
    expect(parse(`/延期 ${N} 2026-12-20 等待批复`)).toEqual(ok({ name: 'extend', number: N, date: '2026-12-20', reason: '等待批复' }));
    expect(parse(`/退回 ${N} 缺少现场照片`)).toEqual(ok({ name: 'return', number: N, reason: '缺少现场照片' }));
  });
});

describe('issue 15: /登录 asks for a one-time sign-in link', () => {
  it('/登录 and /login take nothing; a near miss is offered the word', () => {
    expect(parse('/登录')).toEqual(ok({ name: 'login' }));
    expect(parse('/login')).toEqual(ok({ name: 'login' }));
    expect(parse('@督办助手 /登录')).toEqual(ok({ name: 'login' }));
    expect(parse('/登陆')).toEqual({ ok: false, code: 'UNKNOWN_COMMAND', message: '您是不是想输入 /登录？私聊督办助手发送 /登录 可获取督办系统的登录链接。' });
    expect(parse('登录')).toEqual({ ok: false, code: 'NOT_A_COMMAND' });
  });
});
