import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Select, Space, Tag, Tooltip, Typography, message } from 'antd';
import { api, messageOf } from '../../api';
import { useSession } from '../../session';
import { COLORS } from './render';

/**
 * GET /api/demo/sim/reminders and POST /api/demo/sim/next-reminder (src/demo/demo-time.controller.ts). Not in
 * web/src/api.gen.ts: it is generated from a service without the demo, where these endpoints do not exist.
 */
interface ReminderPane {
  chatId: string;
  title: string;
  platform: 'dingtalk' | 'wecom';
}
interface PlannedReminder {
  id: number;
  at: string;
  plannedAt: string;
  held: boolean;
  sent: boolean;
  sentAt: string | null;
  number: string;
  title: string;
  kind: string;
  what: string;
  audience: string;
  to: string;
  panes: ReminderPane[];
}
interface DemoTime {
  now: string;
  speed: number;
  upcoming: PlannedReminder[];
  recent: PlannedReminder[];
}
interface NextReminder {
  now: string;
  speed: number;
  number: string;
  what: string;
  to: string;
}

/** How often the strip asks for the planned reminders (the clock itself ticks on the page between answers). */
const POLL_MS = 3000;
const SPEEDS = [
  { value: 1, label: '1倍（实时）' },
  { value: 60, label: '60倍（1分钟=1小时）' },
  { value: 360, label: '360倍（1分钟=6小时）' },
  { value: 1440, label: '1440倍（1分钟=1天）' },
];
const WEEKDAYS = '日一二三四五六';

