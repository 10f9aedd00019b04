import { greetingText, mineText, waitingLine, waitingOn, WorkEntry } from './my-work.rules';
import { roleHelp } from './parser/messages';

const now = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
const item = (number: string, over: Partial<WorkEntry['item']> = {}): WorkEntry['item'] => ({
  number,
  title: '推进老旧小区改造',
  state: 'in_progress',
  stateLabel: '办理中',
  deadline: '2026-03-03T18:00:00+08:00',
  light: 'green',
  ...over,
});
const entry = (over: Partial<WorkEntry>): WorkEntry => ({ item: item('DB2026-0001'), asOwner: false, asLeader: false, extensionPending: false, ...over });

describe('what waits on a person (issue 14)', () => {
  it('a unit: 签收 before anything; a late lead unit 反馈; a signed co-unit nothing', () => {
    expect(waitingOn(entry({ item: item('DB2026-0001', { state: 'assigned', stateLabel: '已交办' }), unit: { role: 'lead', signed: false } }), now)).toEqual([
      { number: 'DB2026-0001', title: '推进老旧小区改造', what: '待签收', command: '/签收 DB2026-0001' },
    ]);
    expect(waitingOn(entry({ unit: { role: 'co', signed: false } }), now).map(waitingLine)).toEqual([
      'DB2026-0001「推进老旧小区改造」待签收（协办）：/签收 DB2026-0001',
    ]);
    const late = entry({ item: item('DB2026-0002', { deadline: '2026-03-01T18:00:00+08:00', light: 'red' }), unit: { role: 'lead', signed: true } });
    expect(waitingOn(late, now).map(waitingLine)).toEqual(['DB2026-0002「推进老旧小区改造」已逾期16小时未反馈：/反馈 DB2026-0002 办理进展']);
    expect(waitingOn(entry({ unit: { role: 'co', signed: true } }), now)).toEqual([]);
  });

  it('the owner: a closure to rate and an extension to decide; the leader: the 审定', () => {
    const owner = entry({ item: item('DB2026-0003', { state: 'under_review', stateLabel: '审核中' }), asOwner: true });
    expect(waitingOn(owner, now).map((w) => w.command)).toEqual(['/评定 DB2026-0003 良好']);
    expect(waitingOn(entry({ asOwner: true, extensionPending: true }), now).map((w) => w.what)).toEqual(['延期申请待您审批']);
    const leader = entry({ item: item('DB2026-0004', { state: 'pending_approval', stateLabel: '待审定' }), asLeader: true });
    expect(waitingOn(leader, now).map(waitingLine)).toEqual(['DB2026-0004「推进老旧小区改造」待您审定办结：/审定 DB2026-0004']);
  });
});

describe('/我的, /帮助 and the greeting (issue 14)', () => {
  it('/我的 with nothing at all says so and points to /帮助', () => {
    expect(mineText('陈联络', [], [], now)).toBe('陈联络，您目前没有在办的督办事项。发送 /帮助 查看可用的命令。');
  });

  it('/我的 separates 主办 and 协办, each line with its next command', () => {
    const entries = [entry({ unit: { role: 'lead', signed: true } }), entry({ item: item('DB2026-0002'), unit: { role: 'co', signed: true } })];
    expect(mineText('陈联络', entries, [], now)).toBe(
      [
        '陈联络，目前没有等您办理的督办事项。',
        '主办事项（1项）：',
        '· DB2026-0001「推进老旧小区改造」办理中，剩余1天8小时：/反馈 DB2026-0001 办理进展',
        '协办事项（1项）：',
        '· DB2026-0002「推进老旧小区改造」办理中，剩余1天8小时，协助主办单位办理：/查询 DB2026-0002',
      ].join('\n'),
    );
  });

  it('a greeting is answered in kind; other text is said not to be understood; both end with the next step', () => {
    expect(greetingText('王督查', '你好', [])).toBe('王督查，您好！目前没有等您办理的督办事项。发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。');
    expect(greetingText('王督查', '今天开会吗', [])).toBe(
      '王督查，您好！督办助手只能办理督办命令，没有看懂这句话。目前没有等您办理的督办事项。发送 /我的 查看全部事项，发送 /帮助 查看可用的命令。',
    );
  });

  it('/帮助 for the 督查室 alone: its section and the common commands, no unit or leader commands, no rule ids', () => {
    const text = roleHelp({ name: '王督查', roles: ['supervisor'], waiting: [] }, { numberPrefix: 'DB', today: '2026-03-02' });
    expect(text).toBe(
      [
        '王督查，您好。督办助手命令如下（命令、编号和内容之间空一格）：',
        '督查室：',
        '/查询 编号（可查看全部事项）',
        '/积分 单位名（查看单位激励积分）',
        '立项、交办、催办、重点督办和通报请在督办系统中办理。',
        '都可使用：',
        '/查询 编号　/我的（我的事项）　/登录（获取督办系统登录链接）　/帮助（本说明）',
        '例如：/查询 DB2026-0042',
      ].join('\n'),
    );
    expect(text).not.toMatch(/[A-Z]\d+：/);
  });
});
