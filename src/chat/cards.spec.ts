import { approvalCard, assignmentCard, CardItem, deadlineText, extensionCard } from './cards';

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

/** Issue 14: each role's card offers what that role may do now — and nothing the rules would refuse. */
describe('issue 14: the buttons each role is offered', () => {
  const now = new Date('2026-12-02T02:00:00Z');
  const nobody = { isSupervisor: false, isOwner: false, isLeader: false };
  const ids = (c: { buttons: { id: string }[] }) => c.buttons.map((b) => b.id);

  it('E1: 申请延期 only while the last day to ask has not passed', () => {
    const lead = { ...nobody, unitRole: 'lead' as const };
    expect(ids(assignmentCard(item({ extensionOpen: true }), lead, now))).toEqual(['sign', 'extend']);
    expect(ids(assignmentCard(item({ extensionOpen: false }), lead, now))).toEqual(['sign']);
    expect(ids(assignmentCard(item({ state: 'in_progress', extensionOpen: false }), lead, now, true))).toEqual(['report', 'close']);
  });

  it('D3: the leader is offered 审定 and 退回 (with a reason box); nobody else is', () => {
    const pending = item({ state: 'pending_approval', stateLabel: '待审定', ratingLabel: '良好' });
    const card = approvalCard(pending, '已全部整治', { ...nobody, isLeader: true }, now);
    expect(card.buttons).toEqual([
      { id: 'approve', label: '审定', style: 'primary' },
      { id: 'return', label: '退回', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } },
    ]);
    expect(ids(approvalCard(pending, '', { ...nobody, isOwner: true }, now))).toEqual([]);
  });

  it('E1: the owner decides a pending extension on its card; a decided or withdrawn one offers nothing', () => {
    const owner = { ...nobody, isOwner: true };
    const req = { proposed: '2026-12-20 18:00', reason: '需等待省厅批复', status: 'pending' };
    const card = extensionCard(item(), req, owner, now);
    expect(card).toMatchObject({ kind: 'extension', proposed: '2026-12-20 18:00', reason: '需等待省厅批复', requestStatus: '待审批' });
    expect(ids(card)).toEqual(['ext:approve', 'ext:reject']);
    expect(ids(extensionCard(item(), req, { ...nobody, unitRole: 'lead' }, now))).toEqual([]);
    expect(extensionCard(item(), { ...req, status: 'withdrawn' }, owner, now)).toMatchObject({ requestStatus: '已撤回', buttons: [] });
    expect(extensionCard(item(), { ...req, status: 'refused' }, owner, now)).toMatchObject({ requestStatus: '未同意', buttons: [] });
  });
});