/** An instant as the 督查室 reads it, in Beijing time whatever the browser's zone: 「3月2日 周一 09:05」. */
function shanghai(ms: number, withWeekday = false): string {
  const d = new Date(ms + 8 * 3600_000);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${withWeekday ? ` 周${WEEKDAYS[d.getUTCDay()]}` : ''} ${hm}`;
}

/**
 * 演示时间 (issue 16, part 4): the demo clock, ticking at its speed; 倍速; +1小时 / +1天 / 到下一条提醒 (an admin's: they
 * move the service's clock for everyone); and a timeline of the reminders planned next — when, what, for which item,
 * to whom and in which chats — with the last ones sent, so a visitor watches the 13710 ladder happen.
 */
export default function TimeStrip() {
  const admin = useSession().me?.isAdmin === true;
  const [time, setTime] = useState<DemoTime | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [, tick] = useState(0);
  const [busy, setBusy] = useState(false);
  const line = useRef<HTMLOListElement>(null);
  const nowMark = useRef<HTMLLIElement>(null);
  const nextId = time?.upcoming[0]?.id;
  const lastSent = time?.recent[0]?.id;
  // When reminders go out or the clock jumps, the timeline shows 「现在」 near its left edge (the last one sent beside it).
  useEffect(() => {
    const box = line.current;
    const mark = nowMark.current;
    if (box && mark) box.scrollLeft += mark.getBoundingClientRect().left - box.getBoundingClientRect().left - Math.min(210, box.clientWidth / 3);
  }, [nextId, lastSent]);

  const load = useCallback(async () => {
    try {
      const t = await api<DemoTime>('/api/demo/sim/reminders?limit=12');
      setTime(t);
      setFetchedAt(Date.now());
    } catch {
      /* the next poll tries again; the chats say when the demo is gone */
    }
  }, []);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    const clock = setInterval(() => tick((n) => n + 1), 1000);
    return () => {
      clearInterval(poll);
      clearInterval(clock);
    };
  }, [load]);

  const move = async (path: string, body: object, done?: (answer: NextReminder) => string) => {
    setBusy(true);
    try {
      const answer = await api<NextReminder>(path, { method: 'POST', body });
      if (done) void message.success(done(answer));
      await load();
    } catch (e) {
      void message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (!time) return null;
  const now = Date.parse(time.now) + (Date.now() - fetchedAt) * time.speed;
  const speeds = SPEEDS.some((s) => s.value === time.speed) ? SPEEDS : [...SPEEDS, { value: time.speed, label: `${time.speed}倍` }];
  const cannot = admin ? undefined : '拨动演示时钟需要系统管理员身份';
  const entry = (r: PlannedReminder) => (
    <li
      key={r.id}
      data-reminder={r.number}
      style={{
        listStyle: 'none',
        flex: '0 0 190px',
        padding: '6px 8px',
        borderRadius: 6,
        border: '1px solid #e5e5e5',
        background: r.sent ? '#fafafa' : '#fff',
        opacity: r.sent ? 0.65 : 1,
        fontSize: 12,
      }}
    >
      <div style={{ fontWeight: 600 }}>
        {shanghai(Date.parse(r.sentAt ?? r.at))}
        {r.sent ? (
          <Tag style={{ marginLeft: 6 }}>已发出</Tag>
        ) : r.held ? (
          <Tag color="orange" style={{ marginLeft: 6 }}>
            顺延
          </Tag>
        ) : null}
      </div>
      {r.sentAt && r.sentAt.slice(0, 16) !== r.at.slice(0, 16) && <div style={{ color: '#999' }}>原定 {shanghai(Date.parse(r.at))}</div>}
      <div title={r.title} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {r.what} · {r.number}
      </div>
      <div style={{ color: '#666' }}>发给{r.to}</div>
      <div style={{ marginTop: 2 }}>
        {r.panes.map((p) => (
          <a
            key={p.chatId}
            href={`#pane-${p.chatId}`}
            onClick={(e) => {
              e.preventDefault();
              document.getElementById(`pane-${p.chatId}`)?.scrollIntoView({ behavior: 'smooth', inline: 'start', block: 'nearest' });
            }}
            style={{ marginRight: 6, color: COLORS[p.platform].main, whiteSpace: 'nowrap' }}
          >
            {p.title}
          </a>
        ))}
      </div>
    </li>
  );

  return (
    <div role="group" aria-label="演示时间" style={{ background: '#fff', borderRadius: 8, padding: '8px 12px', marginBottom: 12 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
        <span>
          <Typography.Text type="secondary">演示时间 </Typography.Text>
          <Typography.Text strong style={{ fontSize: 18 }} data-testid="demo-now">
            {shanghai(now, true)}
          </Typography.Text>
        </span>
        <Space size={4}>
          <Typography.Text type="secondary">倍速</Typography.Text>
          <Select
            aria-label="倍速"
            size="small"
            style={{ width: 210 }}
            value={time.speed}
            disabled={!admin || busy}
            options={speeds}
            onChange={(speed) => void move('/api/demo/clock', { speed })}
          />
        </Space>
        <Tooltip title={cannot}>
          <Space size={4}>
            <Button size="small" disabled={!admin || busy} onClick={() => void move('/api/demo/clock', { advanceMinutes: 60 })}>
              +1小时
            </Button>
            <Button size="small" disabled={!admin || busy} onClick={() => void move('/api/demo/clock', { advanceMinutes: 1440 })}>
              +1天
            </Button>
            <Button
              size="small"
              type="primary"
              disabled={!admin || busy}
              onClick={() =>
                void move('/api/demo/sim/next-reminder', {}, (a) => `演示时钟已拨到 ${shanghai(Date.parse(a.now))}：${a.number} ${a.what}，发给${a.to}。`)
              }
            >
              到下一条提醒
            </Button>
          </Space>
        </Tooltip>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          夜间 22:00 至次日 08:00 和休息日不发提醒，顺延到下一个工作日早上。
        </Typography.Text>
      </div>
      <div style={{ marginTop: 8 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          接下来的提醒（系统提前约半天排定）
        </Typography.Text>
        <ol ref={line} aria-label="接下来的提醒" style={{ display: 'flex', gap: 8, overflowX: 'auto', margin: '4px 0 0', padding: '0 0 4px' }}>
          {[...time.recent].reverse().map(entry)}
          <li
            ref={nowMark}
            aria-label="现在"
            style={{
              listStyle: 'none',
              flex: '0 0 auto',
              alignSelf: 'stretch',
              borderLeft: '2px solid #fa541c',
              padding: '0 6px',
              color: '#fa541c',
              fontSize: 12,
            }}
          >
            现在
          </li>
          {time.upcoming.map(entry)}
          {time.upcoming.length === 0 && (
            <li style={{ listStyle: 'none', color: '#999', fontSize: 12, alignSelf: 'center' }}>
              暂无已排定的提醒。交办一件期限较近的事项，或点「到下一条提醒」。
            </li>
          )}
        </ol>
      </div>
    </div>
  );
}
