/** /评定 编号 等次 [意见]: a rating is required, the comment may be empty. */
import { takeRating } from '../fields/rating';
import type { Cursor } from '../lexer';
import { fail, shown, usage, type Ctx } from '../messages';
import type { ParseResult } from '../types';

export function parseRate(number: string, cur: Cursor, ctx: Ctx): ParseResult {
  const rating = takeRating(cur);
  if (!rating.ok) {
    const use = usage('rate', ctx);
    return rating.kind === 'missing' ? fail('MISSING_RATING', `缺少评定等次。${use}`) : fail('BAD_RATING', `“${shown(rating.shown)}”不是评定等次。${use}`);
  }
  return { ok: true, command: { name: 'rate', number, rating: rating.value, comment: cur.rest() } };
}
