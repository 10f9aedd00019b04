/**
 * After the command word: the arguments, by the grammar of each command family. Commands on an item read the item
 * number here first (MISSING_NUMBER / BAD_NUMBER), then hand the rest to their grammar.
 */
import { parseDecision } from './commands/decision';
import { parseExtend } from './commands/extend';
import { parseFreeText } from './commands/free-text';
import { parseNoNumber } from './commands/no-number';
import { parseRate } from './commands/rate';
import { parseSingleItem } from './commands/single-item';
import { takeNumber } from './fields/item-number';
import type { Cursor } from './lexer';
import { fail, shown, usage, type Ctx } from './messages';
import type { CommandName, ParseResult } from './types';

export function parseArguments(name: CommandName, cur: Cursor, ctx: Ctx): ParseResult {
  if (name === 'mine' || name === 'help' || name === 'score') return parseNoNumber(name, cur);
  if (name === 'confirm' || name === 'login') return { ok: true, command: { name } };
  if (name === 'clue_audit' || name === 'bulletin_approve') return parseDecision(name, cur, ctx);

  const num = takeNumber(cur, ctx.prefix);
  if (!num.ok) {
    const use = usage(name, ctx);
    return num.kind === 'missing'
      ? fail('MISSING_NUMBER', `缺少事项编号。${use}`)
      : fail('BAD_NUMBER', `“${shown(num.shown)}”不是有效的事项编号，编号形如 ${ctx.exNumber}。${use}`);
  }
  const number = num.value;

  switch (name) {
    case 'sign':
    case 'approve':
    case 'query':
      return parseSingleItem(name, number, cur, ctx);
    case 'report':
    case 'close':
    case 'return':
      return parseFreeText(name, number, cur, ctx);
    case 'extend':
      return parseExtend(number, cur, ctx);
    case 'rate':
      return parseRate(number, cur, ctx);
    case 'withdraw':
      return { ok: true, command: { name, number } };
    case 'approve_extension':
      return { ok: true, command: { name, number, note: cur.rest() } };
    case 'refuse_extension': {
      const reason = cur.rest();
      if (reason === '') return fail('MISSING_REASON', `不同意延期须写明理由。请写成：/驳回延期 ${number} 理由。`);
      return { ok: true, command: { name, number, reason } };
    }
  }
}
