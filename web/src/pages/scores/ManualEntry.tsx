import { useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { api, ApiError, messageOf, type Ref } from '../../api';
import type { dayjs } from '../../format';
import { fieldErrors, type ScoreTable, signed } from './model';

/** The kinds of points the 督查室 enters by hand, in the words of the 积分办法 (the API's rule keys stay inside). */
type Kind = 'award_lead' | 'award_co' | 'finding' | 'obstruction' | 'late';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'award_lead', label: '获市级及以上表彰（主办单位）' },
  { value: 'award_co', label: '获市级及以上表彰（协办单位）' },
  { value: 'finding', label: '督查发现问题' },
  { value: 'obstruction', label: '阻挠、妨碍督查' },
  { value: 'late', label: '迟报材料' },
];

interface Values {
  kind?: Kind;
  unitId?: number;
  itemNumber?: string;
  causedByUnitId?: number;
  leadPoints?: number | null;
  days?: number | null;
  reason?: string;
  date?: dayjs.Dayjs;
}

const FIELDS = ['kind', 'unitId', 'itemNumber', 'causedByUnitId', 'leadPoints', 'days', 'reason', 'date'] as const;

/** What the entry will record, before it is sent. */
function preview(v: Values, t: ScoreTable | null): string | null {
  if (!t || !v.kind) return null;
  const L = t.lines;
  switch (v.kind) {
    case 'award_lead':
      return `将记 ${signed(L.S4.lead)} 分`;
    case 'award_co':
      return `将记 ${signed(L.S4.co)} 分`;
    case 'finding':
      return v.causedByUnitId
        ? `该协办单位记 ${signed(L.S9.coCaused.co)} 分，主办单位记所填扣分（${signed(L.S9.coCaused.leadMax)} 至 ${signed(L.S9.coCaused.leadMin)}），其他协办单位不扣分`
        : `主办单位记 ${signed(L.S9.lead)} 分，每个协办单位记 ${signed(L.S9.co)} 分`;
    case 'obstruction':
      return `将记 ${signed(L.S10.obstruction)} 分，并同时登记一条问题线索`;
    case 'late':
      return v.days
        ? `将记 ${signed(Math.round(v.days * L.S10.lateMaterialPerDay * 10) / 10)} 分（每天 ${signed(L.S10.lateMaterialPerDay)}）`
        : `每迟报1天记 ${signed(L.S10.lateMaterialPerDay)} 分`;
  }
}

/** 手工加减分: 表彰, 督查发现问题, 阻挠督查, 迟报材料 — a form whose refusals stand next to their fields. */
export default function ManualEntry({
  open,
  units,
  table,
  onClose,
  onSaved,
}: {
  open: boolean;
  units: Ref[];
  table: ScoreTable | null;
  onClose: () => void;
  onSaved: (text: string) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) ?? {};
  const kind = values.kind;
  const unitOptions = units.map((u) => ({ value: u.id, label: u.name }));
  const range = table?.lines.S9.coCaused;

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    // Without a chosen date the service dates the entry by its own clock: the browser's calendar may be another day.
    const body: Record<string, unknown> = { reason: v.reason };
    if (v.date) body.date = v.date.format('YYYY-MM-DD');
    if (v.itemNumber?.trim()) body.itemNumber = v.itemNumber.trim();
    if (v.kind === 'award_lead' || v.kind === 'award_co')
      Object.assign(body, { rule: 'S4', unitId: v.unitId, unitRole: v.kind === 'award_lead' ? 'lead' : 'co' });
    if (v.kind === 'finding') {
      Object.assign(body, { rule: 'S9' });
      if (v.causedByUnitId) Object.assign(body, { causedByUnitId: v.causedByUnitId, leadPoints: v.leadPoints ?? undefined });
    }
    if (v.kind === 'obstruction') Object.assign(body, { rule: 'S10', kind: 'obstruction', unitId: v.unitId });
    if (v.kind === 'late') Object.assign(body, { rule: 'S10', kind: 'late_material', unitId: v.unitId, days: v.days ?? undefined });
    setBusy(true);
    setError(null);
    try {
      const lines = await api<{ unitId: number; points: number }[]>('/api/scores/manual', { method: 'POST', body });
      const name = (id: number) => units.find((u) => u.id === id)?.name ?? '';
      onSaved(`已记分：${lines.map((l) => `${name(l.unitId)} ${signed(l.points)} 分`).join('，')}。`);
      form.resetFields();
    } catch (e) {
      const fields = fieldErrors(e, FIELDS);
      if (fields.length) form.setFields(fields.map((f) => ({ ...f, name: f.name as keyof Values })));
      else setError(e instanceof ApiError ? e.message : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const text = preview(values, table);
  return (
    <Modal
      open={open}
      title="手工加减分"
      okText="记分"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: busy }}
      // Not kept while closed: see the clue page's step form (a hidden button's spinner never finishes fading out).
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">表彰、督查发现的问题、阻挠督查和迟报材料由督查室登记，每一笔都写明理由，计入单位的积分明细。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => setError(null)}>
        <Form.Item name="kind" label="加减分事项" rules={[{ required: true, message: '请选择加减分事项' }]}>
          <Select placeholder="请选择" options={KINDS} />
        </Form.Item>
        {kind && kind !== 'finding' && (
          <Form.Item name="unitId" label="单位" rules={[{ required: true, message: '请选择要记分的单位' }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} placeholder="请选择单位" options={unitOptions} />
          </Form.Item>
        )}
        {kind && (
          <Form.Item
            name="itemNumber"
            label="事项编号"
            rules={kind === 'finding' ? [{ required: true, message: '督查发现的问题须写明事项编号' }] : []}
            extra={kind === 'finding' ? '主办、协办单位按该事项确定' : '选填：与某个督办事项有关时填写'}
          >
            <Input placeholder="例如 DB2026-0001" maxLength={32} />
          </Form.Item>
        )}
        {kind === 'finding' && (
          <Form.Item name="causedByUnitId" label="造成问题的协办单位" extra="问题系某个协办单位原因造成时选择；否则留空">
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="不是协办单位原因" options={unitOptions} />
          </Form.Item>
        )}
        {kind === 'finding' && values.causedByUnitId && (
          <Form.Item
            name="leadPoints"
            label="主办单位扣分"
            rules={[{ required: true, message: '请填写主办单位扣分' }]}
            extra={range ? `在 ${signed(range.leadMax)} 到 ${signed(range.leadMin)} 之间，精确到 0.1 分` : undefined}
          >
            <InputNumber step={0.5} style={{ width: 160 }} placeholder="例如 -2" />
          </Form.Item>
        )}
        {kind === 'late' && (
          <Form.Item name="days" label="迟报天数" rules={[{ required: true, message: '请填写迟报天数' }]}>
            <InputNumber min={1} precision={0} style={{ width: 160 }} addonAfter="天" />
          </Form.Item>
        )}
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请写明理由' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如 获全省城市更新工作先进集体表彰" />
        </Form.Item>
        <Form.Item name="date" label="发生日期" extra="不是今天发生的，请选择发生的日期">
          <DatePicker placeholder="不选即为今天" style={{ width: 160 }} />
        </Form.Item>
      </Form>
      {text && <Alert type="info" title={text} />}
    </Modal>
  );
}
