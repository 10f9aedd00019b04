/**
 * 事项编号 (C1): `DB{year}-{seq:4}`, unique, short and easy to type on a phone.
 * People type numbers in chat, so parsing forgives case, full-width characters, spaces and a missing hyphen.
 */
export function formatItemNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}${year}-${String(seq).padStart(4, '0')}`;
}

/** 'db2026-42', 'ＤＢ２０２６－００４２', 'DB 2026 0042' → 'DB2026-0042'; '2026-42' takes the configured prefix. */
export function normalizeItemNumber(input: string, prefix: string): string | null {
  const s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u3000]+/g, '')
    .replace(/[—–_－]/g, '-');
  const m = /^([A-Z]*)(\d{4})-?(\d{1,6})$/.exec(s);
  if (!m) return null;
  const p = m[1] === '' ? prefix : m[1];
  if (p !== prefix.toUpperCase()) return null;
  const seq = Number(m[3]);
  if (seq < 1) return null;
  return formatItemNumber(prefix, Number(m[2]), seq);
}

/** C2: official secrecy markings (密级标志) on a title or text mean the item must not be entered. */
const SECRECY_MARK = /(绝密|机密|秘密)\s*★/;
export function carriesSecrecyMark(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && SECRECY_MARK.test(t.normalize('NFKC').replace(/☆/g, '★')));
}
