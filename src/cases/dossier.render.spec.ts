import { renderDossierHtml } from './dossier.render';
import type { ItemRequest } from './item-request.entity';
import type { ItemState } from '../shared/vocabulary';
import { STATE_LABELS } from '../shared/vocabulary';
import type { eventView, ItemView } from './item.view';
import type { Report } from './report.entity';

type EventView = ReturnType<typeof eventView>;

// Views are built by hand (no database): the renderer only ever sees these plain shapes.
function itemView(over: Partial<ItemView> = {}): ItemView {
  return {
    number: 'DB2026-0042',
    title: '推进老旧小区改造',
    content: '一、摸清底数；\n二、制定方案。',
    source: 'instruction',
    sourceLabel: '领导批示',
    sourceRef: '市领导批示〔2026〕12号',
    board: 'key_task',
    boardLabel: '重点工作',
    category: 'decision',
    categoryLabel: '决策督查',
    state: 'in_progress',
    stateLabel: '办理中',
    owner: { id: 1, name: '张督查' },
    ownerOffice: null,
    leader: { id: 2, name: '李副市长' },
    leadUnit: { id: 10, name: '市住建局', signedAt: '2026-03-02T09:30:00+08:00' },
    coUnits: [{ id: 11, name: '市财政局', signedAt: null }],
    deadline: '2026-03-10T18:00:00+08:00',
    deadlineSpec: '7d',
    deadlineReason: null,
    overdue: false,
    light: 'green',
    keySupervision: false,
    servedParty: null,
    parentNumber: null,
    decomposed: false,
    returnCount: 0,
    failedClosureAttempts: 0,
    rating: null,
    ratingLabel: null,
    registeredAt: '2026-03-01T09:00:00+08:00',
    assignedAt: '2026-03-01T10:00:00+08:00',
    closedAt: null,
    numberRetiredAt: null,
    archivedAt: null,
    ...over,
  };
}

let nextId = 1;
function ev(at: string, summary: string, from: ItemState | null, to: ItemState | null, over: Partial<EventView> = {}): EventView {
  return {
    id: nextId++,
    type: 'test',
    at,
    actor: { id: 1, name: '张督查' },
    actorName: '张督查',
    channel: 'api',
    fromState: from,
    toState: to,
    fromStateLabel: from ? STATE_LABELS[from] : null,
    toStateLabel: to ? STATE_LABELS[to] : null,
    summary,
    data: null,
    ...over,
  };
}

function report(over: Partial<Report> = {}): Report {
  return {
    id: 1,
    itemId: 1,
    unitId: 10,
    authorId: 3,
    content: '已完成摸底。',
    channel: 'dingtalk',
    submittedAt: new Date('2026-03-03T02:00:00Z'),
    status: 'submitted',
    returnedAt: null,
    returnedById: null,
    returnReason: null,
    ...over,
  };
}

const generatedAt = new Date('2026-03-05T08:00:00Z'); // 16:00 in Beijing

function render(over: Partial<Parameters<typeof renderDossierHtml>[0]> = {}): string {
  return renderDossierHtml({ item: itemView(), events: [], reports: [], requests: [], generatedAt, ...over });
}

