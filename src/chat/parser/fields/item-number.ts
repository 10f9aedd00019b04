/**
 * The item number in a command head: forgiving case, full-width characters and a missing hyphen (via
 * normalizeItemNumber), the number split by spaces (`DB 2026 0042`) and glued to punctuation or Chinese text
 * (`DB2026-0042：已完成`).
 */
import { normalizeItemNumber } from '../../../cases/item-number.rules';
import { Cursor, hasDigit, nf, type Taken } from '../lexer';

/** Characters an item number is typed with (before NFKC). */
const NUMBER_CHARS = /[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－—–_＿]+/y;

export function takeNumber(cur: Cursor, prefix: string): Taken<string> {
  cur.skipSep();
  const token = cur.peek();
  if (token === '') return { ok: false, kind: 'missing', shown: '' };
  const head = cur.match(NUMBER_CHARS);
  if (head === '') return { ok: false, kind: hasDigit(token) ? 'bad' : 'missing', shown: nf(token) };
  const number = normalizeItemNumber(nf(head), prefix);
  if (number !== null) {
    cur.pos += head.length;
    if (!cur.atBoundary()) cur.skipGluePunct(); // 'DB2026-0042：已完成' → the rest starts at 已完成
    return { ok: true, value: number };
  }
  if (head === token) {
    // 'DB 2026 0042': the number split by spaces; join at most three whole tokens.
    const start = cur.pos;
    let joined = head;
    cur.pos += head.length;
    for (let i = 0; i < 2; i++) {
      cur.skipSep();
      const next = cur.peek();
      if (next === '' || cur.match(NUMBER_CHARS) !== next) break;
      joined += next;
      cur.pos += next.length;
      const n = normalizeItemNumber(nf(joined), prefix);
      if (n !== null) return { ok: true, value: n };
    }
    cur.pos = start;
  }
  return { ok: false, kind: hasDigit(token) || /[a-z]/i.test(nf(head)) ? 'bad' : 'missing', shown: nf(token) };
}

/** True when `token` alone is a valid item number (used to refuse a second number: ONE_AT_A_TIME). */
export function isItemNumber(token: string, prefix: string): boolean {
  return normalizeItemNumber(nf(token), prefix) !== null;
}
