/**
 * The head of a message: leading @mentions, the slash, the command word — then the arguments (./arguments.ts).
 *
 * - Leading @mentions (`@督办助手 @张三 `) are stripped; a mention may be glued to the slash (`@督办助手/反馈`).
 * - Without a slash, a message is a command only when it starts with a Chinese command word that takes a number,
 *   followed by white space and a valid item number (`反馈 DB2026-0042 已完成初稿`); anything else is NOT_A_COMMAND.
 * - Accepted command words: the Chinese words and the English aliases (case-insensitive); anything else gets a
 *   near-miss suggestion (./suggest.ts) or "没有…这个命令". One exception: a single stray space inside a Chinese
 *   command word (`/反 馈`) is joined and accepted, because the join is unambiguous and a long report should not be
 *   lost over it.
 * - Also forgiven: a space after the slash (`/ 反馈`), a colon after the command word (`/反馈：DB2026-0042`), the
 *   number glued to the Chinese word (`/反馈DB2026-0042 …`).
 */
import { parseArguments } from './arguments';
import { takeNumber } from './fields/item-number';
import { Cursor, MENTION, nf, normalizeWord, originalPrefixLength } from './lexer';
import { example, fail, makeCtx, NOT_A_COMMAND, shown, usage, type Ctx } from './messages';
import { suggestCommand } from './suggest';
import type { CommandName, ParseOptions, ParseResult } from './types';
import { CHINESE_WORDS, COMMANDS, EXACT } from './vocabulary';

/**
 * Parses one chat message. Throws RangeError only when `opts.today` is not a real 'YYYY-MM-DD' (a programming
 * error); everything a person can type yields a ParseResult.
 */
export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const ctx = makeCtx(opts);
  if (typeof text !== 'string') return NOT_A_COMMAND;
  const cur = new Cursor(text);

  // Leading @mentions (WeCom keeps them; DingTalk removes them and leaves a space).
  for (;;) {
    cur.skipSep();
    const mention = cur.match(MENTION);
    if (mention === '') break;
    cur.pos += mention.length;
  }
  cur.skipSep();
  if (cur.pos >= text.length) return NOT_A_COMMAND;

  if (nf(text[cur.pos]!) !== '/') return parseWithoutSlash(cur, ctx);
  cur.pos += 1;
  cur.skipSep(); // '/ 反馈'
  const tokenStart = cur.pos;
  const token = cur.peek();
  if (token === '') {
    return fail('UNKNOWN_COMMAND', `请在“/”后面写命令，例如 ${example('report', ctx)}。${usage('help', ctx)}`);
  }
  const word = normalizeWord(token);

  const exact = EXACT.get(word);
  if (exact) {
    cur.pos += token.length;
    return parseArguments(exact, cur, ctx);
  }

  // '/反馈DB2026-0042 …', '/反馈：DB2026-0042 …': the number glued to a Chinese command word.
  const lower = nf(token).toLowerCase();
  for (const { name, word: cw } of CHINESE_WORDS) {
    if (!COMMANDS[name].takesNumber || !lower.startsWith(cw)) continue;
    const k = originalPrefixLength(token, cw);
    if (k < 0) continue;
    cur.pos = tokenStart + k;
    cur.pos += cur.match(/[:：]/y).length;
    if (/^[A-Za-z0-9]$/.test(nf(text[cur.pos] ?? ''))) return parseArguments(name, cur, ctx);
    cur.pos = tokenStart;
  }

  // '/反 馈 …': one stray space inside a Chinese command word.
  cur.pos = tokenStart + token.length;
  cur.skipSep();
  const next = cur.peek();
  if (next !== '') {
    const joined = EXACT.get(normalizeWord(token + next));
    if (joined && COMMANDS[joined].word === normalizeWord(token + next)) {
      cur.pos += next.length;
      return parseArguments(joined, cur, ctx);
    }
  }

  const suggestion = suggestCommand(token);
  if (suggestion) return fail('UNKNOWN_COMMAND', nearMiss(suggestion, text.slice(tokenStart + token.length), ctx));
  return fail('UNKNOWN_COMMAND', `没有“/${shown(nf(token))}”这个命令，${usage('help', ctx)}`);
}

/** '反馈 DB2026-0042 已完成初稿': a Chinese command word, white space, a valid number — else plain chat. */
function parseWithoutSlash(cur: Cursor, ctx: Ctx): ParseResult {
  const token = cur.peek();
  const w = nf(token).replace(/[:]+$/, '');
  const name = CHINESE_WORDS.find((c) => c.word === w)?.name;
  if (!name || !COMMANDS[name].takesNumber) return NOT_A_COMMAND;
  const afterWord = cur.pos + token.length;
  if (afterWord >= cur.text.length) return NOT_A_COMMAND;
  const probe = new Cursor(cur.text, afterWord);
  if (!takeNumber(probe, ctx.prefix).ok) return NOT_A_COMMAND;
  cur.pos = afterWord;
  return parseArguments(name, cur, ctx);
}

/**
 * Issue 14: a near miss with something after the word is offered back whole, corrected — the person's own number and
 * text (`/返馈 DB2026-0007 已完成` → 「您是不是想输入：/反馈 DB2026-0007 已完成」); a bare word gets the usage line.
 */
function nearMiss(name: CommandName, after: string, ctx: Ctx): string {
  const rest = after.trim();
  if (rest === '') return `您是不是想输入 /${COMMANDS[name].word}？${usage(name, ctx)}`;
  const chars = Array.from(rest);
  const quoted = chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : rest;
  return `您是不是想输入：/${COMMANDS[name].word} ${quoted}\n如是，请按这一行重新发送。`;
}