describe('renderDossierHtml (C6 一事一卷)', () => {
  it('is one self-contained UTF-8 HTML5 document titled with the item number', () => {
    const html = render();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('督办事项卷宗');
    expect(html).toContain('<p class="no">DB2026-0042</p>');
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/i);
    expect(html).toContain('生成时间 2026-03-05 16:00（北京时间）');
  });

  it('shows the fields with 件号, signing time and Beijing times', () => {
    const html = render();
    expect(html).toContain('<th>来源</th><td>领导批示（件号：市领导批示〔2026〕12号）</td>');
    expect(html).toContain('市住建局（签收 2026-03-02 09:30）');
    expect(html).toContain('<th>办理期限</th><td>2026-03-10 18:00（7天）</td>');
    expect(render({ item: itemView({ deadlineSpec: 'wd:10', deadlineReason: '需跨部门<会商>' }) })).toContain(
      '2026-03-10 18:00（10个工作日；需跨部门&lt;会商&gt;）',
    );
    expect(html).toContain('<th>协办单位</th><td colspan="3">市财政局</td>');
  });

  it('escapes user text everywhere, including a <script> in a report', () => {
    const html = render({
      item: itemView({ title: `A&B "x" 'y'` }),
      reports: [report({ content: '<script>alert(1)</script>\n第二行' })],
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\n第二行');
    expect(html).toContain('A&amp;B &quot;x&quot; &#39;y&#39;');
  });

  it('lists every timeline event in order with channel and state change', () => {
    nextId = 1;
    const events = [
      ev('2026-03-01T09:00:00+08:00', '立项', null, 'registered'),
      ev('2026-03-01T10:00:00+08:00', '交办市住建局', 'registered', 'assigned'),
      ev('2026-03-02T09:30:00+08:00', '签收', 'assigned', 'in_progress', { actorName: '王联络', actor: { id: 3, name: '王联络' }, channel: 'wecom' }),
      ev('2026-03-03T10:00:00+08:00', '提交反馈', 'in_progress', 'in_progress', { channel: 'dingtalk' }),
    ];
    // Passed shuffled: the file follows the log's own order, not the caller's.
    const html = render({ events: [events[2], events[0], events[3], events[1]] });
    const positions = events.map((e) => html.indexOf(`<td class="text">${e.summary}</td>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('<td>已立项 → 已交办</td>');
    expect(html).toContain('<tr><td class="t">2026-03-02 09:30</td><td>王联络</td><td>企业微信</td><td class="text">签收</td><td>已交办 → 办理中</td></tr>');
    expect(html).toContain('<td>钉钉</td><td class="text">提交反馈</td><td></td>');
  });

  it('issue 14: no rule id in the timeline — lines written before ids were dropped read without them', () => {
    nextId = 1;
    const html = render({
      events: [
        ev('2026-03-05T08:00:00+08:00', 'R5：逾期已满3天，转入重点督办（督查室跟踪督办，列入下期通报）', 'in_progress', 'in_progress'),
        ev('2026-03-06T09:00:00+08:00', 'C4：2 个子事项全部办结，母事项办结', 'in_progress', 'closed'),
        ev('2026-03-06T10:00:00+08:00', '函询：请说明进度', 'in_progress', 'in_progress'),
      ],
    });
    expect(html).toContain('<td class="text">逾期已满3天，转入重点督办（督查室跟踪督办，列入下期通报）</td>');
    expect(html).toContain('<td class="text">2 个子事项全部办结，母事项办结</td>');
    expect(html).toContain('<td class="text">函询：请说明进度</td>');
    expect(html).not.toMatch(/[A-Z]\d+[：:]/);
  });

  it('issue 14: a 整改 deadline reads as its hours and an open-ended one as such, not as a stored code', () => {
    expect(render({ item: itemView({ deadlineSpec: 'R9:48h' }) })).toContain('2026-03-10 18:00（整改时限48小时）');
    expect(render({ item: itemView({ deadlineSpec: 'open:2026' }) })).toContain('2026-03-10 18:00（无固定时限，2026年底前报送书面报告）');
  });

  it("shows a returned report's reason, and names the author from the timeline", () => {
    const html = render({
      events: [ev('2026-03-03T10:00:00+08:00', '提交反馈', null, null, { actor: { id: 3, name: '王联络' }, actorName: '王联络' })],
      reports: [report({ status: 'returned', returnedAt: new Date('2026-03-04T01:00:00Z'), returnedById: 1, returnReason: '未写明资金<来源>' })],
    });
    expect(html).toContain('市住建局 王联络（钉钉）');
    expect(html).toContain('已退回　2026-03-04 09:00　张督查');
    expect(html).toContain('退回原因：<span class="text">未写明资金&lt;来源&gt;</span>');
  });

  it('lists requests with kind and status in Chinese', () => {
    const base = {
      itemId: 1,
      requestedById: 3,
      plan: null,
      proposedDeadline: null,
      servedPartyAgreed: null,
      method: null,
      decidedById: null,
      decidedAt: null,
      decisionNote: null,
    };
    const requests: ItemRequest[] = [
      {
        ...base,
        id: 1,
        kind: 'extension',
        status: 'refused',
        requestedAt: new Date('2026-03-04T02:00:00Z'),
        text: '资金未到位',
        plan: '月底前完成',
        proposedDeadline: new Date('2026-03-31T10:00:00Z'),
        decidedById: 1,
        decidedAt: new Date('2026-03-04T06:00:00Z'),
        decisionNote: '理由不足',
      },
      { ...base, id: 2, kind: 'closure', status: 'pending', requestedAt: new Date('2026-03-05T02:00:00Z'), text: '已办结' },
    ];
    const html = render({ requests });
    expect(html).toContain('<td>延期申请</td><td>#3</td>'); // no event names person 3: the id stands in
    expect(html).toContain('申请期限：2026-03-31 18:00');
    expect(html).toContain('<td>不同意</td><td class="text">2026-03-04 14:00　张督查　理由不足</td>');
    expect(html).toContain('<td>办结申请</td>');
    expect(html).toContain('<td>待审批</td>');
    expect(render()).toContain('<h2>五、申请记录</h2>\n<p class="none">（无）</p>');
  });
});
