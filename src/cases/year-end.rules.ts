/**
 * Year-end 清零 (DOMAIN R7, E2; 001 重点工作任务制度 §4.3 / 重大改革事项制度: 年底清零。即所有事项年底都要销号清零，做到件件有
 * 结果). On the last N working days of December (a deadline-policy value, default 5) the key tasks and reforms still
 * open are listed: each owner (立项主体) is told which of theirs remain, the 督查室 gets the summary. Pure.
 */
import { addDays, localDate } from '../calendar/local-date';
import { shanghaiDate, shanghaiInstant } from '../shared/shanghai-time';
import type { Board } from '../shared/vocabulary';

/** The boards of the "2" system, whose items are 年底清零 (an item marked 持续推进 stays on its board, ongoing.rules.ts). */
export const YEAR_END_BOARDS: readonly Board[] = ['key_task', 'reform'];

/** Local time the check runs on a check day: the start of office hours, so nobody is told at night. */
export const YEAR_END_CHECK_AT = '09:00';

/** The last `n` working days of December of `year`, in order. */
export function yearEndCheckDays(year: number, n: number, calendar: { isWorkday(date: string): boolean }): string[] {
  const out: string[] = [];
  for (let d = localDate(year, 12, 31); out.length < n && d >= localDate(year, 12, 1); d = addDays(d, -1)) if (calendar.isWorkday(d)) out.unshift(d);
  return out;
}

/**
 * The check day `now` falls on, once office hours have begun (YEAR_END_CHECK_AT … dayEnd), or null: outside the last N
 * working days, before 09:00 or after the day end, nothing is sent.
 */
export function yearEndCheckDay(now: Date, n: number, dayEnd: string, calendar: { isWorkday(date: string): boolean }): string | null {
  const today = shanghaiDate(now);
  if (n <= 0 || !yearEndCheckDays(Number(today.slice(0, 4)), n, calendar).includes(today)) return null;
  const t = now.getTime();
  return t >= shanghaiInstant(today, YEAR_END_CHECK_AT).getTime() && t < shanghaiInstant(today, dayEnd).getTime() ? today : null;
}

export interface OpenKeyItem {
  number: string;
  title: string;
  leadUnit: string;
  deadline: string;
  owner: string;
}

/** To one owner: which of their items are still open and what to do. */
export function ownerYearEndText(year: number, items: OpenKeyItem[]): { title: string; text: string } {
  if (items.length === 0) return { title: '年底清零', text: `【年底清零】您负责的${year}年度重点工作任务、重大改革事项均已办结，无需再报。` };
  const lines = items.map((i, k) => `${k + 1}. ${i.number}「${i.title}」（主办：${i.leadUnit}，期限 ${i.deadline}）`);
  return {
    title: `年底清零（${items.length}项未办结）`,
    text:
      `【年底清零】按照重点工作任务、重大改革事项"年底清零"的要求，所有事项年底前都要销号清零。您负责的以下${items.length}项尚未办结：\n` +
      `${lines.join('\n')}\n` +
      `请督促承办单位抓紧办结；确实无法在年底前办结的，请承办单位书面说明原因和下一步安排，由您审核后报市政府督查室。`,
  };
}

/** To the 督查室: every open item, by owner. */
export function officeYearEndText(year: number, date: string, items: OpenKeyItem[]): { title: string; text: string } {
  if (items.length === 0) return { title: '年底清零', text: `【年底清零】截至${date}，${year}年度重点工作任务、重大改革事项均已办结。` };
  const owners = [...new Set(items.map((i) => i.owner))];
  const lines = owners.map((o) => {
    const mine = items.filter((i) => i.owner === o);
    return `${o}（${mine.length}项）：${mine.map((i) => `${i.number}「${i.title}」`).join('、')}`;
  });
  return {
    title: `年底清零汇总（${items.length}项未办结）`,
    text:
      `【年底清零】截至${date}，${year}年度重点工作任务、重大改革事项尚有${items.length}项未办结，涉及立项主体${owners.length}个：\n` +
      `${lines.join('\n')}\n已提醒各立项主体督促承办单位抓紧办结或书面说明原因，请督查室跟踪核实。`,
  };
}
