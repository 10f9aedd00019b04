/**
 * Issue 17 ("notices that cannot drain"), pure: the notices waiting for one chat, as ONE message. A chat takes 20
 * messages a second (DingTalk's API) or 20 a minute (a group robot); when units report faster than that, their notices
 * to the owner office could never all pass one by one. The relay sends the notices due for one recipient together
 * (outbox.relay.ts, gatherDigest); this is what the message says.
 *
 * Two ways, by how many wait:
 * - a backlog the chat can still show in DIGEST_FOLD_MESSAGES messages: as many notices as fit in one message are
 *   listed, each shortened to one line; the others wait for the next digest, so every notice is read in its chat;
 * - more than that (a flood): the earliest are listed and the rest only counted, with where to read them — every
 *   notice is about something the 督办系统 keeps (the report, the decision), so nothing is lost, and the chat is not
 *   buried under more messages than a group robot may send in a minute (hours of them, behind its limit).
 */
import type { MessageText } from './message-views';

export const DIGEST_TITLE = '督办消息汇总';
/**
 * When notices go together: when this many wait for one chat at once — a burst that alone would fill a group robot's
 * minute (20) — or when the oldest of them has already been held back by the chat's send limit (the chat is at its
 * limit: whatever waits behind it would only wait longer one by one). A few notices at a time go one by one, as ever.
 */
export const DIGEST_MIN_RUN = 20;
/** More notices waiting than this many full digests could list: the earliest are listed, the rest counted. */
export const DIGEST_FOLD_MESSAGES = 20;
/** The most notices one digest takes (counted ones included): even a flood of 1,000 a second to a robot of 20 a minute drains. */
export const DIGEST_TAKE_MAX = 5_000;
/** The most notices a digest may list (what is composed for it; the platform's size usually allows fewer). */
export const DIGEST_LIST_MAX = 60;
/** How much of one notice a digest shows (characters, on one line). */
export const DIGEST_ENTRY_CHARS = 120;

export interface Digest {
  title: string;
  text: string;
  /** How many of the entries (from the first) it lists. */
  listed: number;
  /** How many notices it stands for, from the first: the listed ones, or — a flood — all that wait (listed and counted). */
  covers: number;
  /** The people to @ where it goes to a group: everyone any listed notice would have mentioned. */
  mentionPersonIds?: number[];
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** One notice on one line, cut to DIGEST_ENTRY_CHARS characters. */
export function digestLine(n: number, text: MessageText): string {
  const flat = text.text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ');
  const chars = [...flat];
  const short = chars.length > DIGEST_ENTRY_CHARS ? `${chars.slice(0, DIGEST_ENTRY_CHARS - 1).join('')}…` : flat;
  return `${n}. ${short}`;
}

const listText = (lines: readonly string[], k: number) => [`共有 ${k} 条新消息：`, ...lines.slice(0, k)].join('\n\n');
const foldText = (lines: readonly string[], k: number, total: number) =>
  [
    `共有 ${total} 条新消息，以下是最早的 ${k} 条：`,
    ...lines.slice(0, k),
    `另有 ${total - k} 条未逐条列出，请登录督办系统查看各事项的最新反馈和办理情况。`,
  ].join('\n\n');

/** The most of `lines` (at least one) whose text fits `budgetBytes`. */
function fit(render: (k: number) => string, most: number, budgetBytes: number): number {
  let k = Math.max(1, most);
  while (k > 1 && bytes(render(k)) > budgetBytes) k--;
  return k;
}

/** How many of `entries` (from the first) one listing digest can carry within `budgetBytes`. */
export function digestFits(entries: readonly MessageText[], budgetBytes: number): number {
  const lines = entries.map((e, i) => digestLine(i + 1, e));
  return fit((k) => listText(lines, k), lines.length, budgetBytes);
}

/**
 * The digest of `entries` (the notices composed, earliest first, at least one) within `budgetBytes` of text, when
 * `waiting` notices wait in all (these first). Listed as many as fit, standing for those only — unless more wait than
 * DIGEST_FOLD_MESSAGES such messages could list: then it stands for all of them, the rest counted.
 */
export function digest(entries: readonly MessageText[], budgetBytes: number, waiting = entries.length): Digest {
  const lines = entries.map((e, i) => digestLine(i + 1, e));
  const perMessage = fit((k) => listText(lines, k), lines.length, budgetBytes);
  const fold = waiting > perMessage * DIGEST_FOLD_MESSAGES;
  const k = fold ? fit((n) => foldText(lines, n, waiting), perMessage, budgetBytes) : perMessage;
  const mentions = [...new Set(entries.slice(0, k).flatMap((e) => e.mentionPersonIds ?? []))];
  return {
    title: DIGEST_TITLE,
    text: fold ? foldText(lines, k, waiting) : listText(lines, k),
    listed: k,
    covers: fold ? waiting : k,
    ...(mentions.length ? { mentionPersonIds: mentions } : {}),
  };
}
