import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Empty, Grid, List, Space, Spin, Table, Tag, Typography, message } from 'antd';
import { api, messageOf } from '../api';
import type { DeadLetterView } from '../api.gen';
import { when } from '../format';
import { Link } from '../router';

/** A dead letter as GET /api/outbox/dead-letters describes it. */
type DeadLetter = DeadLetterView;

/** 死信: messages a platform refused for good, in words — to whom, what, why and what to do — and 重试, once per click. */
export default function DeadLettersPage() {
  const phone = Grid.useBreakpoint().md === false;
  const [rows, setRows] = useState<DeadLetter[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Set<number>>(new Set());
  const inFlight = useRef(new Set<number>());
  const [reload, setReload] = useState(0);

  useEffect(() => {
    setError(null);
    api<DeadLetter[]>('/api/outbox/dead-letters')
      .then(setRows)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [reload]);

  const retry = async (d: DeadLetter) => {
    // A double click sends one request: the second click finds this one on its way.
    if (inFlight.current.has(d.id)) return;
    inFlight.current.add(d.id);
    setBusy(new Set(inFlight.current));
    try {
      await api(`/api/outbox/${d.id}/retry`, { method: 'POST' });
      setRows((list) => list?.filter((x) => x.id !== d.id) ?? null);
      void message.success(`已重新发送给${d.to}。如果仍然失败，它会再次出现在这里。`);
    } catch (e) {
      void message.error(messageOf(e));
      setReload((n) => n + 1);
    } finally {
      inFlight.current.delete(d.id);
      setBusy(new Set(inFlight.current));
    }
  };

  const what = (d: DeadLetter) => (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        <Tag>{d.what}</Tag>
        {d.itemNumber && <Link to={`/items/${encodeURIComponent(d.itemNumber)}`}>{d.itemNumber}</Link>}
      </Space>
      <Typography.Text>{d.summary}</Typography.Text>
    </Space>
  );
  const why = (d: DeadLetter) => (
    <Space orientation="vertical" size={0}>
      <Typography.Text>{d.why}</Typography.Text>
      {d.rawError && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          平台原话：{d.rawError}
        </Typography.Text>
      )}
    </Space>
  );
  const button = (d: DeadLetter) => (
    <Button type="primary" size="small" autoInsertSpace={false} loading={busy.has(d.id)} disabled={busy.has(d.id)} onClick={() => void retry(d)}>
      重试
    </Button>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        死信（发送失败的消息）
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        title="这些消息平台拒收，系统已停止自动重发。"
        description="请先按“为何未送达”排除原因（如把机器人拉回群、核对人员账号），再点“重试”：系统会立即把这条消息重新发送一次，内容按事项当前的状态生成；成功后从列表消失，仍然失败的会重新出现在这里。"
      />
      {error && <Alert type="error" showIcon title={error} action={<Button onClick={() => setReload((n) => n + 1)}>重新加载</Button>} />}
      {!rows && !error && <Spin />}
      {rows && rows.length === 0 && (
        <Card size="small">
          <Empty description="没有发送失败的消息，所有消息都已送达或正在发送。" />
        </Card>
      )}
      {rows && rows.length > 0 && !phone && (
        <Table<DeadLetter>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={rows.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 1000 }}
          columns={[
            { title: '发给', dataIndex: 'to', width: 160, render: (to: string, d) => `${to}${d.platform ? ` · ${d.platform}` : ''}` },
            { title: '什么消息', key: 'what', width: 260, render: (_: unknown, d) => what(d) },
            { title: '为何未送达', key: 'why', render: (_: unknown, d) => why(d) },
            { title: '时间', dataIndex: 'createdAt', width: 150, render: (t: string) => when(t) },
            { title: '已尝试', dataIndex: 'attempts', width: 70, render: (n: number) => `${n} 次` },
            { title: '操作', key: 'op', width: 80, fixed: 'right', render: (_: unknown, d) => button(d) },
          ]}
        />
      )}
      {rows && rows.length > 0 && phone && (
        <List
          dataSource={rows}
          renderItem={(d) => (
            <Card size="small" style={{ marginBottom: 12 }} title={`发给 ${d.to}`} extra={button(d)}>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {what(d)}
                {why(d)}
                <Typography.Text type="secondary">
                  {when(d.createdAt)} · 已尝试 {d.attempts} 次{d.platform ? ` · ${d.platform}` : ''}
                </Typography.Text>
              </Space>
            </Card>
          )}
        />
      )}
    </Space>
  );
}
