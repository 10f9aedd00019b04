/** /我的 and /帮助 ignore trailing text; /积分 takes an optional unit name (issue 7 §1). */
import type { Cursor } from '../lexer';
import type { ParseResult } from '../types';

export function parseNoNumber(name: 'mine' | 'help' | 'score', cur: Cursor): ParseResult {
  if (name === 'score') {
    const unit = cur.rest();
    return { ok: true, command: unit === '' ? { name } : { name, unit } };
  }
  return { ok: true, command: { name } };
}
