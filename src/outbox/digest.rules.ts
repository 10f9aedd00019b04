/**
 * Issue 17 ("notices that cannot drain"), pure: the notices waiting for one chat, as ONE message. A chat takes 20
 * messages a second (DingTalk's API) or 20 a minute (a group robot); when units report faster than that, their notices
 * to the owner office could never all pass one by one. The relay sends the notices due for one recipient together
 * (outbox.relay.ts, gatherDigest); this is what the message says.
 *
 * Two ways, by how many wait:
 * - a backlog a chat can still show (at most DIGEST_FOLD_AT): as many notices as fit in one message are listed, each
 *   shortened to one line; the others wait for the next digest, so every notice is read in a message of its own chat;
 * - a backlog larger than that (a flood): the earliest are listed and the rest only counted, with where to read them —
 *   every notice is about something the 督办系统 keeps (the report, the decision), so nothing is lost, and the chat is
 *   not buried under hundreds of messages that would take hours to pass its limit.
 */
import type { MessageText } from './message-views';

export const DIGEST_TITLE = '督办消息汇总';
/**
 * When notices go together: when this many wait for one chat at once — a burst that alone would fill a group robot's
 * minute (20) — or when the oldest of them has already been held back by the chat's send limit (the chat is at its
 * limit: whatever waits behind it would only wait longer one by one). A few notices at a time go one by one, as ever.
 */
export const DIGEST_MIN_RUN = 20;
/** More notices than this waiting for one chat: the rest of them are counted, not listed. */
export const DIGEST_FOLD_AT = 500;
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

/**
 * The digest of `entries` (the notices composed, earliest first) within `budgetBytes` of text. `total` unset: only the
 * listed ones are in the message (the rest wait for the next one); set: the message stands for `total` notices — the
 * listed ones and `total - listed` counted. At least one entry is always listed.
 */
export function digest(entries: readonly MessageText[], budgetBytes: number, total?: number): Digest {
  const lines = entries.map((e, i) => digestLine(i + 1, e));
  const render = (k: number): string => {
    if (total === undefined) return [`共有 ${String(k)} 条新消息：`, ...lines.slice(0, k)].join('\n\n');
    const rest = total - k;
    return [
      `共有 ${String(total)} 条新消息，以下是最早的 ${String(k)} 条：`,
      ...lines.slice(0, k),
      ...(rest > 0 ? [`另有 ${String(rest)} 条未逐条列出，请登录督办系统查看各事项的最新反馈和办理情况。`] : []),
    ].join('\n\n');
  };
  let k = Math.max(1, Math.min(lines.length, total ?? lines.length));
  while (k > 1 && bytes(render(k)) > budgetBytes) k--;
  const listed = entries.slice(0, k);
  const mentions = [...new Set(listed.flatMap((e) => e.mentionPersonIds ?? []))];
  return { title: DIGEST_TITLE, text: render(k), listed: k, ...(mentions.length ? { mentionPersonIds: mentions } : {}) };
}
