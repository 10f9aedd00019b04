import { OutboundComposer } from '../../src/chat/outbound.composer';
import { MessageKinds } from '../../src/outbox/message-kinds';
import type { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12: every outbox row is composed through the registry of message kinds, which each feature fills with its own
 * kinds at start-up; chat composes through it and knows no feature's wording.
 */
describe('the registry of message kinds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('knows every kind the features write: their cards and their texts', () => {
    const kinds = t.get(MessageKinds);
    // cases: the item's cards; accountability: the 审核 card (A2); bulletins: the 审定 card.
    // Issue 14: the extension request is a card the owner decides on (同意延期 / 不同意), no longer a text.
    expect(kinds.cardKinds().sort()).toEqual([
      'approval_card',
      'assignment_card',
      'bulletin_approval_card',
      'clue_audit_card',
      'extension_card',
      'review_card',
    ]);
    expect(kinds.cardOf('extension_card')).toBe('extension');
    expect(kinds.cardOf('clue_audit_card')).toBe('decision');
    expect(kinds.cardOf('assignment_card')).toBe('assignment');
    // cases' notices, reminders' digest (R10), bulletins' broadcast, accountability's clue notice, chat's replies.
    for (const kind of [
      'report_notice',
      'returned_notice',
      'extension_decided',
      'request_withdrawn_notice',
      'leader_returned_notice',
      'closure_not_agreed',
      'closed_notice',
      'urging_notice',
      'key_supervision_notice',
      'reminder_digest',
      'bulletin_broadcast',
      'bulletin_notice',
      'clue_notice',
      'bot_reply',
    ]) {
      expect([kind, typeof kinds.textOf(kind)]).toEqual([kind, 'function']);
    }
    expect(kinds.handlesDecision('XS2026-0001')).toBe(true);
  });

  it('a kind a feature registers is composed as it says, with no change to chat; an unknown kind is a plain notice', async () => {
    const row = (kind: string) =>
      ({ id: 1, kind, target: 'conv', platform: 'dingtalk', itemId: null, payload: { replyTo: { platform: 'dingtalk' }, n: 3 } }) as unknown as OutboxMessage;
    t.get(MessageKinds).text('test_kind', (msg) => Promise.resolve({ title: '测试', text: `第 ${String(msg.payload.n)} 条` }));
    const [registered] = await t.get(OutboundComposer).compose(row('test_kind'), new Set(['dingtalk']));
    expect(registered.outbound).toEqual({ type: 'text', title: '测试', text: '第 3 条' });
    const [unknown] = await t.get(OutboundComposer).compose(row('nobody_registered'), new Set(['dingtalk']));
    expect(unknown.outbound).toEqual({ type: 'text', title: '督办通知', text: '【督办通知】' });
  });
});
