import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Grid, Input, InputNumber, Radio, Select, Space, Spin, Typography, message } from 'antd';
import { api, ApiError, messageOf } from '../api';
import type { DeadlinePolicyView, SettingView } from '../api.gen';
import { useSession } from '../session';
import { BOARDS } from '../../../src/shared/vocabulary';

const NODES = ['1d', '3d', '7d', '1m'] as const;
const NODE_NAMES: Record<string, string> = { '1d': '“1天”节点', '3d': '“3天”节点', '7d': '“7天”节点', '1m': '“1个月”节点' };
const NODE_OPTIONS = [
  { value: '1d', label: '1天' },
  { value: '3d', label: '3天' },
  { value: '7d', label: '7天' },
  { value: '1m', label: '1个月' },
];
const UNIT_OPTIONS = [
  { value: 'working_day', label: '个工作日' },
  { value: 'calendar_day', label: '个自然日' },
  { value: 'month', label: '个月' },
];

/** The deadline settings as GET /api/settings describes them (web/src/api.gen.ts). */
type DeadlineSettings = DeadlinePolicyView;
type SettingRow = SettingView;

/** The service names the field in Chinese and then its key in brackets (for API users): people read the Chinese only. */
const readable = (text: string) => text.replace(/（[A-Za-z_]+）/g, '').replace(/[（(]?"?[a-z]+_[a-z_]+"?[）)]?/g, '');

const NUMBERS: { name: keyof DeadlineSettings; label: string; unit: string; help: string }[] = [
  { name: 'specialWorkingDays', label: '专项督查默认期限', unit: '个工作日', help: '专项督查事项未另定期限时，从交办次日起算的工作日数。' },
  { name: 'specialCeilingMonths', label: '专项督查期限上限', unit: '个月', help: '专项督查一般不超过这个月数；超过须由督查室记录特殊情况。' },
  { name: 'reasonBeyondMonths', label: '须说明理由的期限', unit: '个月', help: '立项时定的期限超过这个月数，须写明理由。' },
  { name: 'ongoingAfterDays', label: '转入持续跟进', unit: '天', help: '延期后仍无法在立项后这个天数内办结的事项，转入“持续跟进”版块。' },
  { name: 'keyTaskOngoingAfterMonths', label: '重点工作转入持续推进', unit: '个月', help: '重点工作、重大改革延期超过立项后这个月数，转为持续推进。' },
  {
    name: 'yearEndCheckWorkingDays',
    label: '年底清零核查',
    unit: '个工作日',
    help: '12 月最后这几个工作日，向立项主体列出尚未办结的重点工作和重大改革；填 0 不核查。',
  },
];

