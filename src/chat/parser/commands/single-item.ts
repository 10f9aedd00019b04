/**
 * /签收, /审定, /查询: one item number; trailing text is ignored (`/签收 DB2026-0042 收到`), except that a second item
 * number is refused (ONE_AT_A_TIME) rather than silently dropped.
 */
import { isItemNumber } from '../fields/item-number';
import type { Cursor } from '../lexer';
import { fail, usage, type Ctx } from '../messages';
import type { ParseResult } from '../types';
import { COMMANDS } from '../vocabulary';

export function parseSingleItem(name: 'sign' | 'approve' | 'query', number: string, cur: Cursor, ctx: Ctx): ParseResult {
  cur.skipSep();
  const next = cur.peek();
  if (next !== '' && isItemNumber(next, ctx.prefix)) {
    return fail('ONE_AT_A_TIME', `一次只能${COMMANDS[name].word}一个事项，请每条消息只写一个编号。${usage(name, ctx)}`);
  }
  return { ok: true, command: { name, number } };
}
