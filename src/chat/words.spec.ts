import { linkProblemHtml, commandsFor } from './item-page.html';
import { greetingText, mineText, waitingOn } from './my-work.rules';
import { ROLE_HELP, roleHelp } from './parser/messages';
import type { ItemState } from '../shared/vocabulary';

/** Issue 14: no rule id (P2, C5, E1, R4…) and no English field name in what a person reads from the chat side. */
const RULE_ID = /\b[A-Z]\d+[：:]/;
const ENGLISH_FIELD = /\b(number|title|content|state|deadline|reason|summary|servedPartyAgreed|unitId)\b/;

describe('chat words carry no rule ids (issue 14)', () => {
  const now = new Date('2026-03-02T02:00:00Z');
  const states: ItemState[] = ['assigned', 'in_progress', 'closure_requested', 'under_review', 'pending_approval', 'closed'];
  const texts: string[] = [
    ...Object.values(ROLE_HELP).flatMap((r) => [r.title, ...r.lines]),
    roleHelp(
      { name: '周主任', roles: ['unit', 'owner', 'leader', 'supervisor'], waiting: ['DB2026-0001「测试」待签收：/签收 DB2026-0001'] },
      { numberPrefix: 'DB', today: '2026-03-02' },
    ),
    greetingText('陈联络', '你好', []),
    greetingText('陈联络', '今天开会吗', []),
    linkProblemHtml('expired', 'DB2026-0001'),
    linkProblemHtml('bad', 'DB2026-0001'),
    linkProblemHtml('missing', 'DB2026-0001'),
    ...states.flatMap((s) => commandsFor('DB2026-0001', s).map((c) => `${c.who} ${c.command}`)),
    ...states.map((state) => {
      const item = { number: 'DB2026-0001', title: '测试', state, stateLabel: '办理中', deadline: '2026-03-01T18:00:00+08:00', light: 'red' as const };
      const entries = [
        { item, unit: { role: 'lead' as const, signed: state !== 'assigned' }, asOwner: true, asLeader: true, extensionPending: true },
        { item, unit: { role: 'co' as const, signed: false }, asOwner: false, asLeader: false, extensionPending: false },
      ];
      return mineText(
        '陈联络',
        entries,
        entries.flatMap((e) => waitingOn(e, now)),
        now,
      );
    }),
  ];

  // What a person reads of a page is its text, not its tags.
  it.each(texts.map((t) => t.replace(/<style>[^<]*<\/style>/g, '').replace(/<[^>]*>/g, '')).map((t) => [t.trim().slice(0, 40), t]))('%s…', (_head, text) => {
    expect(text).not.toMatch(RULE_ID);
    expect(text).not.toMatch(ENGLISH_FIELD);
  });
});
