import { useEffect, useState } from 'react';
import { Alert, Button, Calendar, Card, Form, Grid, Input, List, Modal, Popconfirm, Radio, Space, Table, Tag, Typography, message } from 'antd';
import { api, ApiError, messageOf } from '../api';
import type { OverrideView, SpecialDayView, YearCoverageView, YearDaysView } from '../api.gen';
import { dayjs } from '../format';
import { useSession } from '../session';
import { useLocation } from '../router';

/** The calendar's answers as the service describes them (web/src/api.gen.ts). */
type SpecialDay = SpecialDayView;
type YearDays = YearDaysView;
type Override = OverrideView;
type Kind = SpecialDay['kind'];

const KIND_WORDS: Record<Kind, string> = { restday: '放假', workday: '上班' };

/** How a day reads on the calendar: 春节（放假）, 调休上班, 放假（调整）. */
function dayLabel(d: SpecialDay): { text: string; color: string } {
  if (d.source === 'override') return { text: `${KIND_WORDS[d.kind]}（调整）`, color: d.kind === 'restday' ? 'volcano' : 'geekblue' };
  if (d.kind === 'workday') return { text: d.name ?? '调休上班', color: 'blue' };
  return { text: d.name ?? '放假', color: 'red' };
}

const chineseDate = (date: string) => dayjs(date).format('YYYY年M月D日（ddd）');

