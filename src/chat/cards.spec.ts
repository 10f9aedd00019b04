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
