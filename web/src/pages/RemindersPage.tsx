import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  message,
} from 'antd';
import { api, ApiError, messageOf } from '../api';
import { when } from '../format';
import { useSession } from '../session';
import { differences, type ItemChanges, type Policy, type PolicyVersion, POLICY_HINTS, policyName } from './system/policies';
import { formFieldOf, fromForm, HHMM, type PolicyForm, toForm } from './system/policy-form';
import { SOURCES, BOARDS } from '../../../src/shared/vocabulary';

const timeRule = { pattern: HHMM, message: '请写成 时:分，如 09:00' };
const need = (what: string) => ({ required: true, message: `请填写${what}` });
const positive = { type: 'number' as const, min: 1, message: '须为正整数' };
const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1} 月` }));
const DAYS = Array.from({ length: 31 }, (_, i) => ({ value: i + 1, label: `${i + 1} 日` }));

function scopeText(p: Policy): string {
  const a = p.appliesTo;
  const parts = [
    ...(a.kinds ?? []).map((k) => ({ rectification: '整改通知', open_ended: '无固定时限事项' })[k] ?? k),
    ...(a.sources ?? []).map((s) => `来源为“${(SOURCES as Record<string, string>)[s] ?? s}”的事项`),
    ...(a.boards ?? []).map((b) => `“${(BOARDS as Record<string, string>)[b] ?? b}”版块`),
  ];
  return parts.length ? parts.join('、') : '没有专门策略的所有事项';
}

interface Row {
  key: string;
  number: string;
  title: string;
  change: string;
  what: string;
  to: string;
  before: string;
  after: string;
}

const sendText = (t?: { sendAt: string; held: string | null }) => (t ? `${when(t.sendAt)}${t.held ? `（${t.held}）` : ''}` : '—');

/** R1–R10 as a form: the 13710 ladder in words, a preview of what a change would send, then a new version. */
export default function RemindersPage() {
  const { me } = useSession();
  const canSave = !!me && (me.isAdmin || me.roles.includes('admin'));
  const phone = Grid.useBreakpoint().md === false;
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [id, setId] = useState<string>('default');
  const [history, setHistory] = useState<PolicyVersion[] | null>(null);
  const [preview, setPreview] = useState<ItemChanges[] | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm<PolicyForm>();
  const policy = policies?.find((p) => p.id === id);
  const addOn = policy?.layer === 'add_on';

  useEffect(() => {
    api<Policy[]>('/api/reminder-policies')
      .then((list) => {
        setPolicies(list);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(messageOf(e)));
  }, [reload]);

  useEffect(() => {
    if (!policy) return;
    form.resetFields();
    form.setFieldsValue(toForm(policy));
    setPreview(null);
    setFormError(null);
    setHistory(null);
    api<PolicyVersion[]>(`/api/reminder-policies/${encodeURIComponent(policy.id)}/history`)
      .then(setHistory)
      .catch(() => setHistory([]));
  }, [policy]);

  const candidate = async (): Promise<Policy | null> => {
    try {
      const v = await form.validateFields();
      return fromForm(v, policy!);
    } catch {
      setFormError('有填写不完整或格式不对的地方，请按红字提示改正。');
      return null;
    }
  };

  const showApiError = (e: unknown) => {
    if (e instanceof ApiError && e.problems?.length) {
      const placed = e.problems.filter((p) => formFieldOf(p.field));
      form.setFields(placed.map((p) => ({ name: formFieldOf(p.field)! as never, errors: [p.message ?? ''] })));
      if (placed.length < e.problems.length) setFormError(e.message);
      else setFormError('有填写不对的地方，请按红字提示改正。');
    } else setFormError(messageOf(e));
  };

  const runPreview = async () => {
    if (previewing) return;
    setFormError(null);
    const p = await candidate();
    if (!p) return;
    setPreviewing(true);
    try {
      setPreview(await api<ItemChanges[]>('/api/reminder-policies/preview/changes', { method: 'POST', body: { policy: p, days: 14 } }));
    } catch (e) {
      showApiError(e);
    } finally {
      setPreviewing(false);
    }
  };

  const save = async () => {
    if (saving) return;
    setFormError(null);
    const p = await candidate();
    if (!p) return;
    setSaving(true);
    try {
      const { version: _v, id: _id, ...body } = p;
      const saved = await api<Policy>(`/api/reminder-policies/${encodeURIComponent(id)}`, { method: 'PUT', body });
      void message.success(`已保存为第 ${saved.version} 版，今后的提醒按新版本发送。`);
      setPolicies((list) => list?.map((x) => (x.id === id ? saved : x)) ?? null);
    } catch (e) {
      showApiError(e);
    } finally {
      setSaving(false);
    }
  };

  const rows: Row[] = useMemo(
    () =>
      (preview ?? []).flatMap((i) =>
        i.changes.map((c, n) => ({
          key: `${i.number}-${n}`,
          number: i.number,
          title: i.title,
          change: c.change,
          what: c.what,
          to: c.to,
          before: sendText(c.before),
          after: sendText(c.after),
        })),
      ),
    [preview],
  );

  if (loadError) return <Alert type="error" showIcon title={loadError} action={<Button onClick={() => setReload((n) => n + 1)}>重新加载</Button>} />;
  if (!policies) return <Spin />;

  const number = (name: (string | number)[], label: string, unit: string, extra?: object) => (
    <Space size={4} align="baseline">
      <Form.Item name={name} rules={[need(label), positive]} style={{ marginBottom: 0 }}>
        <InputNumber aria-label={label} min={1} precision={0} style={{ width: 90 }} {...extra} />
      </Form.Item>
      <span>{unit}</span>
    </Space>
  );
  const time = (name: string, label: string) => (
    <Form.Item name={name} rules={[need(label), timeRule]} style={{ marginBottom: 0 }}>
      <Input aria-label={label} placeholder="09:00" style={{ width: 90 }} />
    </Form.Item>
  );
  const toggled = (on: string, children: React.ReactNode) => (
    <Form.Item noStyle shouldUpdate={(a, b) => a[on] !== b[on]}>
      {({ getFieldValue }) => (getFieldValue(on) ? children : null)}
    </Form.Item>
  );
  const hoursList = (name: 'beforeDeadline' | 'afterDeadline', word: string, label: string) => (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" size={4}>
          {fields.map((f, i) => (
            <Space key={f.key} size={4} align="baseline" wrap>
              <span>{word}</span>
              <Form.Item name={f.name} rules={[need('小时数'), positive]} style={{ marginBottom: 0 }}>
                <InputNumber aria-label={`${label}第 ${i + 1} 次提醒（小时）`} min={1} precision={0} style={{ width: 90 }} />
              </Form.Item>
              <span>小时提醒</span>
              <Button size="small" type="link" danger onClick={() => remove(f.name)}>
                删除
              </Button>
            </Space>
          ))}
          <Button size="small" onClick={() => add(24)}>
            增加一次
          </Button>
        </Space>
      )}
    </Form.List>
  );

  const versions = (history ?? []).slice().reverse();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        提醒策略
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        按“13710”工作法，系统在截止前、逾期后自动提醒和催办。修改后请先“预览变更”，看清今后两周会多发、少发或改期哪些提醒，再保存为新版本；旧版本都会保留。
      </Typography.Paragraph>
      {!canSave && <Alert type="info" showIcon title="您可以查看策略并预览修改的效果；保存须由管理员操作。" />}
      <Tabs activeKey={id} onChange={setId} items={policies.map((p) => ({ key: p.id, label: policyName(p.id) }))} />
      {policy && (
        <Card size="small" title={`${policyName(policy.id)}（现行第 ${policy.version} 版）`}>
          <Typography.Paragraph type="secondary">
            {POLICY_HINTS[policy.id] ?? ''}适用于：{scopeText(policy)}。
          </Typography.Paragraph>
          <Form
            form={form}
            layout={phone ? 'vertical' : 'horizontal'}
            labelCol={phone ? undefined : { flex: '180px' }}
            labelWrap
            onValuesChange={() => setPreview(null)}
          >
            {!addOn && (
              <>
                <Typography.Title level={5}>截止前后</Typography.Title>
                <Form.Item label="截止前提醒" extra="截止前多少小时提醒承办单位；可设多次。">
                  {hoursList('beforeDeadline', '截止前', '截止前')}
                </Form.Item>
                <Form.Item label="逾期后提醒" extra="逾期多少小时提醒承办单位，如 5、24、48 小时。">
                  {hoursList('afterDeadline', '逾期', '逾期后')}
                </Form.Item>
                <Form.Item label="逾期催办频次" extra="逾期后按时段加密催办，如逾期 1 天内每 3 小时、2 天内每 2 小时催办一次。">
                  <Form.List name="overdueCadence">
                    {(fields, { add, remove }) => (
                      <Space orientation="vertical" size={4}>
                        {fields.map((f, i) => (
                          <Space key={f.key} size={4} align="baseline" wrap>
                            <span>逾期</span>
                            <Form.Item name={[f.name, 'untilHours']} rules={[need('小时数'), positive]} style={{ marginBottom: 0 }}>
                              <InputNumber aria-label={`第 ${i + 1} 段截止（逾期小时）`} min={1} precision={0} style={{ width: 80 }} />
                            </Form.Item>
                            <span>小时内，每</span>
                            <Form.Item name={[f.name, 'everyHours']} rules={[need('间隔'), positive]} style={{ marginBottom: 0 }}>
                              <InputNumber aria-label={`第 ${i + 1} 段间隔（小时）`} min={1} precision={0} style={{ width: 70 }} />
                            </Form.Item>
                            <span>小时催办一次</span>
                            <Button size="small" type="link" danger onClick={() => remove(f.name)}>
                              删除
                            </Button>
                          </Space>
                        ))}
                        <Button size="small" onClick={() => add({ untilHours: 72, everyHours: 4 })}>
                          增加一段
                        </Button>
                      </Space>
                    )}
                  </Form.List>
                </Form.Item>
                <Form.Item label="报请分管领导协调" extra="逾期到这个时长仍未办结，报请立项主体的分管领导协调。">
                  <Space wrap>
                    <Form.Item name="escalateOn" valuePropName="checked" noStyle>
                      <Switch aria-label="报请分管领导协调" checkedChildren="报请" unCheckedChildren="不报请" />
                    </Form.Item>
                    {toggled('escalateOn', number(['escalateHours'], '逾期多少小时后报请', '小时后报请'))}
                  </Space>
                </Form.Item>
                <Form.Item label="转入重点督办" extra="逾期到这个时长仍未办结，转为重点督办事项。">
                  <Space wrap>
                    <Form.Item name="keyOn" valuePropName="checked" noStyle>
                      <Switch aria-label="转入重点督办" checkedChildren="转入" unCheckedChildren="不转入" />
                    </Form.Item>
                    {toggled('keyOn', number(['keyHours'], '逾期多少小时后转入重点督办', '小时后转入'))}
                  </Space>
                </Form.Item>
                <Form.Item label="逾期持续催办" extra="上述频次催办结束后仍未反馈的，按此间隔继续催办，直到单位反馈。">
                  <Space wrap align="baseline">
                    <Form.Item name="followUpOn" valuePropName="checked" noStyle>
                      <Switch aria-label="逾期持续催办" checkedChildren="催办" unCheckedChildren="不催办" />
                    </Form.Item>
                    {toggled(
                      'followUpOn',
                      <Space size={4} align="baseline" wrap>
                        <span>每</span>
                        {number(['followUpEvery'], '每几个工作日催办', '个工作日的')}
                        {time('followUpAt', '持续催办时刻')}
                        <span>催办一次</span>
                      </Space>,
                    )}
                  </Space>
                </Form.Item>
                <Form.Item label="逾期计时方式" name="overdueClock" extra="只计工作日：节假日不算逾期时间，放假期间不会“逾期 3 天”。">
                  <Radio.Group
                    options={[
                      { value: 'working', label: '只计工作日' },
                      { value: 'calendar', label: '按自然时间' },
                    ]}
                  />
                </Form.Item>
                <Typography.Title level={5}>发送时间</Typography.Title>
                <Form.Item
                  label="日常提醒时刻"
                  name="notifyAt"
                  rules={[need('日常提醒时刻'), timeRule]}
                  extra="每周提醒、月度反馈、季度小结等按日期的提醒在这个时刻发出。"
                >
                  <Input aria-label="日常提醒时刻" placeholder="09:00" style={{ width: 90 }} />
                </Form.Item>
                <Form.Item label="夜间免打扰" extra="这段时间内不发提醒，到结束时刻再发。">
                  <Space wrap align="baseline">
                    <Form.Item name="quietOn" valuePropName="checked" noStyle>
                      <Switch aria-label="夜间免打扰" checkedChildren="开启" unCheckedChildren="不设" />
                    </Form.Item>
                    {toggled(
                      'quietOn',
                      <Space size={4} align="baseline">
                        {time('quietStart', '免打扰开始时刻')}
                        <span>至次日</span>
                        {time('quietEnd', '免打扰结束时刻')}
                      </Space>,
                    )}
                  </Space>
                </Form.Item>
                <Form.Item label="节假日不发送" name="quietDays" valuePropName="checked" extra="周末和法定节假日不发提醒，顺延到下一个工作日上午合并发送一次。">
                  <Switch aria-label="节假日不发送" checkedChildren="不发送" unCheckedChildren="照常发送" />
                </Form.Item>
                <Form.Item label="每群每日提醒上限" extra="一个单位的督办群一天最多收到几条提醒，超出的顺延到下一个工作日上午合并发送。">
                  <Space wrap align="baseline">
                    <Form.Item name="capOn" valuePropName="checked" noStyle>
                      <Switch aria-label="每群每日提醒上限" checkedChildren="限制" unCheckedChildren="不限" />
                    </Form.Item>
                    {toggled('capOn', number(['cap'], '每天最多几条', '条'))}
                  </Space>
                </Form.Item>
                <Form.Item label="待审核、待审批、待审定提醒" extra="办结审核、延期审批、领导审定等待处理时，提醒待处理的人。">
                  <Space wrap align="baseline">
                    <Form.Item name="decisionOn" valuePropName="checked" noStyle>
                      <Switch aria-label="待审核、待审批、待审定提醒" checkedChildren="提醒" unCheckedChildren="不提醒" />
                    </Form.Item>
                    {toggled(
                      'decisionOn',
                      <Space size={4} align="baseline" wrap>
                        <span>收到后第</span>
                        {number(['decisionAfter'], '第几个工作日起提醒', '个工作日起，每')}
                        {number(['decisionEvery'], '每几个工作日提醒', '个工作日的')}
                        {time('decisionAt', '待处理提醒时刻')}
                        <span>提醒一次</span>
                      </Space>,
                    )}
                  </Space>
                </Form.Item>
                <Typography.Title level={5}>定期提醒</Typography.Title>
                <Form.Item label="每周提醒" extra="办理期限在这个天数及以上的事项每周提醒一次；填 0 表示所有事项都每周提醒。">
                  <Space wrap align="baseline">
                    <Form.Item name="weeklyOn" valuePropName="checked" noStyle>
                      <Switch aria-label="每周提醒" checkedChildren="提醒" unCheckedChildren="不提醒" />
                    </Form.Item>
                    {toggled(
                      'weeklyOn',
                      <Space size={4} align="baseline">
                        <span>办理期限</span>
                        <Form.Item name="weeklyDays" rules={[need('天数')]} style={{ marginBottom: 0 }}>
                          <InputNumber aria-label="每周提醒的期限天数" min={0} precision={0} style={{ width: 80 }} />
                        </Form.Item>
                        <span>天及以上</span>
                      </Space>,
                    )}
                  </Space>
                </Form.Item>
                <Form.Item label="逐月反馈进展" extra="当月进展须在月底前反馈；次月起每日按时刻催报，超过天数仍未报的转督查室。">
                  <Space wrap align="baseline">
                    <Form.Item name="monthEndOn" valuePropName="checked" noStyle>
                      <Switch aria-label="逐月反馈进展" checkedChildren="要求" unCheckedChildren="不要求" />
                    </Form.Item>
                    {toggled(
                      'monthEndOn',
                      <Space size={4} align="baseline" wrap>
                        <span>次月前</span>
                        {number(['monthEndUrgeDays'], '催报几个工作日', '个工作日，每日')}
                        <Form.Item
                          name="monthEndUrgeAt"
                          rules={[
                            need('催报时刻'),
                            {
                              validator: (_, v: string) =>
                                (v ?? '')
                                  .split(/[、,，\s]+/)
                                  .filter(Boolean)
                                  .every((x) => HHMM.test(x))
                                  ? Promise.resolve()
                                  : Promise.reject(new Error('请写成 08:00、15:00')),
                            },
                          ]}
                          style={{ marginBottom: 0 }}
                        >
                          <Input aria-label="催报时刻" placeholder="08:00、15:00" style={{ width: 130 }} />
                        </Form.Item>
                        <span>催报；超过</span>
                        {number(['monthEndEscalate'], '超过几日转督查室', '日未报转督查室')}
                      </Space>,
                    )}
                  </Space>
                </Form.Item>
                <Form.Item label="季度小结" name="quarterlySummary" valuePropName="checked" extra="每季度最后一个工作日提醒报送季度小结，第四季度提前一周。">
                  <Switch aria-label="季度小结" checkedChildren="要求" unCheckedChildren="不要求" />
                </Form.Item>
                {policy.rectificationHours !== undefined && (
                  <>
                    <Typography.Title level={5}>整改</Typography.Title>
                    <Form.Item label="整改时限" extra="下发整改通知后须在这个时长内整改完毕（按工作日计，48 小时即 2 个工作日）。">
                      {number(['rectificationHours'], '整改时限（小时）', '小时')}
                    </Form.Item>
                    <Form.Item
                      label="整改报送时刻"
                      name="rectificationReportBy"
                      rules={[need('整改报送时刻'), timeRule]}
                      extra="整改期满后次日这个时刻前报送整改情况，逾期不报视为未整改。"
                    >
                      <Input aria-label="整改报送时刻" style={{ width: 90 }} />
                    </Form.Item>
                  </>
                )}
              </>
            )}
            {(addOn || policy.fixedReportDates) && (
              <Form.Item label="固定报送日期" extra="在事项本身的提醒之外，另在这些日期提醒报送进展。">
                <Space orientation="vertical" size={4}>
                  {!addOn && (
                    <Form.Item name="fixedOn" valuePropName="checked" noStyle>
                      <Switch aria-label="固定报送日期" checkedChildren="有" unCheckedChildren="无" />
                    </Form.Item>
                  )}
                  <Form.Item name="fixedMode" noStyle>
                    <Radio.Group
                      options={[
                        { value: 'monthly', label: '每月几日' },
                        { value: 'yearly', label: '每年几月几日' },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate={(a, b) => a.fixedMode !== b.fixedMode}>
                    {({ getFieldValue }) =>
                      getFieldValue('fixedMode') === 'monthly' ? (
                        <Form.Item name="fixedMonthly" rules={[{ required: true, message: '请至少选一天' }]} style={{ marginBottom: 0 }}>
                          <Select aria-label="每月报送日" mode="multiple" options={DAYS} style={{ minWidth: 200 }} />
                        </Form.Item>
                      ) : (
                        <Form.List name="fixedYearly">
                          {(fields, { add, remove }) => (
                            <Space orientation="vertical" size={4}>
                              {fields.map((f) => (
                                <Space key={f.key} size={4} align="baseline" wrap>
                                  <span>每年</span>
                                  <Form.Item name={[f.name, 'months']} rules={[{ required: true, message: '请选月份' }]} style={{ marginBottom: 0 }}>
                                    <Select aria-label="报送月份" mode="multiple" options={MONTHS} style={{ minWidth: 200 }} />
                                  </Form.Item>
                                  <Form.Item name={[f.name, 'day']} rules={[{ required: true, message: '请选日期' }]} style={{ marginBottom: 0 }}>
                                    <Select aria-label="报送日" options={DAYS} style={{ width: 90 }} />
                                  </Form.Item>
                                  <Button size="small" type="link" danger onClick={() => remove(f.name)}>
                                    删除
                                  </Button>
                                </Space>
                              ))}
                              <Button size="small" onClick={() => add({ months: [], day: 10 })}>
                                增加一组
                              </Button>
                            </Space>
                          )}
                        </Form.List>
                      )
                    }
                  </Form.Item>
                </Space>
              </Form.Item>
            )}
          </Form>
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
          <Space wrap>
            <Button onClick={runPreview} loading={previewing} disabled={previewing}>
              预览变更
            </Button>
            {canSave && (
              <Button type="primary" onClick={save} loading={saving} disabled={saving || !preview}>
                保存为新版本
              </Button>
            )}
            {canSave && !preview && <Typography.Text type="secondary">先预览，看清会带来哪些变化，再保存。</Typography.Text>}
          </Space>
        </Card>
      )}
      {preview && (
        <Card size="small" title="预览：保存后今后两周的提醒有何变化">
          {rows.length === 0 ? (
            <Empty description="这项修改不会改变今后两周在办事项的任何提醒，可以放心保存。" />
          ) : (
            <>
              <Typography.Paragraph type="secondary">
                共 {preview.length} 个事项、{rows.length} 条提醒有变化：新增 {rows.filter((r) => r.change === '新增').length} 条，取消{' '}
                {rows.filter((r) => r.change === '取消').length} 条，改期 {rows.filter((r) => r.change === '改期').length} 条。确认无误后点“保存为新版本”。
              </Typography.Paragraph>
              <Table<Row>
                data-testid="preview-table"
                size="small"
                rowKey="key"
                dataSource={rows}
                pagination={rows.length > 20 ? { pageSize: 20 } : false}
                scroll={{ x: 820 }}
                columns={[
                  { title: '事项', dataIndex: 'number', width: 190, render: (n: string, r) => `${n}「${r.title}」` },
                  {
                    title: '变化',
                    dataIndex: 'change',
                    width: 70,
                    render: (c: string) => <Tag color={c === '新增' ? 'green' : c === '取消' ? 'red' : 'blue'}>{c}</Tag>,
                  },
                  { title: '提醒内容', dataIndex: 'what', width: 130 },
                  { title: '发给', dataIndex: 'to', width: 120 },
                  { title: '原定发送', dataIndex: 'before', width: 160 },
                  { title: '修改后发送', dataIndex: 'after', width: 160 },
                ]}
              />
            </>
          )}
        </Card>
      )}
      <Card size="small" title="历次版本" data-testid="versions">
        {history === null ? (
          <Spin />
        ) : (
          <List
            dataSource={versions}
            renderItem={(v) => {
              const prev = history.find((h) => h.version < v.version && history.every((x) => x.version <= h.version || x.version >= v.version));
              const diff = differences(prev?.policy, v.policy);
              return (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <span>第 {v.version} 版</span>
                        {v.version === policy?.version && <Tag color="green">现行</Tag>}
                        <Typography.Text type="secondary">{v.savedAt ? `${when(v.savedAt)} · ${v.savedBy ?? '—'}保存` : '系统默认'}</Typography.Text>
                      </Space>
                    }
                    description={diff.length ? diff.map((d) => <div key={d}>{d}</div>) : prev ? '与上一版相同' : '初始版本'}
                  />
                </List.Item>
              );
            }}
          />
        )}
      </Card>
    </Space>
  );
}
