/**
 * The new deadline in `/延期`: 2026-12-20, 2026/12/20, 2026.12.20, 20261220, 2026年12月20日, 12-20, 12/20, 12月20日
 * (日 or 号 or neither); without a year it is this year, or next year when that day has passed. A date before today
 * is refused; an impossible day (2月30日) is named in the reply.
 */
import { daysInMonth } from '../../../calendar/local-date';
import { Cursor, hasDigit, nf } from '../lexer';
import { pad2, shown, usage, type Ctx } from '../messages';
import type { ParseErrorCode } from '../types';

/** Characters a date is typed with (before NFKC). */
const DATE_CHARS = /[0-9０-９\-－/／.．年月日号]+/y;

export type DateTaken = { ok: true; value: string; yearGuessed?: boolean } | { ok: false; code: ParseErrorCode; message: string };

export function takeDate(cur: Cursor, ctx: Ctx): DateTaken {
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
  const typedYear = year !== null;
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
  // Issue 14: '12月1日' typed on 12-02 is next year's 12-01 — most likely not what was meant; the caller asks first.
  return typedYear || Number(date.slice(0, 4)) === todayYear ? { ok: true, value: date } : { ok: true, value: date, yearGuessed: true };
}
