import { checkItemLink, itemPageUrl } from './item-link.rules';

describe('item page links (issue 14: 查看详情 opens a page a phone can read)', () => {
  const now = new Date('2026-03-02T02:00:00Z');
  const url = new URL(itemPageUrl('https://duban.example.gov.cn', 'secret-0123456789', 'DB2026-0004', now));
  const exp = url.searchParams.get('exp')!;
  const sig = url.searchParams.get('sig')!;

  it('points outside /api, at the item, with a 30-day expiry', () => {
    expect(url.pathname).toBe('/m/items/DB2026-0004');
    expect(Number(exp)).toBe(now.getTime() / 1000 + 30 * 86_400);
  });

  it('is accepted as made, until it expires', () => {
    expect(checkItemLink('secret-0123456789', 'DB2026-0004', exp, sig, now)).toBe('ok');
    expect(checkItemLink('secret-0123456789', 'DB2026-0004', exp, sig, new Date(now.getTime() + 31 * 86_400_000))).toBe('expired');
  });

  it('another item, a stretched expiry, another secret or a missing signature is refused', () => {
    expect(checkItemLink('secret-0123456789', 'DB2026-0005', exp, sig, now)).toBe('bad');
    expect(checkItemLink('secret-0123456789', 'DB2026-0004', String(Number(exp) + 86_400), sig, now)).toBe('bad');
    expect(checkItemLink('another-secret-000', 'DB2026-0004', exp, sig, now)).toBe('bad');
    expect(checkItemLink('secret-0123456789', 'DB2026-0004', exp, undefined, now)).toBe('bad');
    expect(checkItemLink('secret-0123456789', 'DB2026-0004', '12x', sig, now)).toBe('bad');
  });
});
