/**
 * /反馈, /办结, /退回: an item number, then free text that is required. The text is the ORIGINAL message after the
 * number, trimmed at both ends only — not NFKC-normalised, inner newlines and spaces kept, no length limit — because
 * it goes into the item's file (一事一卷) as the unit wrote it.
 */
import type { Cursor } from '../lexer';
import { fail, usage, type Ctx } from '../messages';
import type { ParseErrorCode, ParseResult } from '../types';

const MISSING_TEXT: Record<'report' | 'close' | 'return', { code: ParseErrorCode; what: string }> = {
  report: { code: 'MISSING_CONTENT', what: '反馈内容' },
  close: { code: 'MISSING_SUMMARY', what: '办结说明' },
  return: { code: 'MISSING_REASON', what: '退回理由' },
};

export function parseFreeText(name: 'report' | 'close' | 'return', number: string, cur: Cursor, ctx: Ctx): ParseResult {
  const text = cur.rest();
  if (text === '') {
    const missing = MISSING_TEXT[name];
    return fail(missing.code, `缺少${missing.what}。${usage(name, ctx)}`);
  }
  if (name === 'report') return { ok: true, command: { name, number, content: text } };
  if (name === 'close') return { ok: true, command: { name, number, summary: text } };
  return { ok: true, command: { name, number, reason: text } };
}
