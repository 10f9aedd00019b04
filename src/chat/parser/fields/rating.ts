/** The rating in `/评定`: 优秀、良好、合格、不合格 or the English code (excellent, good, pass, fail), any case; glued punctuation allowed. */
import { RATINGS, type Rating } from '../../../shared/vocabulary';
import { Cursor, nf, originalPrefixLength, type Taken } from '../lexer';

/** Rating words, longest first so that 不合格 wins over 合格. */
const RATING_WORDS: { word: string; rating: Rating }[] = (Object.keys(RATINGS) as Rating[])
  .flatMap((r) => [
    { word: RATINGS[r] as string, rating: r },
    { word: r as string, rating: r },
  ])
  .sort((a, b) => b.word.length - a.word.length);

export function takeRating(cur: Cursor): Taken<Rating> {
  cur.skipSep();
  const token = cur.peek();
  if (token === '') return { ok: false, kind: 'missing', shown: '' };
  const w = nf(token).toLowerCase();
  for (const { word, rating } of RATING_WORDS) {
    if (!w.startsWith(word)) continue;
    const k = originalPrefixLength(token, word);
    if (k < 0) continue;
    const start = cur.pos;
    cur.pos += k;
    if (cur.atBoundary() || cur.skipGluePunct()) return { ok: true, value: rating };
    cur.pos = start;
  }
  return { ok: false, kind: 'bad', shown: nf(token) };
}
