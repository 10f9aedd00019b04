import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
import { api, earlyAnswer, type ItemRow, type LedgerPage as Page, type Light, messageOf, query, type Ref } from '../api';
import { dayjs } from '../format';
import { LIGHT_COLOURS, LIGHTS, LightTag } from '../lights';
import { Link, navigate, useLocation } from '../router';
import { BOARDS, SOURCES, STATE_LABELS } from '../../../src/shared/vocabulary';
import { DEFAULT_PAGE_SIZE, FILTERS, type Filters, ledgerPlace, ledgerRequest } from './ledger/address';
import { when } from './ledger/time';

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));
const SOURCE_OPTIONS = options(SOURCES);
const BOARD_OPTIONS = options(BOARDS);
const STATE_OPTIONS = options(STATE_LABELS);
const LIGHT_OPTIONS = (Object.keys(LIGHTS) as Light[]).map((l) => ({ value: l, label: LIGHTS[l].word === '已办结' ? '已办结' : `${LIGHTS[l].word}灯` }));
const EMPTY = { emptyText: '没有符合条件的事项' };
const SCROLL = { x: 'max-content' } as const;
const PAGE_SIZES = [20, 50, 100, 200];
const showTotal = (t: number) => `共 ${t} 项`;

/**
 * B3: the 台账 — server-side paging and filters kept in the address, so the back button and a shared link find the same page.
 * Issue 15 (over 100,000 items in under a second): the first page is asked for while the console starts (api.ts), and
 * shown in the page's first render when it has arrived; the filters, the counts and the table re-render only when
 * what they show changes (the units for the filter arriving do not redraw 50 rows).
 */
export default function LedgerPage() {
  const place = useLocation();
  const search = place.search.toString();
  const { filters, page, pageSize } = useMemo(() => ledgerPlace(new URLSearchParams(search)), [search]);
  const request = ledgerRequest({ filters, page, pageSize });
  const [shown, setShown] = useState<{ request: string; data: Page } | null>(() => {
    const data = earlyAnswer<Page>(request);
    return data ? { request, data } : null;
  });
  const shownFor = useRef(shown?.request);
  shownFor.current = shown?.request;
  const data = shown?.data ?? null;
  const [loading, setLoading] = useState(!shown);
  const [error, setError] = useState<string | null>(null);
  const phone = Grid.useBreakpoint().md === false;
  const [filtersOpen, setFiltersOpen] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    if (shownFor.current !== request) setLoading(true);
    setError(null);
    api<Page>(request, { signal: ctl.signal })
      .then((d) => setShown((s) => (s?.data === d ? s : { request, data: d })))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(messageOf(e));
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [request]);

  const path = place.path;
  const go = useCallback(
    (f: Filters, p = 1, size = pageSize) =>
      navigate(`${path}${query({ ...f, page: p === 1 ? undefined : p, pageSize: size === DEFAULT_PAGE_SIZE ? undefined : size })}`),
    [path, pageSize],
  );
  const apply = useCallback(
    (f: Filters) => {
      setFiltersOpen(false);
      go(f);
    },
    [go],
  );
  const turn = useCallback((p: number, size: number) => go(filters, size !== pageSize ? 1 : p, size), [go, filters, pageSize]);
  const activeFilters = FILTERS.filter((k) => filters[k] && k !== 'registeredTo').length;
  const exportHref = `/api/ledger/export.xlsx${query(filters)}`;

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
          <Button href={exportHref}>导出 Excel</Button>
        </Space>
      )}
      <LedgerFilters filters={filters} phone={phone} hidden={phone && !filtersOpen} loading={loading} exportHref={exportHref} onApply={apply} />
      {data && <LightCounts lights={data.lights} />}
      {error && <Alert type="error" showIcon title={error} />}
      {phone ? (
        <>
          <List<ItemRow> loading={loading} dataSource={data?.items ?? []} locale={EMPTY} renderItem={(r) => <ItemCard row={r} />} split={false} />
          <Pagination
            simple
            current={page}
            pageSize={pageSize}
            total={data?.total ?? 0}
            showTotal={showTotal}
            onChange={(p) => go(filters, p, pageSize)}
            style={{ textAlign: 'center' }}
          />
        </>
      ) : (
        <LedgerTable rows={data?.items} total={data?.total ?? 0} page={page} pageSize={pageSize} loading={loading} onTurn={turn} />
      )}
    </Space>
  );
}

type FilterValues = {
  unitId?: number;
  source?: string;
  board?: string;
  state?: string;
  light?: string;
  keyword?: string;
  registered?: [dayjs.Dayjs, dayjs.Dayjs] | null;
};

