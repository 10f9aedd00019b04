import { useEffect, useState } from 'react';
import { Alert, Card, Col, List, Row, Space, Statistic, Typography } from 'antd';
import { api, type LedgerPage, type Light, messageOf, query } from '../api';
import { when } from '../format';
import { LIGHT_COLOURS, LIGHTS, LightTag } from '../lights';
import { Link } from '../router';
import { useSession } from '../session';

/** What waits for whom (C5): each list is the 台账 filtered by a state, within what this person may see (P4). */
const QUEUES: { key: string; title: string; hint: string; params: Record<string, string>; roles: string[] }[] = [
  {
    key: 'sign',
    title: '待签收',
    hint: '已交办，承办单位尚未签收',
    params: { state: 'assigned' },
    roles: ['unit_contact', 'unit_head', 'supervisor', 'owner'],
  },
  { key: 'report', title: '办理中', hint: '需要按期反馈进展', params: { state: 'in_progress' }, roles: ['unit_contact', 'unit_head', 'supervisor', 'owner'] },
  { key: 'review', title: '待审核', hint: '承办单位已申请办结，等立项主体审核、评定', params: { state: 'closure_requested' }, roles: ['owner', 'supervisor'] },
  { key: 'rate', title: '审核中', hint: '立项主体审核、评定中', params: { state: 'under_review' }, roles: ['owner', 'supervisor'] },
  { key: 'approve', title: '待审定', hint: '等分管领导审定', params: { state: 'pending_approval' }, roles: ['leader', 'supervisor'] },
  { key: 'late', title: '逾期未反馈', hint: '红灯：承办单位逾期未反馈', params: { overdue: 'true' }, roles: [] },
];

interface Queue {
  total: number;
  items: LedgerPage['items'];
}

/** 工作台: counts by light over everything this person sees, and what waits for them. */
export default function DeskPage() {
  const { me } = useSession();
  const [lights, setLights] = useState<Record<Light, number> | null>(null);
  const [queues, setQueues] = useState<Record<string, Queue>>({});
  const [error, setError] = useState<string | null>(null);
  const mine = QUEUES.filter((q) => q.roles.length === 0 || me?.isAdmin || me?.roles.some((r) => q.roles.includes(r)));

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<LedgerPage>('/api/ledger?pageSize=1', { signal: ctl.signal })
      .then((p) => setLights(p.lights))
      .catch((e: unknown) => (e as Error).name !== 'AbortError' && setError(messageOf(e)));
    for (const q of mine)
      api<LedgerPage>(`/api/ledger${query({ ...q.params, pageSize: 5 })}`, { signal: ctl.signal })
        .then((p) => setQueues((s) => ({ ...s, [q.key]: { total: p.total, items: p.items } })))
        .catch((e: unknown) => (e as Error).name !== 'AbortError' && setError(messageOf(e)));
    return () => ctl.abort();
  }, [me?.personId]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        工作台
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Row gutter={[12, 12]}>
        {(['red', 'yellow', 'green', 'done'] as Light[]).map((l) => (
          <Col key={l} xs={12} md={6}>
            <Card size="small">
              <Link to={`/台账?light=${l}`}>
                <Statistic
                  title={<span title={LIGHTS[l].meaning}>{l === 'done' ? '已办结' : `${LIGHTS[l].word}灯`}</span>}
                  value={lights ? lights[l] : '—'}
                  styles={{ content: { color: LIGHT_COLOURS[l] } }}
                />
              </Link>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        {mine.map((q) => {
          const got = queues[q.key];
          return (
            <Col key={q.key} xs={24} lg={12}>
              <Card size="small" title={`${q.title}${got ? `（${got.total}）` : ''}`} extra={<Link to={`/台账${query(q.params)}`}>全部</Link>}>
                <Typography.Text type="secondary">{q.hint}</Typography.Text>
                <List
                  loading={!got}
                  dataSource={got?.items ?? []}
                  locale={{ emptyText: '暂无' }}
                  renderItem={(i) => (
                    <List.Item extra={<LightTag light={i.light} />}>
                      <List.Item.Meta
                        title={<Link to={`/items/${i.number}`}>{`${i.number} ${i.title}`}</Link>}
                        description={`${i.leadUnit?.name ?? '—'} · 期限 ${when(i.deadline)}`}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
    </Space>
  );
}