/** C3, E1, E2: the deadline settings as labelled fields, each with what it does; the service checks and says what is wrong where. */
export default function SettingsPage() {
  const { me } = useSession();
  const canSave = !!me && (me.isAdmin || me.roles.includes('admin'));
  const phone = Grid.useBreakpoint().md === false;
  const [row, setRow] = useState<SettingRow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm<DeadlineSettings>();

  useEffect(() => {
    api<SettingRow[]>('/api/settings')
      .then((rows) => {
        const r = rows.find((x) => x.key === 'deadline') ?? null;
        setRow(r);
        if (r) form.setFieldsValue(r.value);
        setError(null);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [reload]);

  const save = async () => {
    if (saving) return;
    setFormError(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      setFormError('有填写不完整的地方，请按红字提示补全。');
      return;
    }
    setSaving(true);
    try {
      const saved = await api<SettingRow>('/api/settings/deadline', { method: 'PUT', body: { ...row?.value, ...v } });
      setRow(saved);
      form.setFieldsValue(saved.value);
      void message.success('设置已保存，今后立项和延期按新设置计算；已定的期限不变。');
    } catch (e) {
      // The service names the field as 「每日办理截止时刻」（dayEnd）: the key in brackets says where the error goes.
      const field = e instanceof ApiError ? (e.problems?.[0]?.field ?? /（([A-Za-z]+)）/.exec(e.message)?.[1]) : undefined;
      if (e instanceof ApiError && field && field !== 'nodes' && field !== 'defaultNodeByBoard') {
        form.setFields([{ name: field as never, errors: [readable(e.message)] }]);
        form.scrollToField(field as never);
      } else setFormError(readable(messageOf(e)));
    } finally {
      setSaving(false);
    }
  };

  if (error) return <Alert type="error" showIcon title={error} action={<Button onClick={() => setReload((n) => n + 1)}>重新加载</Button>} />;
  if (!row) return <Spin />;

  const item = { labelCol: phone ? undefined : { flex: '200px' } };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        设置
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        办理期限怎么算、延期要提前几天申请、何时转入持续跟进，都在这里设定。保存后只影响今后的立项和延期，已定的期限不变。
        {row.version > 0 ? `现为第 ${row.version} 次修改后的设置。` : '现为系统默认设置。'}
      </Typography.Paragraph>
      {!canSave && <Alert type="info" showIcon title="您可以查看设置；修改须由管理员操作。" />}
      <Form form={form} layout={phone ? 'vertical' : 'horizontal'} labelWrap disabled={!canSave} onValuesChange={() => setFormError(null)}>
        <Card size="small" title="办理期限" style={{ marginBottom: 16 }}>
          <Form.Item {...item} label="各版块默认办理期限" extra="立项时没有写明期限的，按所在版块的默认时间节点。">
            <Space wrap>
              {Object.entries(BOARDS).map(([board, name]) => (
                <Space key={board} size={4}>
                  <span>{name}</span>
                  <Form.Item name={['defaultNodeByBoard', board]} noStyle rules={[{ required: true, message: '请选择' }]}>
                    <Select aria-label={`${name}默认期限`} options={NODE_OPTIONS} style={{ width: 96 }} />
                  </Form.Item>
                </Space>
              ))}
            </Space>
          </Form.Item>
          <Form.Item {...item} label="时间节点的长度" extra="每个时间节点从交办次日起算多久；期满落在休息日的，顺延到下一个工作日。">
            <Space orientation="vertical" size={4}>
              {NODES.map((node) => (
                <Space key={node} size={4} wrap>
                  <span style={{ display: 'inline-block', width: 100 }}>{NODE_NAMES[node]}</span>
                  <Form.Item name={['nodes', node, 'n']} noStyle rules={[{ required: true, message: '请填写' }]}>
                    <InputNumber aria-label={`${NODE_NAMES[node]}长度`} min={1} max={250} precision={0} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name={['nodes', node, 'unit']} noStyle>
                    <Select aria-label={`${NODE_NAMES[node]}计法`} options={UNIT_OPTIONS} style={{ width: 110 }} />
                  </Form.Item>
                </Space>
              ))}
            </Space>
          </Form.Item>
          <Form.Item
            {...item}
            label="每日办理截止时刻"
            name="dayEnd"
            rules={[{ required: true, message: '请填写每日办理截止时刻，如 18:00' }]}
            extra="只写了日期的期限，在当天这个时刻到期（如 18:00 即下班时间）。"
          >
            <Input placeholder="18:00" style={{ width: 100 }} />
          </Form.Item>
          {NUMBERS.slice(0, 3).map((f) => (
            <Form.Item key={f.name} {...item} label={f.label} extra={f.help} required>
              <Space size={4}>
                <Form.Item name={f.name} noStyle rules={[{ required: true, message: `请填写${f.label}` }]}>
                  <InputNumber aria-label={f.label} precision={0} style={{ width: 90 }} />
                </Form.Item>
                <span>{f.unit}</span>
              </Space>
            </Form.Item>
          ))}
        </Card>
        <Card size="small" title="延期与转段" style={{ marginBottom: 16 }}>
          <Form.Item {...item} label="延期须提前申请" extra="申请延期须在期限截止日前至少这么多天提出。" required>
            <Space size={4} wrap>
              <span>提前</span>
              <Form.Item name="extensionMinDaysBefore" noStyle rules={[{ required: true, message: '请填写天数' }]}>
                <InputNumber aria-label="延期须提前申请的天数" precision={0} style={{ width: 80 }} />
              </Form.Item>
              <Form.Item name="extensionDaysUnit" noStyle>
                <Radio.Group
                  aria-label="延期提前天数的计法"
                  options={[
                    { value: 'working_day', label: '个工作日' },
                    { value: 'calendar_day', label: '个自然日' },
                  ]}
                />
              </Form.Item>
            </Space>
          </Form.Item>
          {NUMBERS.slice(3).map((f) => (
            <Form.Item key={f.name} {...item} label={f.label} extra={f.help} required>
              <Space size={4}>
                <Form.Item name={f.name} noStyle rules={[{ required: true, message: `请填写${f.label}` }]}>
                  <InputNumber aria-label={f.label} precision={0} style={{ width: 90 }} />
                </Form.Item>
                <span>{f.unit}</span>
              </Space>
            </Form.Item>
          ))}
        </Card>
      </Form>
      {formError && <Alert type="error" showIcon title={formError} />}
      {canSave && (
        <Space wrap>
          <Button type="primary" onClick={save} loading={saving} disabled={saving}>
            保存设置
          </Button>
          <Button
            disabled={saving}
            onClick={() => {
              form.setFieldsValue(row.value);
              form.setFields(Object.keys(row.value).map((k) => ({ name: k as never, errors: [] })));
              setFormError(null);
            }}
          >
            放弃修改
          </Button>
        </Space>
      )}
    </Space>
  );
}
