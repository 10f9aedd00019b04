import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Grid, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { messageOf } from '../api';
import type { DeskItem, DeskList, DeskView } from '../api.gen';
import { dayjs, when, ZONE } from '../format';
import { LIGHT_COLOURS, LIGHTS, LightTag } from '../lights';
import { Link } from '../router';
import { useSession } from '../session';
import { apiGet } from '../typed-api';
import { OVERVIEW, QUEUES, sourceChart, unitChart, unitChartHeight } from './desk/desk';

// ECharts comes in its own chunk: the lists show while the charts load.
const Chart = lazy(() => import('./desk/Chart'));

/** 工作台 (issue 15): what waits on me by my part in the items, and the picture of everything I may see — one call. */
export default function DeskPage() {
  const { me } = useSession();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [desk, setDesk] = useState<DeskView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    apiGet('/api/desk', undefined, { signal: ctl.signal })
      .then(setDesk)
      .catch((e: unknown) => (e as Error).name !== 'AbortError' && setError(messageOf(e)));
    return () => ctl.abort();
  }, [me?.personId, attempt]);

  const units = useMemo(() => (desk ? unitChart(desk.byUnit, narrow) : null), [desk, narrow]);
  const sources = useMemo(() => (desk ? sourceChart(desk.bySource, narrow) : null), [desk, narrow]);
  const queues = desk ? QUEUES.filter((q) => q.roles.some((r) => desk.roles.includes(r))) : [];
  const waiting = desk ? queues.reduce((n, q) => n + desk[q.key].length, 0) : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          工作台
        </Typography.Title>
        <Typography.Text type="secondary">
          {me?.name ? `${me.name}，` : ''}
          {desk ? `今天是${dayjs(desk.generatedAt).tz(ZONE).format('YYYY年M月D日 dddd')}` : '正在读取您的事项……'}
          {desk && queues.length > 0 && (waiting ? `，有 ${waiting} 项等您办理。` : '，目前没有等您办理的事项。')}
        </Typography.Text>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={
            <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
              重试
            </Button>
          }
        />
      )}
      <Row gutter={[12, 12]}>
        {(['red', 'yellow', 'green', 'done'] as const).map((l) => (
          <Col key={l} xs={12} md={6}>
            <Card size="small">
              <Link to={`/台账?light=${l}`}>
                <Statistic
                  title={<span title={LIGHTS[l].meaning}>{l === 'done' ? '已办结' : `${LIGHTS[l].word}灯`}</span>}
                  value={desk ? desk.lights[l] : '—'}
                  styles={{ content: { color: LIGHT_COLOURS[l] } }}
                />
              </Link>
            </Card>
          </Col>
        ))}
      </Row>
      {!desk && !error && <Skeleton active />}
      {desk && queues.length > 0 && (
        <Row gutter={[12, 12]}>
          {queues.map((q) => (
            <Col key={q.key} xs={24} lg={24 / Math.min(queues.length, 3)}>
              <ItemsCard queue={q.key} title={q.title} count={desk[q.key].length} hint={q.hint} empty={q.empty} items={desk[q.key]} urgent />
            </Col>
          ))}
        </Row>
      )}
      {desk && (
        <Row gutter={[12, 12]}>
          {OVERVIEW.map((o) => {
            const list: DeskList = desk[o.key];
            return (
              <Col key={o.key} xs={24} lg={8}>
                <ItemsCard
                  queue={o.key}
                  title={o.title}
                  count={list.total}
                  hint={o.hint}
                  empty={o.empty}
                  items={list.items}
                  more={list.total > list.items.length ? { to: o.ledger, count: list.total } : undefined}
                />
              </Col>
            );
          })}
        </Row>
      )}
      {desk && units && sources && (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={14}>
            <Card size="small" title="各主办单位事项（按预警灯）">
              {desk.byUnit.length ? (
                <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: unitChartHeight(desk.byUnit.length) }} />}>
                  <Chart name="unit" label="各主办单位事项数，按红灯、黄灯、绿灯、已办结分段" option={units} height={unitChartHeight(desk.byUnit.length)} />
                </Suspense>
              ) : (
                <Empty description="暂无事项" />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title="事项来源">
              {desk.bySource.length ? (
                <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 240 }} />}>
                  <Chart name="source" label="各来源事项数" option={sources} height={narrow ? 300 : unitChartHeight(desk.byUnit.length)} />
                </Suspense>
              ) : (
                <Empty description="暂无事项" />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}

function ItemsCard(props: {
  queue: string;
  title: string;
  count: number;
  hint: string;
  empty: string;
  items: DeskItem[];
  urgent?: boolean;
  more?: { to: string; count: number };
}) {
  const { queue, title, count, hint, empty, items, urgent, more } = props;
  return (
    <Card
      size="small"
      data-queue={queue}
      title={
        <Space size={6}>
          <span>{title}</span>
          <Tag color={count && urgent ? 'red' : undefined} style={{ marginInlineEnd: 0 }}>
            {count}
          </Tag>
        </Space>
      }
      extra={more && <Link to={more.to}>{`全部 ${more.count} 项`}</Link>}
      styles={{ body: { paddingTop: 8 } }}
    >
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {hint}
      </Typography.Text>
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: empty }}
        renderItem={(i) => (
          <List.Item style={{ paddingInline: 0 }} extra={<LightTag light={i.light} />}>
            <List.Item.Meta
              title={
                <Link to={`/items/${i.number}`}>
                  <span style={{ color: '#8c8c8c', fontWeight: 400 }}>{i.number}</span> {i.title}
                  {i.keySupervision && (
                    <Tag color="volcano" style={{ marginInlineStart: 6 }}>
                      重点督办
                    </Tag>
                  )}
                </Link>
              }
              description={
                <span>
                  <Typography.Text type={i.light === 'red' ? 'danger' : undefined}>{i.note}</Typography.Text>
                  {` · ${i.leadUnitName ?? '尚未确定主办单位'} · 期限 ${when(i.deadline)}`}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
