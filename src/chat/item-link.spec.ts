import { cardLink } from './item-link';

const itemLink = (n: string) => `https://duban.example/m/items/${n}?sig=x`;

describe('issue 14: what 查看详情 on a card opens', () => {
  it("an item's card opens the item's mobile page", () => {
    expect(cardLink({ number: 'DB2026-0001', kind: 'assignment' }, itemLink)).toBe('https://duban.example/m/items/DB2026-0001?sig=x');
  });

  it("a 通报's approval card opens its full text under review (the link it carries), not an item page", () => {
    const facts = [{ value: '月度通报' }, { value: 'https://duban.example/public/bulletins/review/TB2026-0001?sig=abc' }];
    expect(cardLink({ number: 'TB2026-0001', kind: 'decision', facts }, itemLink)).toBe('https://duban.example/public/bulletins/review/TB2026-0001?sig=abc');
  });

  it('a decision card without a link of its own falls back to the mobile page, which says what the number is', () => {
    expect(cardLink({ number: 'XS2026-0001', kind: 'decision', facts: [{ value: '逾期未反馈' }] }, itemLink)).toBe(itemLink('XS2026-0001'));
  });
});
