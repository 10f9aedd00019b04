/** /延期 编号 新日期 理由: a new deadline (not in the past) and a required reason. */
import { takeDate } from '../fields/date';
import type { Cursor } from '../lexer';
import { fail, usage, type Ctx } from '../messages';
import type { ParseResult } from '../types';

export function parseExtend(number: string, cur: Cursor, ctx: Ctx): ParseResult {
  // Issue 14: the example in a refusal carries the person's own item number.
  const own = { ...ctx, exNumber: number };
  const date = takeDate(cur, own);
  if (!date.ok) return fail(date.code, date.message);
  const reason = cur.rest();
  if (reason === '') return fail('MISSING_REASON', `缺少延期理由。${usage('extend', own)}`);
  return { ok: true, command: { name: 'extend', number, date: date.value, reason, ...(date.yearGuessed ? { yearGuessed: true } : {}) } };
}
