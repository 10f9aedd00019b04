import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, InputNumber, Modal, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { api, messageOf, query } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useServiceYear, useSession } from '../session';
import { PROCEDURE_STATE_LABELS } from '../../../src/accountability/accountability.types';
import { CLUE_TRIGGERS, type ClueRow, isOffice, nextStep } from './clues/model';

const TERMINAL = ['applied', 'dismissed'];

/** 责任追究: the clues — number, unit, why opened, where each stands and the next step; the ranking-based opening. */
export default function CluesPage() {
  const { me } = useSession();
  const { message } = App.useApp();
  const office = isOffice(me);
  const place = useLocation();
  const state = place.search.get('state') ?? undefined;
  const phone = Grid.useBreakpoint().md === false;
  const [rows, setRows] = useState<ClueRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [ranking, setRanking] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<ClueRow[]>(`/api/accountability/clues${query({ state })}`, { signal: ctl.signal }).then(setRows, (e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError(messageOf(e));
    });
    return () => ctl.abort();
  }, [state, reload]);

  const columns: TableColumnsType<ClueRow> = [
    {
      title: '编号',
      dataIndex: 'number',
      width: 130,
      render: (n: string, r) => (
        <>
          <Link to={`/责任追究/${n}`}>{n}</Link>
          {phone && (
            <div>
              <Typography.Text type="secondary">{r.unit}</Typography.Text>
            </div>
          )}
        </>
      ),
    },
    { title: '单位', dataIndex: 'unit', width: 140, responsive: ['md'] },
    {
      title: '线索来源',
      key: 'why',
      render: (_: unknown, r) => (
        <>
          <Tag>{CLUE_TRIGGERS[r.trigger] ?? r.trigger}</Tag>
          <div>
            <Typography.Text type="secondary" ellipsis={{ tooltip: r.summary }} style={{ maxWidth: phone ? 200 : 360 }}>
              {r.summary}
            </Typography.Text>
          </div>
        </>
      ),
    },
    {
      title: '状态',
      dataIndex: 'stateLabel',
      width: 130,
      render: (s: string, r) => <Tag color={TERMINAL.includes(r.state) ? 'default' : r.next.leader.length ? 'gold' : 'blue'}>{s}</Tag>,
    },
    { title: '下一步', key: 'next', width: 240, render: (_: unknown, r) => nextStep(r), responsive: ['md'] },
    { title: '登记时间', dataIndex: 'openedAt', width: 150, responsive: ['lg'] },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          责任追究
        </Typography.Title>
        {office && <Button onClick={() => setRanking(true)}>按年度积分排名移交线索</Button>}
      </Space>
      <Card size="small">
        <Form layout={phone ? 'vertical' : 'inline'}>
          <Form.Item label="状态">
            <Select
              aria-label="状态"
              allowClear
              placeholder="全部状态"
              value={state}
              onChange={(v?: string) => navigate(`${place.path}${query({ state: v })}`)}
              style={{ width: phone ? '100%' : 200 }}
              options={Object.entries(PROCEDURE_STATE_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ClueRow>
        rowKey="number"
        size="middle"
        loading={rows === null && !error}
        columns={columns}
        dataSource={rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 条` }}
        locale={{ emptyText: state ? '没有处于该状态的线索' : '还没有问题线索' }}
      />
      {office && (
        <RankingClues
          open={ranking}
          onClose={() => setRanking(false)}
          onDone={(text) => {
            setRanking(false);
            message.success(text);
            setReload((n) => n + 1);
          }}
        />
      )}
    </Space>
  );
}

/** S11 → A1 by hand: the year just closed by default (January does it by itself too). */
function RankingClues({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (text: string) => void }) {
  const [year, setYear] = useState(useServiceYear() - 1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ candidates: number; opened: string[] }>(`/api/accountability/ranking/${year}`, { method: 'POST' });
      onDone(
        r.candidates === 0
          ? `${year}年没有连续两年积分低于基准分且排名倒数后2位的单位，未登记线索。`
          : r.opened.length
            ? `符合条件的单位 ${r.candidates} 个，已登记线索 ${r.opened.join('、')}，请逐条移交。`
            : `符合条件的单位 ${r.candidates} 个，线索此前均已登记，没有新增。`,
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title="按年度积分排名移交线索"
      okText="确认登记"
      cancelText="取消"
      onOk={run}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: busy }}
    >
      <Typography.Paragraph>
        对所选年度及上一年度积分都低于基准分、且排名都在倒数后2位的单位，各登记一条问题线索，由督查室移交并提出问责建议。已登记过的不会重复登记。
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">每年1月系统也会对上一年度自动进行；此处用于补做或核对。</Typography.Paragraph>
      <Space>
        年度
        <InputNumber aria-label="年度" value={year} min={2000} max={2100} precision={0} onChange={(v) => v && setYear(v)} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
    </Modal>
  );
}
