import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Grid, Input, List, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, messageOf } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { type BulletinDetail, type BulletinKind, type BulletinRow, fieldErrors, KIND_LABELS, STATE_COLORS } from './bulletins/types';

/** 通报: every 通报 with its stage, and (for the 督查室) the form that drafts a new one from the data of a period. */
export default function BulletinsPage() {
  const phone = Grid.useBreakpoint().md === false;
  const { me } = useSession();
  const office = !!me && (me.isAdmin || me.roles.includes('admin') || me.roles.includes('supervisor'));
  const [rows, setRows] = useState<BulletinRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  const load = useCallback(() => {
    setError(null);
    api<BulletinRow[]>('/api/bulletins').then(setRows, (e: unknown) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);

  const stateTag = (r: BulletinRow) => <Tag color={STATE_COLORS[r.state]}>{r.stateLabel}</Tag>;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          通报
        </Typography.Title>
        {office && !open && (
          <Button type="primary" onClick={() => setOpen(true)}>
            生成通报
          </Button>
        )}
      </Space>
      {office && open && <GenerateForm onCancel={() => setOpen(false)} />}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={
            <Button size="small" onClick={load}>
              重试
            </Button>
          }
        />
      )}
      {phone ? (
        <List<BulletinRow>
          loading={rows === null && !error}
          dataSource={rows ?? []}
          locale={{ emptyText: office ? '还没有通报。点击「生成通报」，从上月或上季度的数据起草第一期。' : '还没有通报。' }}
          renderItem={(r) => (
            <List.Item key={r.number}>
              <Card size="small" style={{ width: '100%' }} onClick={() => navigate(`/通报/${r.number}`)}>
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap>
                    <Link to={`/通报/${r.number}`}>{r.number}</Link>
                    {stateTag(r)}
                  </Space>
                  <Typography.Text>
                    {r.period} · {r.kindLabel ?? KIND_LABELS[r.kind]} · {r.issue}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {r.approvedBy ? `审定：${r.approvedBy}` : '尚未审定'}
                    {r.publishedAt ? ` · 印发于 ${r.publishedAt}` : ''}
                  </Typography.Text>
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<BulletinRow>
          rowKey="number"
          loading={rows === null && !error}
          dataSource={rows ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: office ? '还没有通报。点击「生成通报」，从上月或上季度的数据起草第一期。' : '还没有通报。' }}
          columns={[
            { title: '编号', dataIndex: 'number', render: (n: string) => <Link to={`/通报/${n}`}>{n}</Link> },
            { title: '期号', dataIndex: 'issue' },
            { title: '期间', dataIndex: 'period' },
            { title: '类别', dataIndex: 'kind', render: (_: unknown, r) => r.kindLabel ?? KIND_LABELS[r.kind] },
            { title: '状态', dataIndex: 'state', render: (_: unknown, r) => stateTag(r) },
            { title: '审定领导', dataIndex: 'approvedBy', render: (v: string | null) => v ?? '—' },
            { title: '印发时间', dataIndex: 'publishedAt', render: (v: string) => v || '—' },
          ]}
        />
      )}
    </Space>
  );
}

interface GenerateValues {
  kind: BulletinKind;
  month?: Dayjs | null;
  quarter?: Dayjs | null;
  range?: [Dayjs | null, Dayjs | null] | null;
  recipients?: string;
}

/** 生成通报: the kind, the period (a month, a quarter, or a range of days for a 重点督办 通报), the 主送机关. */
function GenerateForm({ onCancel }: { onCancel(): void }) {
  const [form] = Form.useForm<GenerateValues>();
  const kind = Form.useWatch('kind', form) ?? 'monthly';
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const periodOf = (v: GenerateValues): string | null => {
    if (v.kind === 'monthly') return v.month ? v.month.format('YYYY-MM') : null;
    if (v.kind === 'quarterly') return v.quarter ? `${v.quarter.year()}Q${Math.floor(v.quarter.month() / 3) + 1}` : null;
    return v.range?.[0] && v.range[1] ? `${v.range[0].format('YYYY-MM-DD')}~${v.range[1].format('YYYY-MM-DD')}` : null;
  };

  const submit = async () => {
    if (busy) return;
    const v = form.getFieldsValue(true) as GenerateValues;
    const period = periodOf(v);
    setError(null);
    if (!period) {
      setErrors({ period: v.kind === 'key_supervision' ? '请选择通报的起止日期。' : `请选择要通报的${v.kind === 'monthly' ? '月份' : '季度'}。` });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const made = await api<BulletinDetail>('/api/bulletins', {
        method: 'POST',
        body: { kind: v.kind, period, ...(v.recipients?.trim() ? { recipients: v.recipients.trim() } : {}) },
      });
      // The picker may still hold the focus (Enter submits from it): let it close before its form goes away.
      (document.activeElement as HTMLElement | null)?.blur();
      window.setTimeout(() => navigate(`/通报/${made.number}`), 0);
    } catch (e) {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else setError(messageOf(e));
      setBusy(false);
    }
  };

  const periodHelp = errors.period;
  return (
    <Card title="生成通报" size="small">
      <Form<GenerateValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'monthly', recipients: '各县（市、区）人民政府，市政府各部门' }}
        onValuesChange={() => setErrors({})}
        onFinish={submit}
        style={{ maxWidth: 560 }}
      >
        <Form.Item label="类别" name="kind">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'monthly', label: '月度' },
              { value: 'quarterly', label: '季度' },
              { value: 'key_supervision', label: '重点督办专项' },
            ]}
          />
        </Form.Item>
        {kind === 'monthly' && (
          <Form.Item label="通报月份" name="month" validateStatus={periodHelp ? 'error' : undefined} help={periodHelp} extra="月份结束后才能生成该月通报。">
            <DatePicker picker="month" format="YYYY-MM" placeholder="选择月份" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'quarterly' && (
          <Form.Item label="通报季度" name="quarter" validateStatus={periodHelp ? 'error' : undefined} help={periodHelp} extra="季度结束后才能生成该季度通报。">
            <DatePicker picker="quarter" placeholder="选择季度" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'key_supervision' && (
          <Form.Item
            label="通报期间"
            name="range"
            validateStatus={periodHelp ? 'error' : undefined}
            help={periodHelp}
            extra="重点督办专项通报可以随时生成，统计所选日期内的情况。"
          >
            <DatePicker.RangePicker placeholder={['开始日期', '结束日期']} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item label="主送机关" name="recipients" validateStatus={errors.recipients ? 'error' : undefined} help={errors.recipients}>
          <Input maxLength={300} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} disabled={busy}>
            生成草稿
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            取消
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
