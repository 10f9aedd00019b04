import { actionCardParam } from './dingtalk.render';
import { bulletinApprovalCard } from '../../cards.fixtures';

/** Issue 14: without a card template, a 通报's 审定 card links its 全文 (the text under review) instead of printing the URL. */
describe('DingTalk sampleActionCard of a decision', () => {
  it('a fact that is a link is a markdown link; others print as they are', () => {
    const { card, url } = bulletinApprovalCard();
    const p = actionCardParam(card, 'https://duban.example.gov.cn/x');
    expect(p.text).toContain('- 批评：2项\n');
    expect(p.text).toContain(`- 全文：[点击查看](${url})`);
    expect(p.text).toContain('/通报审定 TB2026-0001 同意');
  });
});
