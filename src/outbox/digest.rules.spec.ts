import { digest, DIGEST_ENTRY_CHARS, DIGEST_FOLD_MESSAGES, digestFits, DIGEST_TITLE, digestLine } from './digest.rules';

const notice = (n: number, extra = '') => ({ title: '督办反馈', text: `【督办反馈】DB2026-${String(n).padStart(4, '0')}「事项」\n市财政局反馈：进展${extra}` });
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Issue 17: the notices waiting for one chat, as one message. */
describe('a digest of notices (issue 17)', () => {
  it('lists each notice on one line, numbered, under how many there are', () => {
    const d = digest([notice(1), notice(2)], 4000);
    expect(d).toEqual({
      title: DIGEST_TITLE,
      text: '共有 2 条新消息：\n\n1. 【督办反馈】DB2026-0001「事项」 市财政局反馈：进展\n\n2. 【督办反馈】DB2026-0002「事项」 市财政局反馈：进展',
      listed: 2,
      covers: 2,
    });
  });

  it('shortens a long notice to one line of a fixed length', () => {
    const line = digestLine(3, notice(3, '很'.repeat(500)));
    expect([...line.slice('3. '.length)]).toHaveLength(DIGEST_ENTRY_CHARS);
    expect(line.endsWith('…')).toBe(true);
  });

  it('lists only as many as fit the platform; the count says how many it lists', () => {
    const entries = Array.from({ length: 40 }, (_, i) => notice(i + 1, '很'.repeat(60)));
    const d = digest(entries, 2000);
    expect(d.listed).toBeGreaterThan(1);
    expect(d.listed).toBeLessThan(40);
    expect(bytes(d.text)).toBeLessThanOrEqual(2000);
    expect(d.text.startsWith(`共有 ${d.listed} 条新消息：`)).toBe(true);
    // One more would not have fitted.
    expect(bytes(digest(entries.slice(0, d.listed + 1), 1_000_000).text)).toBeGreaterThan(2000);
  });

  it('a flood: the earliest listed, the rest counted, with where to read them', () => {
    const entries = Array.from({ length: 60 }, (_, i) => notice(i + 1, '很'.repeat(60)));
    const d = digest(entries, 4000, 3456);
    expect(bytes(d.text)).toBeLessThanOrEqual(4000);
    expect(d.covers).toBe(3456);
    expect(d.text.startsWith(`共有 3456 条新消息，以下是最早的 ${d.listed} 条：`)).toBe(true);
    expect(d.text.endsWith(`另有 ${3456 - d.listed} 条未逐条列出，请登录督办系统查看各事项的最新反馈和办理情况。`)).toBe(true);
  });

  it('counts instead of listing only when more wait than a run of full digests could list', () => {
    const entries = Array.from({ length: 60 }, (_, i) => notice(i + 1, '很'.repeat(60)));
    const perMessage = digestFits(entries, 4000);
    expect(perMessage).toBeGreaterThan(1);
    expect(perMessage).toBeLessThan(60);
    // As many as that many digests can list: this one lists its share, the rest wait for the next ones.
    const listing = digest(entries, 4000, perMessage * DIGEST_FOLD_MESSAGES);
    expect([listing.listed, listing.covers]).toEqual([perMessage, perMessage]);
    expect(listing.text.startsWith(`共有 ${perMessage} 条新消息：`)).toBe(true);
    // One more: it stands for all of them.
    const counting = digest(entries, 4000, perMessage * DIGEST_FOLD_MESSAGES + 1);
    expect(counting.covers).toBe(perMessage * DIGEST_FOLD_MESSAGES + 1);
    expect(counting.listed).toBeLessThanOrEqual(perMessage);
  });

  it('always lists the first notice, and keeps the people any listed notice would @', () => {
    const d = digest(
      [
        { ...notice(1, '很'.repeat(400)), mentionPersonIds: [7, 8] },
        { ...notice(2), mentionPersonIds: [8, 9] },
      ],
      100,
    );
    expect(d.listed).toBe(1);
    expect(d.mentionPersonIds).toEqual([7, 8]);
    expect(
      digest(
        [
          { ...notice(1), mentionPersonIds: [7] },
          { ...notice(2), mentionPersonIds: [8] },
        ],
        4000,
      ).mentionPersonIds,
    ).toEqual([7, 8]);
  });
});