/** The filter form: it asks for the units itself, and redraws when the address's filters or its own state change. */
const LedgerFilters = memo(function LedgerFilters({
  filters,
  phone,
  hidden,
  loading,
  exportHref,
  onApply,
}: {
  filters: Filters;
  phone: boolean;
  hidden: boolean;
  loading: boolean;
  exportHref: string;
  onApply: (f: Filters) => void;
}) {
  const [units, setUnits] = useState<Ref[]>([]);
  const [form] = Form.useForm<FilterValues>();
  const w = (desk: number) => ({ width: phone ? '100%' : desk });
  const unitOptions = useMemo(() => units.map((u) => ({ value: u.id, label: u.name })), [units]);

  useEffect(() => {
    api<Ref[]>('/api/units')
      .then(setUnits)
      .catch(() => setUnits([]));
  }, []);

  useEffect(() => {
    form.setFieldsValue({
      ...filters,
      unitId: filters.unitId ? Number(filters.unitId) : undefined,
      registered: filters.registeredFrom && filters.registeredTo ? [dayjs(filters.registeredFrom), dayjs(filters.registeredTo)] : undefined,
    });
  }, [filters, form]);

  const apply = (v: FilterValues) =>
    onApply({
      keyword: v.keyword?.trim() || undefined,
      unitId: v.unitId ? String(v.unitId) : undefined,
      source: v.source,
      board: v.board,
      state: v.state,
      light: v.light,
      registeredFrom: v.registered?.[0]?.format('YYYY-MM-DD'),
      registeredTo: v.registered?.[1]?.format('YYYY-MM-DD'),
    });

  return (
    <Card size="small" style={hidden ? { display: 'none' } : undefined}>
      <Form form={form} layout={phone ? 'vertical' : 'inline'} onFinish={apply} style={{ rowGap: 8 }}>
        <Form.Item name="keyword" label="关键词">
          <Input allowClear placeholder="标题或编号中的字" style={w(180)} maxLength={50} />
        </Form.Item>
        <Form.Item name="unitId" label="单位">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部单位" style={w(180)} options={unitOptions} />
        </Form.Item>
        <Form.Item name="source" label="来源">
          <Select allowClear placeholder="全部来源" style={w(180)} options={SOURCE_OPTIONS} />
        </Form.Item>
        <Form.Item name="board" label="版块">
          <Select allowClear placeholder="全部版块" style={w(140)} options={BOARD_OPTIONS} />
        </Form.Item>
        <Form.Item name="state" label="状态">
          <Select allowClear placeholder="全部状态" style={w(140)} options={STATE_OPTIONS} />
        </Form.Item>
        <Form.Item name="light" label="灯">
          <Select allowClear placeholder="全部" style={w(120)} options={LIGHT_OPTIONS} />
        </Form.Item>
        <Form.Item name="registered" label="立项日期">
          <DatePicker.RangePicker allowEmpty={[false, false]} style={phone ? { width: '100%' } : undefined} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" disabled={loading}>
              查询
            </Button>
            <Button onClick={() => onApply({})} disabled={loading}>
              清空
            </Button>
            {!phone && <Button href={exportHref}>导出 Excel</Button>}
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
});

/** The counts by light over everything the filters match. */
const LightCounts = memo(function LightCounts({ lights }: { lights: Record<Light, number> }) {
  return (
    <Space wrap size="large">
      {(Object.keys(LIGHTS) as Light[]).map((l) => (
        <Statistic key={l} title={l === 'done' ? '已办结' : `${LIGHTS[l].word}灯`} value={lights[l]} styles={{ content: { color: LIGHT_COLOURS[l] } }} />
      ))}
    </Space>
  );
});

const COLUMNS: TableColumnsType<ItemRow> = [
  { title: '灯', dataIndex: 'light', width: 64, render: (l: Light) => <LightTag light={l} /> },
  { title: '编号', dataIndex: 'number', width: 130, render: (n: string) => <Link to={`/items/${n}`}>{n}</Link>, responsive: ['md'] },
  { title: '事项', dataIndex: 'title', render: (t: string, r) => <Link to={`/items/${r.number}`}>{t}</Link> },
  { title: '来源', dataIndex: 'sourceLabel', width: 140, responsive: ['lg'] },
  { title: '主办单位', key: 'lead', width: 140, render: (_: unknown, r) => r.leadUnit?.name ?? '—', responsive: ['md'] },
  { title: '状态', dataIndex: 'stateLabel', width: 100 },
  { title: '办理期限', dataIndex: 'deadline', width: 170, render: (d: string | null) => when(d), responsive: ['sm'] },
  { title: '最近反馈', dataIndex: 'lastReportAt', width: 170, render: (d: string | null) => when(d), responsive: ['xl'] },
];
const NO_ROWS: ItemRow[] = [];

/** At desk size the 台账 is a table, paged by the service. */
const LedgerTable = memo(function LedgerTable({
  rows,
  total,
  page,
  pageSize,
  loading,
  onTurn,
}: {
  rows: ItemRow[] | undefined;
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onTurn: (page: number, size: number) => void;
}) {
  const pagination = useMemo(
    () => ({ current: page, pageSize, total, showSizeChanger: true, pageSizeOptions: PAGE_SIZES, showTotal, onChange: onTurn }),
    [page, pageSize, total, onTurn],
  );
  return (
    <Table<ItemRow>
      rowKey="number"
      size="middle"
      loading={loading}
      columns={COLUMNS}
      dataSource={rows ?? NO_ROWS}
      scroll={SCROLL}
      locale={EMPTY}
      pagination={pagination}
    />
  );
});

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
