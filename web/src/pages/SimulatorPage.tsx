import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Empty, Grid, Input, Select, Space, Spin, Typography, message } from 'antd';
import { api, messageOf } from '../api';
import { COLORS, MessageBoundary, MessageView, preview } from './simulator/render';
import type { SimCard, SimChat, SimChatLog, SimClick, SimMessage } from './simulator/types';
import TimeStrip from './simulator/TimeStrip';
import Scenarios from './simulator/Scenarios';

/** Each chat's messages by seq (a refreshed streamed reply replaces its earlier self). */
type Logs = Record<string, SimMessage[]>;

function merge(list: SimMessage[] = [], incoming: SimMessage[]): SimMessage[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const enc = encodeURIComponent;

/**
 * 演示 (issue 16, `npm run demo` only): every demo group on DingTalk and WeCom and each person's one-to-one chat with
 * the bot, as the fakes received them, live; the visitor picks who they are (「我是…」), types in any pane (the
 * @督办助手 added in groups), presses card buttons and fills their input boxes. Each action goes through the fake
 * platform's real path to the service. At a desk the panes stand side by side; on a phone, one at a time from a list.
 */
export default function SimulatorPage() {
  const phone = Grid.useBreakpoint().md === false;
  const [chats, setChats] = useState<SimChat[] | null>(null);
  const [logs, setLogs] = useState<Logs>({});
  const [cards, setCards] = useState<Record<string, SimCard>>({});
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [me, setMe] = useState<string>('');
  const [open, setOpen] = useState<string | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});
  const openRef = useRef<string | null>(null);
  openRef.current = open;

  useEffect(() => {
    let closed = false;
    // Listen first, then read what is there: nothing that lands in between is lost (merged by seq).
    const source = new EventSource('/api/demo/sim/events', { withCredentials: true });
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('message', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as SimMessage;
      setLogs((l) => ({ ...l, [m.chatId]: merge(l[m.chatId], [m]) }));
      if (openRef.current !== m.chatId) setUnread((u) => ({ ...u, [m.chatId]: (u[m.chatId] ?? 0) + 1 }));
    });
    source.addEventListener('card', (e) => {
      const c = JSON.parse((e as MessageEvent<string>).data) as SimCard;
      setCards((all) => ({ ...all, [c.id]: c }));
    });
    (async () => {
      const list = await api<SimChat[]>('/api/demo/sim/chats');
      const got = await Promise.all(list.map((c) => api<SimChatLog>(`/api/demo/sim/chats/${enc(c.id)}/messages`)));
      if (closed) return;
      setChats(list);
      setLogs((l) => Object.fromEntries(list.map((c, i) => [c.id, merge(l[c.id], got[i].messages)])));
      setCards((all) => Object.assign({}, Object.fromEntries(got.flatMap((g) => g.cards.map((c) => [c.id, c]))), all));
    })().catch((e: unknown) => setError(messageOf(e)));
    return () => {
      closed = true;
      source.close();
    };
  }, []);

  const people = useMemo(() => {
    const names = new Map<string, string[]>();
    for (const c of chats ?? []) for (const m of c.members) names.set(m.name, [...(names.get(m.name) ?? []), c.platform === 'dingtalk' ? '钉钉' : '企业微信']);
    return [...names.entries()].map(([name, where]) => ({ value: name, label: `${name}（${[...new Set(where)].join('、')}）` }));
  }, [chats]);

  const act = useCallback(async (path: 'say' | 'click', body: Record<string, unknown>): Promise<boolean> => {
    try {
      await api(`/api/demo/sim/${path}`, { method: 'POST', body });
      return true;
    } catch (e) {
      void message.error(messageOf(e));
      return false;
    }
  }, []);

  if (error) return <Alert type="error" showIcon message="演示模拟器暂时打不开" description={`${error} 请确认是用 npm run demo 启动的服务，然后刷新页面。`} />;
  if (!chats)
    return (
      <div style={{ padding: 60, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const picker = (
    <Space wrap>
      <Typography.Text strong>我是</Typography.Text>
      <Select
        aria-label="我是…"
        showSearch
        placeholder="选择一位演示人员"
        style={{ minWidth: 220 }}
        value={me || undefined}
        onChange={setMe}
        options={people}
      />
      <Typography.Text type={live ? 'success' : 'secondary'}>{live ? '● 实时' : '○ 连接中…'}</Typography.Text>
    </Space>
  );

  const pane = (chat: SimChat) => (
    <ChatPane
      key={chat.id}
      chat={chat}
      messages={logs[chat.id] ?? []}
      cards={cards}
      me={me}
      phone={phone}
      onBack={phone ? () => setOpen(null) : undefined}
      onSay={(text) => act('say', { chatId: chat.id, userId: chat.members.find((m) => m.name === me)?.userId, text })}
      onClick={(c) => act('click', { ...c, chatId: chat.id, userId: chat.members.find((m) => m.name === me)?.userId })}
    />
  );

  const chatList = (
    <div style={{ background: '#fff', borderRadius: 8 }}>
      {chats.map((c) => {
        const last = (logs[c.id] ?? []).at(-1);
        return (
          <button
            key={c.id}
            type="button"
            aria-label={`打开${c.title}（${COLORS[c.platform].name}）`}
            onClick={() => {
              setOpen(c.id);
              setUnread((u) => ({ ...u, [c.id]: 0 }));
              if (!phone) document.getElementById(`pane-${c.id}`)?.scrollIntoView({ behavior: 'smooth', inline: 'start', block: 'nearest' });
            }}
            style={{
              display: 'flex',
              width: '100%',
              gap: 8,
              alignItems: 'center',
              padding: '8px 10px',
              border: 0,
              borderBottom: '1px solid #f0f0f0',
              background: open === c.id ? '#f5f5f5' : 'transparent',
              cursor: 'pointer',
              textAlign: 'left',
            }}
          >
            <span style={{ width: 8, height: 8, borderRadius: '50%', background: COLORS[c.platform].main, flex: '0 0 8px' }} />
            <span style={{ flex: 1, minWidth: 0 }}>
              <span style={{ display: 'block', fontWeight: 500 }}>
                {c.kind === 'direct' ? `${c.title}（单聊）` : c.title}
                <span style={{ color: '#999', fontSize: 12, marginLeft: 6 }}>{COLORS[c.platform].name}</span>
              </span>
              <span style={{ display: 'block', color: '#999', fontSize: 12, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {last ? preview(last) : '暂无消息'}
              </span>
            </span>
            <Badge count={unread[c.id] ?? 0} size="small" />
          </button>
        );
      })}
    </div>
  );

  if (phone) {
    const chat = chats.find((c) => c.id === open);
    return (
      <div>
        <TimeStrip />
        <div style={{ marginBottom: 8 }}>{picker}</div>
        {chat ? pane(chat) : chatList}
      </div>
    );
  }
  return (
    <div>
      <TimeStrip />
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, flexWrap: 'wrap', gap: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          演示：钉钉与企业微信里的督办
        </Typography.Title>
        {picker}
      </div>
      <Scenarios />
      {!me && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="先在右上角「我是」中选一位演示人员，就能以他的身份在群里发言、点卡片上的按钮。" />
      )}
      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
        <div style={{ width: 230, flex: '0 0 230px', maxHeight: 'calc(100vh - 190px)', overflowY: 'auto' }}>{chatList}</div>
        {/* Panes snap to their start: scrolling the strip never leaves one cut in half beside the chat list. */}
        <div style={{ display: 'flex', gap: 12, overflowX: 'auto', flex: 1, minWidth: 0, paddingBottom: 8, scrollSnapType: 'x mandatory' }}>
          {chats.map(pane)}
        </div>
      </div>
    </div>
  );
}

function ChatPane(props: {
  chat: SimChat;
  messages: SimMessage[];
  cards: Record<string, SimCard>;
  me: string;
  phone: boolean;
  onBack?: () => void;
  onSay: (text: string) => Promise<boolean>;
  onClick: (c: Omit<SimClick, 'chatId'>) => Promise<boolean>;
}) {
  const { chat, messages, me } = props;
  const colors = COLORS[chat.platform];
  const member = chat.members.find((m) => m.name === me);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = end.current?.parentElement;
    if (box) box.scrollTop = box.scrollHeight;
  }, [messages.length]);
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    if (await props.onSay(text.trim())) setText('');
    setBusy(false);
  };
  const click = async (c: Omit<SimClick, 'chatId'>) => {
    if (busy) return;
    if (!member) {
      void message.warning(me ? `${me}不在「${chat.title}」中，请在「我是」里换一位成员。` : '请先在「我是」中选一位演示人员。');
      return;
    }
    setBusy(true);
    await props.onClick(c);
    setBusy(false);
  };
  const hint = !me
    ? '先在「我是」中选一位演示人员'
    : member
      ? chat.kind === 'group'
        ? `以${me}的身份 @督办助手`
        : `以${me}的身份发给督办助手`
      : `${me}不在此聊天中`;
  return (
    <section
      id={`pane-${chat.id}`}
      aria-label={`${chat.title}（${colors.name}${chat.kind === 'direct' ? '单聊' : '群'}）`}
      data-platform={chat.platform}
      style={{
        width: props.phone ? '100%' : 360,
        flex: props.phone ? undefined : '0 0 360px',
        scrollSnapAlign: 'start',
        height: props.phone ? 'calc(100vh - 150px)' : 'calc(100vh - 190px)',
        minHeight: 420,
        display: 'flex',
        flexDirection: 'column',
        borderRadius: 10,
        overflow: 'hidden',
        border: '1px solid #ddd',
        background: colors.page,
      }}
    >
      <header style={{ background: colors.header, color: '#fff', padding: '8px 12px', display: 'flex', alignItems: 'center', gap: 8 }}>
        {props.onBack && (
          <Button size="small" onClick={props.onBack} aria-label="返回聊天列表">
            ‹ 返回
          </Button>
        )}
        <div style={{ flex: 1, minWidth: 0 }}>
          <div style={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {chat.kind === 'direct' ? `督办助手 · ${chat.title}` : chat.title}
          </div>
          <div style={{ fontSize: 11, opacity: 0.85 }}>
            {colors.name} · {chat.kind === 'direct' ? '单聊' : `${chat.members.length + 1}人（含督办助手）`}
          </div>
        </div>
      </header>
      <div style={{ flex: 1, overflowY: 'auto', padding: '4px 10px' }}>
        {messages.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />}
        {messages.map((m) => (
          <MessageBoundary key={m.seq}>
            <MessageView
              message={m}
              platform={chat.platform}
              card={m.cardId ? props.cards[m.cardId] : undefined}
              me={member?.userId}
              busy={busy}
              onClick={(c) => void click(c)}
            />
          </MessageBoundary>
        ))}
        <div ref={end} />
      </div>
      <footer style={{ background: '#f7f7f7', borderTop: '1px solid #e5e5e5', padding: 8, display: 'flex', gap: 6 }}>
        <Input
          aria-label={`在${chat.title}输入`}
          placeholder={hint}
          disabled={!member}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => void send()}
          maxLength={2000}
        />
        <Button
          type="primary"
          disabled={!member || !text.trim()}
          loading={busy}
          onClick={() => void send()}
          style={{ background: member && text.trim() ? colors.main : undefined }}
        >
          发送
        </Button>
      </footer>
    </section>
  );
}