/** C3: the working-day calendar — official holidays and 调休 from chinese-days, the office's own adjustments on top. */
export default function CalendarPage() {
  const place = useLocation();
  const { me } = useSession();
  const canEdit = !!me && (me.isAdmin || me.roles.includes('admin'));
  const phone = Grid.useBreakpoint().md === false;
  const start = /^\d{4}-\d{2}$/.test(place.search.get('month') ?? '') ? dayjs(`${place.search.get('month')}-01`) : dayjs();
  const [value, setValue] = useState(start);
  const [data, setData] = useState<YearDays | null>(null);
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [lastCovered, setLastCovered] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm<{ kind: Kind; note: string }>();
  const year = value.year();

  useEffect(() => {
    setError(null);
    api<YearDays>(`/api/calendar/days?year=${year}`)
      .then(setData)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [year, reload]);
  useEffect(() => {
    api<Override[]>('/api/calendar/overrides')
      .then(setOverrides)
      .catch(() => setOverrides([]));
  }, [reload]);
  useEffect(() => {
    api<YearCoverageView[]>('/api/calendar/coverage?from=2020&to=2035')
      .then((ys) => setLastCovered(Math.max(...ys.filter((y) => y.covered).map((y) => y.year))))
      .catch(() => setLastCovered(null));
  }, []);

  const byDate = new Map((data?.days ?? []).map((d) => [d.date, d]));
  const existing = editing ? overrides.find((o) => o.date === editing) : undefined;

  const open = (date: string) => {
    if (!canEdit) return;
    const d = byDate.get(date);
    const current = existing ?? overrides.find((o) => o.date === date);
    form.resetFields();
    const ordinary: Kind = dayjs(date).day() === 0 || dayjs(date).day() === 6 ? 'restday' : 'workday';
    const now = current?.kind ?? d?.kind ?? ordinary;
    form.setFieldsValue({ kind: current?.kind ?? (now === 'restday' ? 'workday' : 'restday'), note: current?.note ?? '' });
    setEditing(date);
  };

  const save = async () => {
    if (!editing || saving) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      await api(`/api/calendar/overrides/${editing}`, { method: 'PUT', body: { kind: v.kind, note: v.note } });
      void message.success(`已把 ${chineseDate(editing)} 设为${KIND_WORDS[v.kind]}，期限和提醒从现在起按调整后的日历计算。`);
      setEditing(null);
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError && e.problems?.length) form.setFields([{ name: 'note', errors: [e.message] }]);
      else void message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = async (date: string) => {
    try {
      await api(`/api/calendar/overrides/${date}`, { method: 'DELETE' });
      void message.success(`已删除 ${chineseDate(date)} 的调整，恢复官方安排。`);
      setEditing(null);
      setReload((n) => n + 1);
    } catch (e) {
      void message.error(messageOf(e));
    }
  };

  const monthDays = (data?.days ?? []).filter((d) => d.date.startsWith(value.format('YYYY-MM')));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        工作日历
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        办理期限按工作日计算，节假日不发提醒。日历里的法定节假日和调休上班日来自国务院办公厅的放假通知；本地另有安排的，
        {canEdit ? '点一下那一天即可调整为放假或上班，并写明原因。' : '请管理员在此调整。'}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} action={<Button onClick={() => setReload((n) => n + 1)}>重新加载</Button>} />}
      {data && !data.officialCovered && (
        <Alert
          type="warning"
          showIcon
          title={`${year} 年的法定节假日和调休安排还没有官方数据`}
          description={`${year} 年的法定节假日尚未收录${lastCovered ? `（系统自带的官方数据只到 ${lastCovered} 年）` : ''}。国务院办公厅发布 ${year} 年放假通知后，请${canEdit ? '' : '管理员'}按通知逐日录入：放假的日子设为“放假”，调休上班的周末设为“上班”。${data.covered ? `已录入 ${data.days.length} 天，请核对是否完整。` : '录入前，系统暂按周六、周日休息计算这一年的期限，节假日期间也会照常提醒。'}`}
        />
      )}
      <Card size="small">
        <Calendar
          fullscreen={!phone}
          value={value}
          onPanelChange={(d) => setValue(d)}
          onSelect={(d, info) => {
            setValue(d);
            if (info.source === 'date') open(d.format('YYYY-MM-DD'));
          }}
          cellRender={(current, info) => {
            if (info.type !== 'date') return info.originNode;
            const date = current.format('YYYY-MM-DD');
            const d = byDate.get(date);
            const l = d ? dayLabel(d) : null;
            if (phone)
              return (
                <div data-date={date} title={l?.text}>
                  {d && <div style={{ height: 6, width: 6, borderRadius: 3, margin: '0 auto', background: d.kind === 'restday' ? '#f5222d' : '#1677ff' }} />}
                </div>
              );
            return (
              <div data-date={date} style={{ minHeight: 40 }}>
                {d && l && (
                  <Space orientation="vertical" size={2}>
                    <Tag color={l.color} style={{ marginInlineEnd: 0 }}>
                      {l.text}
                    </Tag>
                    {d.source === 'override' && d.note && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {d.note}
                      </Typography.Text>
                    )}
                  </Space>
                )}
              </div>
            );
          }}
        />
        {phone && (
          <List
            size="small"
            header={`${value.format('M')} 月的节假日和调整`}
            dataSource={monthDays}
            locale={{ emptyText: '这个月没有节假日或调休' }}
            renderItem={(d) => (
              <List.Item onClick={() => open(d.date)} style={{ cursor: canEdit ? 'pointer' : undefined }}>
                <Space wrap>
                  <span>{dayjs(d.date).format('M月D日 ddd')}</span>
                  <Tag color={dayLabel(d).color}>{dayLabel(d).text}</Tag>
                  {d.note && <Typography.Text type="secondary">{d.note}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title="本地调整" data-testid="overrides">
        <Table<Override>
          size="small"
          rowKey="date"
          dataSource={overrides}
          pagination={overrides.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 560 }}
          locale={{ emptyText: '没有调整，完全按官方放假安排。' }}
          columns={[
            { title: '日期', dataIndex: 'date', width: 170, render: (d: string) => chineseDate(d) },
            { title: '调整为', dataIndex: 'kind', width: 80, render: (k: Kind) => <Tag color={k === 'restday' ? 'volcano' : 'geekblue'}>{KIND_WORDS[k]}</Tag> },
            { title: '原因', dataIndex: 'note', render: (n: string) => n || '—' },
            ...(canEdit
              ? [
                  {
                    title: '操作',
                    key: 'op',
                    width: 90,
                    render: (_: unknown, o: Override) => (
                      <Popconfirm title="删除这条调整，恢复官方安排？" okText="删除" cancelText="取消" onConfirm={() => remove(o.date)}>
                        <Button size="small" type="link" danger>
                          删除
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={editing ? `调整 ${chineseDate(editing)}` : ''}
        onCancel={() => setEditing(null)}
        footer={
          <Space wrap>
            {existing && (
              <Button danger onClick={() => editing && remove(editing)}>
                删除调整，恢复官方安排
              </Button>
            )}
            <Button onClick={() => setEditing(null)}>取消</Button>
            <Button type="primary" loading={saving} disabled={saving} onClick={save}>
              保存调整
            </Button>
          </Space>
        }
        destroyOnHidden
      >
        {editing && (
          <Typography.Paragraph type="secondary">
            官方安排：
            {(() => {
              const d = byDate.get(editing);
              if (d?.source === 'official') return dayLabel(d).text;
              if (d?.officialKind) return d.name ? `${d.name}，${KIND_WORDS[d.officialKind]}` : KIND_WORDS[d.officialKind];
              if (!data?.officialCovered) return '尚无官方数据（暂按周末休息）';
              return dayjs(editing).day() === 0 || dayjs(editing).day() === 6 ? '周末休息' : '正常上班';
            })()}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical">
          <Form.Item label="这一天" name="kind" rules={[{ required: true, message: '请选择放假或上班' }]}>
            <Radio.Group
              options={[
                { value: 'restday', label: '放假' },
                { value: 'workday', label: '上班' },
              ]}
            />
          </Form.Item>
          <Form.Item
            label="原因"
            name="note"
            rules={[
              { required: true, message: '请写明原因，如“2027年春节”或“防汛调休”' },
              { max: 100, message: '原因最多 100 个字' },
            ]}
          >
            <Input placeholder="如：2027年春节、防汛调休" maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
