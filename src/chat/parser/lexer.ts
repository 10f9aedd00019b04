/**
 * Reading the text (issue 4 §2): separators, the cursor over the original message, and NFKC normalisation.
 *
 * The head of a message (mentions, command word, number, date, rating) is read token by token, each token
 * NFKC-normalised, so `／反馈　ＤＢ２０２６－００４２` reads like `/反馈 DB2026-0042`. Any run of white space (tabs,
 * newlines, U+3000, the U+2005 WeCom puts after a mention, NBSP) and zero-width spaces separate fields. What follows
 * the head is taken from the ORIGINAL text (`rest()`), trimmed at both ends only.
 */

const SEP_CLASS = '\\s\\u200b-\\u200d\\u2060';
const SEP_RUN = new RegExp(`[${SEP_CLASS}]+`, 'y');
const TOKEN = new RegExp(`[^${SEP_CLASS}]+`, 'y');
const IS_SEP = new RegExp(`^[${SEP_CLASS}]$`);
/** A leading @mention; a mention may be glued to the slash (`@督办助手/反馈`). */
export const MENTION = /[@＠][\p{L}\p{N}\p{M}_.\-·•＿－．]+/uy;
/** Punctuation allowed between a head field and what follows when there is no space. */
const GLUE_PUNCT = /[:：,，、;；.。]+/y;

export const nf = (s: string) => s.normalize('NFKC');
export const hasDigit = (s: string) => /[0-9]/.test(nf(s));

export class Cursor {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}

  private stick(re: RegExp): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    return m ? m[0] : '';
  }

  skipSep(): void {
    this.pos += this.stick(SEP_RUN).length;
  }

  /** The token at pos (up to the next separator), not consumed. */
  peek(): string {
    return this.stick(TOKEN);
  }

  /** The run of `re` at pos, not consumed. */
  match(re: RegExp): string {
    return this.stick(re);
  }

  /** True at the end or before a separator: the current token is used up. */
  atBoundary(): boolean {
    return this.pos >= this.text.length || IS_SEP.test(this.text[this.pos]!);
  }

  /** Skips punctuation that glues a head field to the text after it; true when there was any. */
  skipGluePunct(): boolean {
    const p = this.stick(GLUE_PUNCT);
    this.pos += p.length;
    return p.length > 0;
  }

  /** Everything from pos, with separators trimmed at both ends only. */
  rest(): string {
    let start = this.pos;
    let end = this.text.length;
    while (start < end && IS_SEP.test(this.text[start]!)) start++;
    while (end > start && IS_SEP.test(this.text[end - 1]!)) end--;
    return this.text.slice(start, end);
  }
}

/** Length of the prefix of `token` whose NFKC (lower-cased) form is `normalized`, or -1. */
export function originalPrefixLength(token: string, normalized: string): number {
  for (let k = 1; k <= token.length; k++) {
    const p = nf(token.slice(0, k)).toLowerCase();
    if (p === normalized) return k;
    if (p.length > normalized.length) break;
  }
  return -1;
}

/** The command word as typed, normalised: NFKC, lower case, trailing punctuation dropped. */
export function normalizeWord(token: string): string {
  const w = nf(token).toLowerCase();
  const stripped = w.replace(/[:,.;!?。、]+$/u, '');
  return stripped === '' ? w : stripped;
}

/** A head field read from the cursor: its value, or why not (missing or unreadable, with what was typed). */
export type Taken<T> = { ok: true; value: T } | { ok: false; kind: 'missing' | 'bad'; shown: string };
