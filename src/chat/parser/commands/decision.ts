/**
 * A leader's decision on a subject that is not an item: `/问责审核 XS2026-0001 同意 [意见]` (A2) or `/通报审定
 * TB2026-0001 退回 理由` (B2); a reason is required to send something back.
 */
import { nf, type Cursor } from '../lexer';
import { fail, shown, usage, type Ctx } from '../messages';
import type { ParseResult } from '../types';

export function parseDecision(name: 'clue_audit' | 'bulletin_approve', cur: Cursor, ctx: Ctx): ParseResult {
  const use = usage(name, ctx);
  const what = name === 'clue_audit' ? '线索' : '通报';
  const ex = name === 'clue_audit' ? 'XS2026-0001' : 'TB2026-0001';
  cur.skipSep();
  const token = nf(cur.peek()).toUpperCase();
  const m = /^([A-Z]{1,8})-?(\d{4})-?(\d{1,6})$/.exec(token.replace(/[—–_－]/g, '-'));
  if (!m)
    return token === ''
      ? fail('MISSING_NUMBER', `缺少${what}编号。${use}`)
      : fail('BAD_NUMBER', `“${shown(token)}”不是有效的${what}编号，编号形如 ${ex}。${use}`);
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
