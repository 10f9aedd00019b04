/**
 * The chat command parser (issue 4 §2): what a person types in a DingTalk or WeCom group → one BotCommand, or one
 * Chinese sentence (two at most) saying exactly what to type instead. Pure: no framework, no database, no clock —
 * `today` (an Asia/Shanghai 'YYYY-MM-DD') is a parameter.
 *
 * How a message is read:
 * - The head of the message (mentions, command word, number, date, rating) is read token by token, each token
 *   NFKC-normalised, so `／反馈　ＤＢ２０２６－００４２` reads like `/反馈 DB2026-0042`. Any run of white space (tabs,
 *   newlines, U+3000, the U+2005 WeCom puts after a mention, NBSP) and zero-width spaces separate fields.
 * - Content / reason / summary / comment are the ORIGINAL text after the last head field, trimmed at both ends only.
 *   They are NOT NFKC-normalised: a report's full-width punctuation (，：（）％) is what the unit wrote and goes into
 *   the item's file (一事一卷) unchanged; inner newlines and spaces are kept; there is no length limit here.
 * - Leading @mentions (`@督办助手 @张三 `) are stripped; a mention may be glued to the slash (`@督办助手/反馈`).
 * - Without a slash, a message is a command only when it starts with a Chinese command word that takes a number,
 *   followed by white space and a valid item number (`反馈 DB2026-0042 已完成初稿`); anything else is NOT_A_COMMAND.
 * - Accepted command words: the ten Chinese words and the ten English aliases (case-insensitive). Synonyms and typos
 *   (`/回复`, `/返馈`, `/帮忙`) are never executed, they get "您是不是想输入 /反馈？" with the usage line. One
 *   exception: a single stray space inside a Chinese command word (`/反 馈`) is joined and accepted, because the
 *   join is unambiguous and a long report should not be lost over it.
 * - Also forgiven: a space after the slash (`/ 反馈`), a colon after the command word (`/反馈：DB2026-0042`), the
 *   number glued to the Chinese word (`/反馈DB2026-0042 …`), the number split by spaces (`DB 2026 0042`), and the
 *   number glued to punctuation or Chinese text (`DB2026-0042：已完成`).
 * - /签收, /审定, /查询 and /我的, /帮助 ignore trailing text (`/签收 DB2026-0042 收到`), except that a second item
 *   number is refused (ONE_AT_A_TIME) rather than silently dropped.
 *
 * This file is the entry; the parts live in ./parser/ (issue 12):
 * - types.ts — BotCommand, ParseResult and friends; vocabulary.ts — the command words, aliases and synonyms;
 * - lexer.ts — separators, NFKC, the Cursor over the original text; fields/ — the item number, the date, the rating;
 * - parse.ts — mentions, slash and command word; arguments.ts + commands/ — one grammar per command family;
 * - suggest.ts — near misses ("您是不是想输入…"); messages.ts — examples, usage lines and the /帮助 text.
 */
export type { BotCommand, CommandName, ParseErrorCode, ParseOptions, ParseResult } from './parser/types';
export { commandHelp, COMMAND_HELP, roleCommandHelp } from './parser/messages';
export { suggestCommand } from './parser/suggest';
export { parseCommand } from './parser/parse';
