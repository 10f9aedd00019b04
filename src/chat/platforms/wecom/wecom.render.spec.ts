import type { CardView } from '../../cards';
import { appXmlToEvent, botPayloadToEvent } from './wecom.events';
import { createHash } from 'node:crypto';
import { fitBytes, markdown, pictureAsLink, templateCard, webhookImage } from './wecom.render';
import { bulletinApprovalCard } from '../../cards.fixtures';

const card: CardView = {
  kind: 'assignment',
  number: 'DB2026-0001',
  title: '推进老旧小区改造',
  state: 'assigned',
  stateLabel: '已交办',
  deadline: '2026-11-30 18:00',
  timeLeft: '剩余7天',
  leadUnit: '市发展改革委',
  coUnits: '市财政局',
  source: '会议议定事项',
  content: '年内开工30个小区，每月5日前报送进度',
  buttons: [
    { id: 'sign', label: '签收', style: 'primary' },
    { id: 'extend', label: '申请延期', input: { key: 'reason', placeholder: '' } },
  ],
};

describe('WeCom rendering (PLATFORMS.md: limits are UTF-8 bytes)', () => {
  it('cuts by bytes, never inside a character, and marks the cut', () => {
    const text = '督'.repeat(1000); // 3,000 bytes
    const cut = fitBytes(text, 2048, '…');
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe('督'.repeat(681)); // 681 × 3 + 3 = 2046
    expect(fitBytes('短文本', 2048)).toBe('短文本');
  });

  it('a 3,000-character report echoed as markdown fits 2,048 bytes and points to the full text', () => {
    const m = markdown('督办反馈', '进'.repeat(3000), 2048, 'http://x/api/items/DB2026-0001');
    expect(Buffer.byteLength(m.markdown.content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(m.markdown.content).toContain('全文见 http://x/api/items/DB2026-0001');
  });

  it('issue 14: the 办理要求 is cut to the 336 bytes of sub_title_text, saying where the rest is', () => {
    const long = templateCard({ ...card, content: '按会议纪要落实'.repeat(40) }, 't');
    const sub = String(long.sub_title_text);
    expect(Buffer.byteLength(sub, 'utf8')).toBeLessThanOrEqual(336);
    expect(sub.startsWith('办理要求：按会议纪要落实')).toBe(true);
    expect(sub.endsWith('…（全文见详情）')).toBe(true);
  });

  it('renders a button_interaction card: task id, facts, buttons keyed by action id', () => {
    expect(templateCard(card, 'dbn-7-0')).toEqual({
      card_type: 'button_interaction',
      source: { desc: '督办', desc_color: 0 },
      main_title: { title: 'DB2026-0001 推进老旧小区改造', desc: '已交办' },
      sub_title_text: '办理要求：年内开工30个小区，每月5日前报送进度',
      horizontal_content_list: [
        { type: 0, keyname: '状态', value: '已交办' },
        { type: 0, keyname: '期限', value: '2026-11-30 18:00（剩余7天）' },
        { type: 0, keyname: '主办', value: '市发展改革委' },
        { type: 0, keyname: '协办', value: '市财政局' },
        { type: 0, keyname: '来源', value: '会议议定事项' },
      ],
      task_id: 'dbn-7-0',
      button_list: [
        { text: '签收', style: 1, key: 'sign' },
        { text: '申请延期', style: 2, key: 'extend' },
      ],
    });
  });
});

describe('WeCom inbound → BotEvent', () => {
  it('a group @ message keeps its chat, user and msgid; the mention stays for the parser to strip', () => {
    const e = botPayloadToEvent(
      { msgid: 'm1', chatid: 'wrCZJ', chattype: 'group', from: { userid: 'wx-wu' }, msgtype: 'text', text: { content: '@督办助手 /反馈 DB2026-0001 好' } },
      'ww1',
    );
    expect(e).toMatchObject({
      platform: 'wecom',
      userId: 'wx-wu',
      conversation: { type: 'group', id: 'wrCZJ' },
      eventId: 'bot:m1',
      text: '@督办助手 /反馈 DB2026-0001 好',
    });
  });

  it('a bot card click carries the button key and the task id', () => {
    const e = botPayloadToEvent(
      {
        msgid: 'm2',
        chatid: 'wrCZJ',
        chattype: 'group',
        from: { userid: 'wx-wu' },
        msgtype: 'event',
        event: { eventtype: 'template_card_event', template_card_event: { event_key: 'sign', task_id: 'dbn-3-0' } },
      },
      'ww1',
    );
    expect(e?.cardAction).toEqual({ action: 'sign', params: {}, outTrackId: 'dbn-3-0' });
  });

  it('app XML: MsgId stays a string beyond 2^53; a click event is keyed by user, time, task and key', () => {
    const text = appXmlToEvent(
      { ToUserName: 'ww1', FromUserName: 'wx-zhao', MsgType: 'text', Content: '/审定 DB2026-0001', MsgId: '9223372036854775807', AgentID: '1000002' },
      'ww1',
    );
    expect(text?.eventId).toBe('app:9223372036854775807');
    const click = appXmlToEvent(
      {
        ToUserName: 'ww1',
        FromUserName: 'wx-zhao',
        CreateTime: '1795400000',
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: 'approve',
        TaskId: 'dbn-9-0',
        ResponseCode: 'rc1',
      },
      'ww1',
    );
    expect(click).toMatchObject({ eventId: 'appev:wx-zhao:1795400000:dbn-9-0:approve', cardAction: { action: 'approve', outTrackId: 'dbn-9-0' } });
  });
});

describe('decision cards on WeCom (A2 审核, B2 审定)', () => {
  const decision: CardView = {
    kind: 'decision',
    number: 'XS2026-0001',
    title: '问责处理意见审核',
    state: 'audit',
    stateLabel: '分管领导审核',
    deadline: '',
    timeLeft: '',
    summary: 'A1：市发展改革委办理事项逾期3天。',
    facts: [
      { label: '单位', value: '市发展改革委' },
      { label: '处理意见', value: '市发展改革委：通报' },
    ],
    buttons: [
      { id: 'clue:approve', label: '同意', style: 'primary' },
      { id: 'clue:reject', label: '退回', style: 'danger', input: { key: 'reason', placeholder: '退回理由' } },
    ],
  };

  it('shows the facts as the key–value list, the summary as the sub-title, and the two buttons by their ids', () => {
    const card = templateCard(decision, 'task-1') as Record<string, unknown>;
    expect(card.card_type).toBe('button_interaction');
    expect(card.horizontal_content_list).toEqual([
      { type: 0, keyname: '状态', value: '分管领导审核' },
      { type: 0, keyname: '单位', value: '市发展改革委' },
      { type: 0, keyname: '处理意见', value: '市发展改革委：通报' },
    ]);
    expect(card.sub_title_text).toBe('A1：市发展改革委办理事项逾期3天。');
    expect((card.button_list as { key: string; style: number }[]).map((b) => [b.key, b.style])).toEqual([
      ['clue:approve', 1],
      ['clue:reject', 3],
    ]);
  });

  it('once decided (no buttons) it is a text notice linking to the subject', () => {
    const card = templateCard({ ...decision, buttons: [] }, 'task-1', 'https://duban.example/x') as Record<string, unknown>;
    expect(card.card_type).toBe('text_notice');
    expect(card.card_action).toEqual({ type: 1, url: 'https://duban.example/x' });
  });
});

/** Issue 14 (defect 4): the 通报 in a WeCom group — the title once, the picture as a link, then an image message. */
describe('WeCom markdown of a 通报 summary', () => {
  const summary = '### 政务督查 2026年第3期\n**2026年3月督查督办事项落实情况**\n\n![图表](https://x/chart.png)\n\n[查看通报全文](https://x/full)';

  it('a text that opens with its own title is not given the title again; any other text is', () => {
    expect(markdown('政务督查 2026年第3期', summary, 4096).markdown.content).toBe(summary);
    expect(markdown('通报审定', '通报 TB2026-0001 已审定。').markdown.content).toBe('**通报审定**\n通报 TB2026-0001 已审定。');
  });

  it('the picture line becomes a link (WeCom markdown shows no pictures)', () => {
    expect(pictureAsLink(summary, { url: 'https://x/chart.png', alt: '图表' })).toContain('[查看图表](https://x/chart.png)');
    expect(pictureAsLink(summary, { url: 'https://x/chart.png', alt: '图表' })).not.toContain('![');
  });

  it('the webhook image message: base64 and md5 of the bytes; nothing over 2 MB', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect(webhookImage(png)).toEqual({ msgtype: 'image', image: { base64: png.toString('base64'), md5: createHash('md5').update(png).digest('hex') } });
    expect(webhookImage(Buffer.alloc(2 * 1024 * 1024 + 1))).toBeNull();
  });
});

describe('a 通报 审定 card on WeCom (issue 14)', () => {
  it('the 全文 fact is a link line (type 1 with its url), not a URL cut at 90 bytes', () => {
    const { card: view, url } = bulletinApprovalCard();
    const card = templateCard(view, 'task-2') as { horizontal_content_list: object[] };
    expect(card.horizontal_content_list).toEqual([
      { type: 0, keyname: '状态', value: '待领导审定' },
      { type: 0, keyname: '批评', value: '2项' },
      { type: 1, keyname: '全文', value: '点击查看', url },
    ]);
  });
});
