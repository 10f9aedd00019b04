/**
 * Near misses (issue 4 §2): synonyms and typos (`/回复`, `/返馈`, `/帮忙`) are never executed; they get
 * "您是不是想输入 /反馈？" with the usage line. This module finds the command a mistyped word most likely meant.
 */
import { normalizeWord } from './lexer';
import type { CommandName } from './types';
import { CANDIDATES, CHINESE_WORDS } from './vocabulary';

/** Optimal string alignment distance (Levenshtein plus adjacent transposition), over code points. */
function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

function commonPrefixLength(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let i = 0;
  while (i < s.length && i < t.length && s[i] === t[i]) i++;
  return i;
}

/** The command a mistyped word most likely meant, or null when nothing is close. */
export function suggestCommand(typed: string): CommandName | null {
  const w = normalizeWord(typed);
  if (w === '') return null;
  const exact = CANDIDATES.find((c) => c.text === w);
  if (exact) return exact.name;
  // '反馈情况', '申请延期': the word contains a Chinese command word (the earliest one wins).
  const contained = CHINESE_WORDS.map((c) => ({ ...c, at: w.indexOf(c.word) }))
    .filter((c) => c.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (contained) return contained.name;
  const len = Array.from(w).length;
  const limit = len <= 4 ? 1 : 2;
  let best: { name: CommandName; dist: number; prefix: number } | null = null;
  for (const c of CANDIDATES) {
    const dist = editDistance(w, c.text);
    // Replacing every character is no near miss: '好' is one edit from '查' but means nothing like it.
    if (dist > limit || dist >= Math.max(len, Array.from(c.text).length)) continue;
    // Ties go to the candidate that starts like the typed word: '回' → 回复 (反馈) rather than 退回.
    const prefix = commonPrefixLength(w, c.text);
    if (!best || dist < best.dist || (dist === best.dist && prefix > best.prefix)) best = { name: c.name, dist, prefix };
  }
  return best ? best.name : null;
}
