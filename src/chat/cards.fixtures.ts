import type { CardView } from './cards';

/** A 通报's 审定 card as both platforms' renderer specs draw it: one plain fact, one link (the text under review). */
export function bulletinApprovalCard(): { card: CardView; url: string } {
  const url = `https://duban.example.gov.cn/public/bulletins/review/TB2026-0001?sig=${'A'.repeat(22)}`;
  return {
    url,
    card: {
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
  };
}
