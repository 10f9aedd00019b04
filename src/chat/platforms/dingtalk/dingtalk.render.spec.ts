import { actionCardParam } from './dingtalk.render';

/** Issue 14: without a card template, a 通报's 审定 card links its 全文 (the text under review) instead of printing the URL. */
describe('DingTalk sampleActionCard of a decision', () => {
  it('a fact that is a link is a markdown link; others print as they are', () => {
    const url = `https://duban.example.gov.cn/public/bulletins/review/TB2026-0001?sig=${'A'.repeat(22)}`;
    const p = actionCardParam(
      {
        kind: 'decision',
        number: 'TB2026-0001',
        title: '政务督查 2026年第3期',
        state: 'pending_approval',
        stateLabel: '待领导审定',
        deadline: '',
        timeLeft: '',
        summary: '三月总体平稳。',
        facts: [
          { label: '批评', value: '2项' },
          { label: '全文', value: url },
        ],
        buttons: [{ id: 'bulletin:approve', label: '同意印发', style: 'primary' }],
      },
      'https://duban.example.gov.cn/x',
    );
    expect(p.text).toContain('- 批评：2项\n');
    expect(p.text).toContain(`- 全文：[点击查看](${url})`);
    expect(p.text).toContain('/通报审定 TB2026-0001 同意');
  });
});
