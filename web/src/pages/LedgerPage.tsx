import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  DatePicker,
  Form,
  Grid,
  Input,
  List,
  Pagination,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { api, type ItemRow, type LedgerPage as Page, type Light, messageOf, query, type Ref } from '../api';
import { dayjs, when } from '../format';
import { LIGHT_COLOURS, LIGHTS, LightTag } from '../lights';
import { Link, navigate, useLocation } from '../router';
import { BOARDS, SOURCES, STATE_LABELS } from '../../../src/shared/vocabulary';

const FILTERS = ['unitId', 'source', 'board', 'state', 'light', 'registeredFrom', 'registeredTo', 'keyword'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

/** B3: the 台账 — server-side paging and filters kept in the address, so the back button and a shared link find the same page. */
export default function LedgerPage() {
  const place = useLocation();
  const filters: Filters = Object.fromEntries(FILTERS.map((k) => [k, place.search.get(k) ?? undefined]));
  const page = Number(place.search.get('page') ?? '1') || 1;
  const pageSize = Number(place.search.get('pageSize') ?? '50') || 50;
  const qs = query({ ...filters, page, pageSize });
  const [data, setData] = useState<Page | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [units, setUnits] = useState<Ref[]>([]);
  const [form] = Form.useForm();
  const phone = Grid.useBreakpoint().md === false;
  const w = (desk: number) => ({ width: phone ? '100%' : desk });

  useEffect(() => {
    api<Ref[]>('/api/units')
      .then(setUnits)
      .catch(() => setUnits([]));
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api<Page>(`/api/ledger${qs}`, { signal: ctl.signal })
      .then(setData)
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(messageOf(e));
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [qs]);

  useEffect(() => {
    form.setFieldsValue({
      ...filters,
      unitId: filters.unitId ? Number(filters.unitId) : undefined,
      registered: filters.registeredFrom && filters.registeredTo ? [dayjs(filters.registeredFrom), dayjs(filters.registeredTo)] : undefined,
    });
  }, [qs]);

  const go = (f: Filters, p = 1, size = pageSize) =>
    navigate(`${place.path}${query({ ...f, page: p === 1 ? undefined : p, pageSize: size === 50 ? undefined : size })}`);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const activeFilters = FILTERS.filter((k) => filters[k] && k !== 'registeredTo').length;
  const apply = (v: {
    unitId?: number;
    source?: string;
    board?: string;
    state?: string;
    light?: string;
    keyword?: string;
    registered?: [dayjs.Dayjs, dayjs.Dayjs] | null;
  }) => {
    setFiltersOpen(false);
    go({
      keyword: v.keyword?.trim() || undefined,
      unitId: v.unitId ? String(v.unitId) : undefined,
      source: v.source,
      board: v.board,
      state: v.state,
      light: v.light,
      registeredFrom: v.registered?.[0]?.format('YYYY-MM-DD'),
      registeredTo: v.registered?.[1]?.format('YYYY-MM-DD'),
    });
  };

  const columns: TableColumnsType<ItemRow> = useMemo(
    () => [
      { title: '灯', dataIndex: 'light', width: 64, render: (l: Light) => <LightTag light={l} /> },
      { title: '编号', dataIndex: 'number', width: 130, render: (n: string) => <Link to={`/items/${n}`}>{n}</Link>, responsive: ['md'] },
      {
        title: '事项',
        dataIndex: 'title',
        render: (t: string, r) => (
          <>
            <Link to={`/items/${r.number}`}>{t}</Link>
            {phone && (
              <div>
                <Typography.Text type="secondary">
                  {r.number} · {when(r.deadline)}
                </Typography.Text>
              </div>
            )}
          </>
        ),
      },
      { title: '来源', dataIndex: 'sourceLabel', width: 140, responsive: ['lg'] },
      { title: '主办单位', key: 'lead', width: 140, render: (_: unknown, r) => r.leadUnit?.name ?? '—', responsive: ['md'] },
      { title: '状态', dataIndex: 'stateLabel', width: 100 },
      { title: '办理期限', dataIndex: 'deadline', width: 170, render: (d: string | null) => when(d), responsive: ['sm'] },
      { title: '最近反馈', dataIndex: 'lastReportAt', width: 170, render: (d: string | null) => when(d), responsive: ['xl'] },
    ],
    [phone],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        台账
      </Typography.Title>
      {phone && (
        <Space>
          <Badge count={activeFilters} size="small">
            <Button onClick={() => setFiltersOpen((o) => !o)} aria-expanded={filtersOpen}>
              {filtersOpen ? '收起筛选' : '筛选'}
            </Button>
          </Badge>
          <Button href={`/api/ledger/export.xlsx${query(filters)}`}>导出 Excel</Button>
        </Space>
      )}
      <Card size="small" style={phone && !filtersOpen ? { display: 'none' } : undefined}>
        <Form form={form} layout={phone ? 'vertical' : 'inline'} onFinish={apply} style={{ rowGap: 8 }}>
          <Form.Item name="keyword" label="关键词">
            <Input allowClear placeholder="标题或编号中的字" style={w(180)} maxLength={50} />
          </Form.Item>
          <Form.Item name="unitId" label="单位">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部单位"
              style={w(180)}
              options={units.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item name="source" label="来源">
            <Select allowClear placeholder="全部来源" style={w(180)} options={options(SOURCES)} />
          </Form.Item>
          <Form.Item name="board" label="版块">
            <Select allowClear placeholder="全部版块" style={w(140)} options={options(BOARDS)} />
          </Form.Item>
          <Form.Item name="state" label="状态">
            <Select allowClear placeholder="全部状态" style={w(140)} options={options(STATE_LABELS)} />
          </Form.Item>
          <Form.Item name="light" label="灯">
            <Select
              allowClear
              placeholder="全部"
              style={w(120)}
              options={(Object.keys(LIGHTS) as Light[]).map((l) => ({ value: l, label: LIGHTS[l].word === '已办结' ? '已办结' : `${LIGHTS[l].word}灯` }))}
            />
          </Form.Item>
          <Form.Item name="registered" label="立项日期">
            <DatePicker.RangePicker allowEmpty={[false, false]} style={phone ? { width: '100%' } : undefined} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" disabled={loading}>
                查询
              </Button>
              <Button onClick={() => go({})} disabled={loading}>
                清空
              </Button>
              {!phone && <Button href={`/api/ledger/export.xlsx${query(filters)}`}>导出 Excel</Button>}
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {data && (
        <Space wrap size="large">
          {(Object.keys(LIGHTS) as Light[]).map((l) => (
            <Statistic
              key={l}
              title={l === 'done' ? '已办结' : `${LIGHTS[l].word}灯`}
              value={data.lights[l]}
              styles={{ content: { color: LIGHT_COLOURS[l] } }}
            />
          ))}
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {phone ? (
        <>
          <List<ItemRow>
            loading={loading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: '没有符合条件的事项' }}
            renderItem={(r) => <ItemCard row={r} />}
            split={false}
          />
          <Pagination
            simple
            current={page}
            pageSize={pageSize}
            total={data?.total ?? 0}
            showTotal={(t) => `共 ${t} 项`}
            onChange={(p) => go(filters, p, pageSize)}
            style={{ textAlign: 'center' }}
          />
        </>
      ) : (
        <Table<ItemRow>
          rowKey="number"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '没有符合条件的事项' }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (t: number) => `共 ${t} 项`,
            onChange: (p: number, size: number) => go(filters, size !== pageSize ? 1 : p, size),
          }}
        />
      )}
    </Space>
  );
}

/** At phone size a 台账 line is a card: light, title, number, lead unit, state and deadline. */
function ItemCard({ row }: { row: ItemRow }) {
  return (
    <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 12 } }}>
      <Space align="start" size={8} style={{ width: '100%' }}>
        <LightTag light={row.light} />
        <div style={{ minWidth: 0 }}>
          <Link to={`/items/${row.number}`}>
            <Typography.Text strong>{row.title}</Typography.Text>
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {row.number} · {row.leadUnit?.name ?? '—'} · {row.stateLabel}
            </Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              办理期限 {when(row.deadline)}
              {row.lastReportAt ? ` · 最近反馈 ${when(row.lastReportAt)}` : ''}
            </Typography.Text>
          </div>
        </div>
      </Space>
    </Card>
  );
}
