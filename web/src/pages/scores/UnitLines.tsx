import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Grid, List, Spin, Table, Typography } from 'antd';
import { api, messageOf } from '../../api';
import { Link } from '../../router';
import { signed, type UnitExplanation } from './model';

/** "Why": a unit's score for the year and every line that made it — date, item, reason, points. */
export default function UnitLines({ unitId, year, onClose }: { unitId: number | null; year: number; onClose: () => void }) {
  const [data, setData] = useState<UnitExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const phone = Grid.useBreakpoint().md === false;
  useEffect(() => {
    if (unitId === null) return;
    const ctl = new AbortController();
    setData(null);
    setError(null);
    api<UnitExplanation>(`/api/scores/units/${unitId}?year=${year}`, { signal: ctl.signal }).then(setData, (e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError(messageOf(e));
    });
    return () => ctl.abort();
  }, [unitId, year]);

  const what = (l: UnitExplanation['lines'][number]) => (
    <>
      {l.explanation}
      {l.reason && l.reason !== l.explanation && <Typography.Text type="secondary">（{l.reason}）</Typography.Text>}
    </>
  );
  const item = (n: string | null) => (n ? <Link to={`/items/${n}`}>{n}</Link> : '—');

  return (
    <Drawer open={unitId !== null} onClose={onClose} size={phone ? '100%' : 720} title={data ? `${data.unit.name} · ${year}年积分明细` : '积分明细'}>
      {error && <Alert type="error" showIcon title={error} />}
      {!data && !error && <Spin />}
      {data && (
        <>
          <Descriptions size="small" column={phone ? 1 : 2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="年度积分">
              <Typography.Text strong>{data.total}</Typography.Text>（基准 {data.base}，加减 {signed(Math.round((data.total - data.base) * 10) / 10)}）
            </Descriptions.Item>
            <Descriptions.Item label="排名">
              第 {data.rank} 名 / 共 {data.of} 个单位
            </Descriptions.Item>
            <Descriptions.Item label="各季度加减">{data.quarters.map((q, i) => `${'一二三四'[i]}季度 ${signed(q)}`).join('　')}</Descriptions.Item>
          </Descriptions>
          {phone ? (
            <List
              dataSource={data.lines}
              locale={{ emptyText: '本年度尚无加减分记录' }}
              renderItem={(l) => (
                <List.Item extra={<Typography.Text strong>{signed(l.points)}</Typography.Text>}>
                  <List.Item.Meta
                    title={what(l)}
                    description={
                      <>
                        {l.at.slice(0, 10)} · {item(l.itemNumber)}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={data.lines.map((l, key) => ({ ...l, key }))}
              locale={{ emptyText: '本年度尚无加减分记录' }}
              columns={[
                { title: '日期', dataIndex: 'at', width: 110, render: (a: string) => a.slice(0, 10) },
                { title: '事项', dataIndex: 'itemNumber', width: 130, render: item },
                { title: '加减分原因', key: 'what', render: (_: unknown, l) => what(l) },
                { title: '分值', dataIndex: 'points', width: 70, align: 'right', render: (p: number) => signed(p) },
              ]}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
