import { assignmentCard, CardItem, deadlineText } from './cards';

const item = (over: Partial<CardItem> = {}): CardItem => ({
  number: 'DB2026-0001',
  title: '年度工作',
  state: 'assigned',
  stateLabel: '已交办',
  deadline: '2026-12-31T18:00:00+08:00',
  light: 'green',
  leadUnit: { name: '市发展改革委' },
  coUnits: [],
  sourceLabel: '会议议定',
  ratingLabel: null,
  ...over,
});

describe('cards show the deadline as people read it', () => {
  it('C3 (000 §12: 对未明确办理时限的…年终做出书面综合报告): an item without a time limit shows 无固定时限 and no countdown', () => {
    expect(deadlineText(item({ deadlineSpec: 'open:2026' }))).toBe('无固定时限（2026-12-31前报送年度书面报告）');
    const card = assignmentCard(item({ deadlineSpec: 'open:2026' }), null, new Date('2026-03-02T01:00:00Z'));
    expect([card.deadline, card.timeLeft]).toEqual(['无固定时限（2026-12-31前报送年度书面报告）', '']);
  });

  it('C3: any other item shows its deadline and the time left', () => {
    const card = assignmentCard(item({ deadlineSpec: '7d', deadline: '2026-03-11T18:00:00+08:00' }), null, new Date('2026-03-02T01:00:00Z'));
    expect([card.deadline, card.timeLeft]).toEqual(['2026-03-11 18:00', '剩余9天9小时']);
  });
});

/** A1, B3 on the chat card: "已逾期" is the unit's lateness only — an item the unit has answered is not shown as overdue. */
describe("the card's time line follows the one meaning of overdue (A1)", () => {
  const now = new Date('2026-03-10T02:00:00Z'); // Tuesday 10:00
  const item = (light: CardItem['light']): CardItem => ({
    number: 'DB2026-0001',
    title: '事项',
    state: 'pending_approval',
    stateLabel: '待审定',
    deadline: '2026-03-06T18:00:00+08:00',
    light,
    leadUnit: { name: '市发展改革委' },
    coUnits: [],
    sourceLabel: '会议议定事项',
    ratingLabel: null,
  });

  it('A1 — the unit did not answer by the deadline: 已逾期', () => {
    expect(assignmentCard(item('red'), null, now).timeLeft).toBe('已逾期3天16小时');
  });

  it('A1 — the unit answered (a late leader sign-off does not make the unit late): no 已逾期 on the card', () => {
    expect(assignmentCard(item('green'), null, now).timeLeft).toBe('承办单位已反馈');
  });

  it("A1 — never handed over: not the unit's lateness, the card says it still has to be assigned", () => {
    expect(assignmentCard(item('yellow'), null, now).timeLeft).toBe('已过期限尚未交办，请尽快交办');
  });
});
