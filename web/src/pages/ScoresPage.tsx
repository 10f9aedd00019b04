import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Segmented, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { api, messageOf, type Ref } from '../api';
import { useServiceYear, useSession } from '../session';
import ManualEntry from './scores/ManualEntry';
import { lowest, type Ranking, type ScoreTable, signed } from './scores/model';
import QuarterClose from './scores/QuarterClose';
import RankingChart from './scores/RankingChart';
import ScoreTableCard from './scores/ScoreTableCard';
import UnitLines from './scores/UnitLines';

interface Row {
  unitId: number;
  unitName: string;
  rank: number;
  score: number;
  quarters: [number, number, number, number];
  low: boolean;
}

/** 激励积分: the ranking by year or quarter, each unit's lines, the 督查室's manual entries and quarter close, the 分值表. */
export default function ScoresPage() {
  const { me } = useSession();
  const { message } = App.useApp();
  const office = !!me && (me.isAdmin || me.roles.includes('supervisor') || me.roles.includes('admin'));
  const phone = Grid.useBreakpoint().md === false;
  const thisYear = useServiceYear();
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState<0 | 1 | 2 | 3 | 4>(0);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [versions, setVersions] = useState<ScoreTable[]>([]);
  const [units, setUnits] = useState<Ref[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [reload, setReload] = useState(0);
  const [unit, setUnit] = useState<number | null>(null);
  const [entering, setEntering] = useState(false);
  const [closing, setClosing] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api<Ranking>(`/api/scores?year=${year}`, { signal: ctl.signal })
      .then(setRanking)
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(messageOf(e));
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [year, reload]);

  useEffect(() => {
    api<ScoreTable[]>('/api/score-table/versions').then(setVersions, () => setVersions([]));
    if (office) api<Ref[]>('/api/units').then(setUnits, () => setUnits([]));
  }, [office]);

  const table = versions[versions.length - 1] ?? null;
  const bottom = table?.lines.S11.bottom ?? 2;
  const rows: Row[] = useMemo(() => {
    if (!ranking) return [];
    const scored = ranking.units.map((u) => ({ ...u, score: quarter === 0 ? u.total : u.quarters[quarter - 1] }));
    // A quarter: what the units gained or lost in it, measured against zero; the year: totals against the base.
    const low = lowest(
      scored.map((u) => ({ unitId: u.unitId, score: u.score })),
      quarter === 0 ? ranking.base : 0,
      bottom,
    );
    const sorted = [...scored].sort((a, b) => b.score - a.score || a.unitId - b.unitId);
    return sorted.map((u, i) => ({
      unitId: u.unitId,
      unitName: u.unitName,
      rank: i > 0 && sorted[i - 1].score === u.score ? sorted.findIndex((o) => o.score === u.score) + 1 : i + 1,
      score: u.score,
      quarters: u.quarters,
      low: low.has(u.unitId),
    }));
  }, [ranking, quarter, bottom]);

  const scoreTitle = quarter === 0 ? '年度积分' : `${'一二三四'[quarter - 1]}季度加减分`;
  const columns: TableColumnsType<Row> = [
    { title: '名次', dataIndex: 'rank', width: 64, align: 'center' },
    {
      title: '单位',
      dataIndex: 'unitName',
      render: (n: string, r) => (
        <Space size={4} wrap>
          <span>{n}</span>
          {r.low && <Tag color="red">排名靠后</Tag>}
        </Space>
      ),
    },
    {
      title: scoreTitle,
      dataIndex: 'score',
      width: 110,
      align: 'right',
      render: (s: number) => <Typography.Text strong>{quarter === 0 ? s : signed(s)}</Typography.Text>,
    },
    ...[0, 1, 2, 3].map((q) => ({
      title: `${'一二三四'[q]}季度`,
      key: `q${q}`,
      width: 80,
      align: 'right' as const,
      responsive: ['lg' as const],
      render: (_: unknown, r: Row) => signed(r.quarters[q]),
    })),
    {
      title: '',
      key: 'lines',
      width: 80,
      render: (_: unknown, r) => (
        <Button size="small" onClick={() => setUnit(r.unitId)}>
          明细
        </Button>
      ),
    },
  ];

  const years = Array.from({ length: 5 }, (_, i) => thisYear - i);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          激励积分
        </Typography.Title>
        {office && (
          <Space wrap>
            <Button type="primary" onClick={() => setEntering(true)}>
              手工加减分
            </Button>
            <Button onClick={() => setClosing(true)}>季度结算</Button>
          </Space>
        )}
      </Space>
      <Card size="small">
        <Form layout={phone ? 'vertical' : 'inline'} style={{ rowGap: 8 }}>
          <Form.Item label="年度">
            <Select aria-label="年度" value={year} onChange={setYear} style={{ width: 120 }} options={years.map((y) => ({ value: y, label: `${y}年` }))} />
          </Form.Item>
          <Form.Item label="范围">
            <Segmented
              value={quarter}
              onChange={(v) => setQuarter(v as typeof quarter)}
              options={[
                { value: 0, label: '全年' },
                { value: 1, label: '一季度' },
                { value: 2, label: '二季度' },
                { value: 3, label: '三季度' },
                { value: 4, label: '四季度' },
              ]}
            />
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      {rows.some((r) => r.low) && (
        <Alert
          type="warning"
          showIcon
          title={
            quarter === 0
              ? `标“排名靠后”的单位：年度积分低于基准分（${ranking?.base ?? 100} 分），且排名倒数后${bottom}位。连续${table?.lines.S11.years ?? 2}年如此的，将移交问题线索，启动责任追究。`
              : `标“排名靠后”的单位：本季度净扣分，且排名倒数后${bottom}位。请督促其加快办理、按时反馈。`
          }
        />
      )}
      {rows.length > 0 && (
        <Card size="small" title={`${year}年${quarter === 0 ? '' : '一二三四'[quarter - 1] + '季度'}积分排名`}>
          <RankingChart
            bars={rows.map((r) => ({ unitId: r.unitId, name: r.unitName, score: r.score, low: r.low }))}
            base={quarter === 0 ? (ranking?.base ?? null) : null}
            unit="分"
          />
        </Card>
      )}
      <Table<Row>
        rowKey="unitId"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        rowClassName={(r) => (r.low ? 'score-low' : '')}
        onRow={(r) => ({ style: r.low ? { background: '#fff1f0' } : undefined })}
        locale={{ emptyText: '还没有单位' }}
      />
      {versions.length > 0 && <ScoreTableCard versions={versions} />}
      <UnitLines unitId={unit} year={year} onClose={() => setUnit(null)} />
      {office && (
        <ManualEntry
          open={entering}
          units={units}
          table={table}
          onClose={() => setEntering(false)}
          onSaved={(text) => {
            setEntering(false);
            message.success(text);
            setReload((n) => n + 1);
          }}
        />
      )}
      {office && (
        <QuarterClose
          open={closing}
          year={year}
          table={table}
          onClose={() => setClosing(false)}
          onDone={(text) => {
            setClosing(false);
            message.success(text);
            setReload((n) => n + 1);
          }}
        />
      )}
    </Space>
  );
}
