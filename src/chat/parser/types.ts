/**
 * The parser's public vocabulary (issue 4 §2): what a chat message parses into. Pure types, re-exported by
 * src/chat/command.parser.ts.
 */
import type { Rating } from '../../shared/vocabulary';

export type BotCommand =
  | { name: 'sign'; number: string }
  | { name: 'report'; number: string; content: string }
  /** `yearGuessed`: the date was typed without a year and fell into next year (issue 14: asked before it is filed). */
  | { name: 'extend'; number: string; date: string; reason: string; yearGuessed?: boolean; confirmed?: boolean }
  | { name: 'close'; number: string; summary: string }
  | { name: 'return'; number: string; reason: string }
  | { name: 'rate'; number: string; rating: Rating; comment: string }
  | { name: 'approve'; number: string }
  | { name: 'query'; number: string }
  | { name: 'mine' }
  /** Issue 7 §1: a unit's 激励积分 and the lines that made it; `unit` for the 督查室 and leaders. */
  | { name: 'score'; unit?: string }
  /** A2: the leader's 审核 of an accountability opinion (usually a card button): XS2026-0001 同意 / 退回 理由. */
  | { name: 'clue_audit'; number: string; approve: boolean; text: string }
  /** B2: the leader's 审定 of a 通报: TB2026-0001 同意 / 退回 理由. */
  | { name: 'bulletin_approve'; number: string; approve: boolean; text: string }
  | { name: 'help' }
  /** Issue 15: a one-time sign-in link to the console, sent one to one only. */
  | { name: 'login' }
  /** Issue 14: the owner office decides the item's pending extension; a reason is required to refuse. */
  | { name: 'approve_extension'; number: string; note: string }
  | { name: 'refuse_extension'; number: string; reason: string }
  /** Issue 14: the lead unit withdraws its own pending extension or closure request. */
  | { name: 'withdraw'; number: string }
  /** Issue 14: files the command the bot asked about (a date it was not sure of). */
  | { name: 'confirm' };
export type CommandName = BotCommand['name'];

export type ParseErrorCode =
  | 'UNKNOWN_COMMAND'
  | 'MISSING_NUMBER'
  | 'BAD_NUMBER'
  | 'ONE_AT_A_TIME'
  | 'MISSING_CONTENT'
  | 'MISSING_SUMMARY'
  | 'MISSING_REASON'
  | 'MISSING_DATE'
  | 'BAD_DATE'
  | 'DATE_IN_PAST'
  | 'MISSING_DECISION'
  | 'MISSING_RATING'
  | 'BAD_RATING';

export type ParseResult =
  | { ok: true; command: BotCommand }
  /** `message`: Chinese, says what to type (with the full form and an example); reply it to the person. */
  | { ok: false; code: ParseErrorCode; message: string }
  /** Plain chat, not addressed to the bot as a command: stay silent. */
  | { ok: false; code: 'NOT_A_COMMAND' };

export interface ParseOptions {
  /** The configured item-number prefix, e.g. 'DB'. */
  numberPrefix: string;
  /** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
  today: string;
}
