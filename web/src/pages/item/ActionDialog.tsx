import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Checkbox, DatePicker, Descriptions, Drawer, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { api, type ItemDetail, messageOf, type Ref } from '../../api';
import { dayjs, day, when, ZONE } from '../../format';
import { commandFor, doneMessage, fieldErrors, type FormValues, type OfferedAction } from './actions';

/** A form's fields and their limits (the API's: text-limits.ts, the DTOs). */
const LIMITS = { report: 16000, closure: 16000, reason: 500, extReason: 2000, plan: 5000, note: 500, verifyNote: 2000, urge: 2000, keyReason: 500 };

const chineseDay = (d: string | undefined) => (d ? dayjs.tz(`${d} 12:00`, ZONE).format('YYYY年M月D日') : '—');

const FIELDS = [
  'content',
  'summary',
  'servedPartyAgreed',
  'newDeadline',
  'reason',
  'plan',
  'note',
  'method',
  'passed',
  'rating',
  'comment',
  'record',
  'contact',
  'newLimit',
  'requestedBy',
  'ownerId',
  'leaderId',
  'leadUnitId',
  'coUnitIds',
];

/**
 * One action's form, in a Modal at the desk and a bottom Drawer on a phone. Submitting calls the endpoint once (a second
 * click while the first is under way does nothing); the API's field errors stand next to their fields; a failure keeps
 * what was typed.
 */
export function ActionDialog(props: {
  number: string;
  item: ItemDetail;
  action: OfferedAction | null;
  phone: boolean;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { number, item, action, phone, onClose, onDone } = props;
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState<null | 'approve' | 'refuse' | 'submit'>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  useEffect(() => {
    setError(null);
    setBusy(null);
    inFlight.current = false;
    // A new form starts empty (the form's store outlives the dialog); while it is open, what was typed stays.
    if (action) form.resetFields();
  }, [action, form]);

  if (!action) return null;

  const run = async (decision?: 'approve' | 'refuse') => {
    if (inFlight.current) return; // a double click submits once
    inFlight.current = true;
    setError(null);
    try {
      const values = await form.validateFields().catch(() => null);
      if (!values) return;
      if (decision === 'refuse' && !String(values.note ?? '').trim()) {
        form.setFields([{ name: 'note', errors: ['不同意延期须写明意见，说明不同意的理由和下一步要求。'] }]);
        return;
      }
      setBusy(decision ?? 'submit');
      const { path, opts } = commandFor(number, action, values, decision);
      const answer = await api<Parameters<typeof doneMessage>[2]>(path, opts);
      onDone(doneMessage(action, values, answer ?? {}, decision));
    } catch (e) {
      const fields = fieldErrors(e, FIELDS);
      // A field's refusal stands next to the field; anything else (the network, a state that moved on) above the buttons.
      if (fields.length) form.setFields(fields);
      else setError(messageOf(e));
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const title = action.action === 'decide_extension' ? '审批延期申请' : action.label;
  const submitLabel: Partial<Record<OfferedAction['action'], string>> = {
    sign: '确认签收',
    report: '提交反馈',
    request_extension: '提交延期申请',
    request_closure: '提交办结申请',
    withdraw: '确认撤回',
    return: '确认退回',
    leader_return: '确认退回',
    rate: '提交评定',
    sign_off: '同意办结',
    urge: '记录催办',
    verify: '记录核验结果',
    key_supervision: action.form?.on ? '列入重点督办' : '取消重点督办',
    reassign: '确认调整',
    submit: '提交立项',
    assign: '确认交办',
    archive: '确认归档',
  };

  const buttons =
    action.action === 'decide_extension' ? (
      <Space wrap>
        <Button type="primary" loading={busy === 'approve'} disabled={busy !== null} onClick={() => void run('approve')}>
          同意延期
        </Button>
        <Button danger loading={busy === 'refuse'} disabled={busy !== null} onClick={() => void run('refuse')}>
          不同意
        </Button>
        <Button onClick={onClose} disabled={busy !== null}>
          取消
        </Button>
      </Space>
    ) : (
      <Space wrap>
        <Button
          type="primary"
          danger={['return', 'leader_return', 'withdraw'].includes(action.action)}
          htmlType="submit"
          loading={busy !== null}
          disabled={busy !== null}
        >
          {submitLabel[action.action] ?? '提交'}
        </Button>
        <Button onClick={onClose} disabled={busy !== null}>
          取消
        </Button>
      </Space>
    );

  const body = (
    <Form
      form={form}
      layout="vertical"
      onFinish={() => void run()}
      onFinishFailed={() => undefined}
      // onFinish validates first; run() validates again cheaply and keeps one path for both kinds of button.
      requiredMark
    >
      <Typography.Paragraph type="secondary">{action.hint}</Typography.Paragraph>
      <Subject action={action} item={item} />
      <Fields action={action} form={form} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {buttons}
    </Form>
  );

  return phone ? (
    <Drawer open placement="bottom" size="88%" title={title} onClose={onClose} destroyOnHidden maskClosable={busy === null}>
      {body}
    </Drawer>
  ) : (
    <Modal open title={title} onCancel={onClose} footer={null} width={600} destroyOnHidden maskClosable={busy === null}>
      {body}
    </Modal>
  );
}

/** The text the decision is about: the closure request being rated or returned, the report being returned. */
function Subject({ action, item }: { action: OfferedAction; item: ItemDetail }) {
  const closure = [...item.requests].reverse().find((r) => r.kind === 'closure' && r.status === 'pending');
  const report = [...item.reports].reverse().find((r) => r.status === 'submitted');
  const rated = [...item.requests].reverse().find((r) => r.kind === 'closure' && r.status === 'approved');
  const aboutWork =
    action.action === 'rate' || (action.action === 'return' && item.state !== 'in_progress')
      ? closure && { title: `办结申请（${when(closure.requestedAt)}）`, text: closure.text }
      : action.action === 'return'
        ? report && { title: `最近一次反馈（${when(report.submittedAt)}）`, text: report.content }
        : null;
  const about =
    action.action === 'sign_off' || action.action === 'leader_return'
      ? rated && { title: `立项主体评定：${item.ratingLabel ?? '—'}${rated.decisionNote ? `（${rated.decisionNote}）` : ''}`, text: `办结情况：${rated.text}` }
      : aboutWork;
  if (!about) return null;
  return (
    <Alert
      type="info"
      style={{ marginBottom: 16 }}
      title={about.title}
      description={<div style={{ whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>{about.text}</div>}
    />
  );
}

type FormInstance = ReturnType<typeof Form.useForm<FormValues>>[0];

function Fields({ action, form }: { action: OfferedAction; form: FormInstance }) {
  const f = action.form ?? {};
  switch (action.action) {
    case 'report':
      return (
        <Form.Item name="content" label="办理进展" rules={[{ required: true, whitespace: true, message: '请写明办理进展，例如：已完成现场核查，正在整改。' }]}>
          <Input.TextArea rows={6} maxLength={LIMITS.report} showCount placeholder="写明已做了什么、下一步怎么做、何时完成" />
        </Form.Item>
      );
    case 'request_extension': {
      const current = f.currentDeadline ? day(f.currentDeadline) : null;
      const unit = f.daysUnit === 'calendar_day' ? '天' : '个工作日';
      return (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`现期限：${when(f.currentDeadline)}`}
            description={`延期须在期限前至少 ${f.minDaysBefore ?? 2} ${unit}提出，本事项最迟于 ${chineseDay(f.lastDay)}（含当日）申请。新期限为所选日期当天 ${f.dayEnd ?? '18:00'}，须晚于现期限。`}
          />
          <Form.Item
            name="newDeadline"
            label="延期至"
            rules={[{ required: true, message: '请选择新的期限。' }]}
            getValueProps={(v: string | undefined) => ({ value: v ? dayjs.tz(`${v} 12:00`, ZONE) : undefined })}
            normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
          >
            <DatePicker
              style={{ width: '100%' }}
              placeholder="选择日期"
              inputReadOnly={false}
              disabledDate={(d) => (current ? d.format('YYYY-MM-DD') <= current : false)}
            />
          </Form.Item>
          <Form.Item name="reason" label="延期理由" rules={[{ required: true, whitespace: true, message: '请写明延期理由。' }]}>
            <Input.TextArea rows={3} maxLength={LIMITS.extReason} showCount />
          </Form.Item>
          <Form.Item name="plan" label="落实方案" rules={[{ required: true, whitespace: true, message: '请附落实方案：分几步、各在何时完成。' }]}>
            <Input.TextArea rows={4} maxLength={LIMITS.plan} showCount />
          </Form.Item>
        </>
      );
    }
    case 'request_closure':
      return (
        <>
          <Form.Item name="summary" label="办理情况" rules={[{ required: true, whitespace: true, message: '请写明办理情况，例如：已全部完成，附验收记录。' }]}>
            <Input.TextArea rows={6} maxLength={LIMITS.closure} showCount placeholder="办理结果、完成时间、佐证材料" />
          </Form.Item>
          {f.servedParty && (
            <Form.Item
              name="servedPartyAgreed"
              label={`服务对象「${f.servedParty}」是否同意办结`}
              rules={[{ required: true, message: '请说明服务对象是否同意办结。' }]}
            >
              <Radio.Group
                options={[
                  { value: 'yes', label: '同意' },
                  { value: 'no', label: '不同意' },
                ]}
              />
            </Form.Item>
          )}
        </>
      );
    case 'withdraw':
      return <Typography.Paragraph>确认撤回本单位待审批的{f.whatLabel ?? '申请'}？撤回后可修改再重新提交。</Typography.Paragraph>;
    case 'return':
    case 'leader_return':
      return (
        <Form.Item
          name="reason"
          label={`退回理由（退回${f.what ?? ''}）`}
          rules={[{ required: true, whitespace: true, message: '请写明退回理由，例如：缺少现场照片。' }]}
        >
          <Input.TextArea rows={4} maxLength={LIMITS.reason} showCount placeholder="写明需要补充或改正的内容" />
        </Form.Item>
      );
    case 'decide_extension': {
      const r = f.request;
      return (
        <>
          {r && (
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label="申请延至">{when(r.proposedDeadline)}</Descriptions.Item>
              <Descriptions.Item label="延期理由">
                <span style={{ whiteSpace: 'pre-wrap' }}>{r.reason}</span>
              </Descriptions.Item>
              {r.plan && (
                <Descriptions.Item label="落实方案">
                  <span style={{ whiteSpace: 'pre-wrap' }}>{r.plan}</span>
                </Descriptions.Item>
              )}
            </Descriptions>
          )}
          <Form.Item name="note" label="审批意见（不同意时必填）">
            <Input.TextArea rows={3} maxLength={LIMITS.note} showCount />
          </Form.Item>
        </>
      );
    }
    case 'verify':
      return (
        <>
          <Form.Item name="method" label="核验方式" rules={[{ required: true, message: '请选择核验方式。' }]}>
            <Radio.Group
              options={[
                { value: 'expert_review', label: '专家论证' },
                { value: 'public_evaluation', label: '公众评价' },
              ]}
            />
          </Form.Item>
          <Form.Item name="passed" label="结果" rules={[{ required: true, message: '请选择核验结果。' }]}>
            <Radio.Group
              options={[
                { value: 'yes', label: '通过' },
                { value: 'no', label: '未通过' },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label="核验说明" initialValue="">
            <Input.TextArea rows={3} maxLength={LIMITS.verifyNote} showCount />
          </Form.Item>
        </>
      );
    case 'rate':
      return (
        <>
          <Form.Item name="rating" label="评定等次" rules={[{ required: true, message: '请选择评定等次。' }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={(f.grades ?? []).map((g) => ({ value: g.value, label: g.label }))} />
          </Form.Item>
          <Form.Item name="comment" label="评定意见（不合格时请写明原因）">
            <Input.TextArea rows={3} maxLength={LIMITS.note} showCount />
          </Form.Item>
        </>
      );
    case 'sign_off':
      return (
        <Form.Item name="note" label="审定意见（可不填）">
          <Input.TextArea rows={3} maxLength={LIMITS.note} showCount />
        </Form.Item>
      );
    case 'urge':
      return <UrgeFields action={action} form={form} />;
    case 'key_supervision':
      return (
        <>
          <Form.Item
            name="reason"
            label={f.on ? '列入理由' : '取消理由'}
            rules={[{ required: true, whitespace: true, message: f.on ? '请写明列入重点督办的理由。' : '请写明取消重点督办的理由。' }]}
          >
            <Input.TextArea rows={3} maxLength={LIMITS.keyReason} showCount placeholder={f.on ? '例如：经催办仍进展缓慢' : ''} />
          </Form.Item>
          {f.on && (
            <Form.Item name="requestedBy" label="按哪位领导要求（可不填）">
              <Input maxLength={100} placeholder="例如：市政府分管副秘书长" />
            </Form.Item>
          )}
        </>
      );
    case 'reassign':
      return <ReassignFields />;
    case 'sign':
      return <Typography.Paragraph>签收即表示本单位已收到交办，将按期办理。</Typography.Paragraph>;
    default:
      return null;
  }
}

function UrgeFields({ action, form }: { action: OfferedAction; form: FormInstance }) {
  const methods = action.form?.methods ?? [];
  const chosen = Form.useWatch('method', form) as string | undefined;
  const m = methods.find((x) => x.value === chosen);
  return (
    <>
      <Form.Item name="method" label="催办方式" rules={[{ required: true, message: '请选择催办方式。' }]}>
        <Select options={methods.map((x) => ({ value: x.value, label: x.label }))} placeholder="选择方式" />
      </Form.Item>
      {m?.needsContact && (
        <Form.Item
          name="contact"
          label={m.value === 'phone' ? '致电对象' : '约谈对象'}
          rules={[{ required: true, whitespace: true, message: '请写明对象（单位、姓名、职务）。' }]}
        >
          <Input maxLength={100} placeholder="单位、姓名、职务" />
        </Form.Item>
      )}
      <Form.Item name="record" label="催办记录" rules={[{ required: true, whitespace: true, message: '请记录催办情况。' }]}>
        <Input.TextArea rows={4} maxLength={LIMITS.urge} showCount placeholder="通话情况、现场情况、函询事项、约谈要求或整改要求" />
      </Form.Item>
      {m?.needsLimit && (
        <Form.Item
          name="newLimit"
          label={`整改期限（当天 ${action.form?.dayEnd ?? '18:00'} 到期，休息日顺延）`}
          rules={[{ required: true, message: '请选择整改期限。' }]}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs.tz(`${v} 12:00`, ZONE) : undefined })}
          normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
        </Form.Item>
      )}
    </>
  );
}

function ReassignFields() {
  const [units, setUnits] = useState<Ref[]>([]);
  const [owners, setOwners] = useState<Ref[]>([]);
  const [leaders, setLeaders] = useState<Ref[]>([]);
  const changeCo = Form.useWatch('changeCo') as boolean | undefined;
  useEffect(() => {
    const ignore = () => undefined;
    api<Ref[]>('/api/units').then(setUnits, ignore);
    api<Ref[]>('/api/people?role=owner').then(setOwners, ignore);
    api<Ref[]>('/api/people?role=leader').then(setLeaders, ignore);
  }, []);
  const opts = (l: Ref[]) => l.map((x) => ({ value: x.id, label: x.name }));
  return (
    <>
      <Typography.Paragraph type="secondary">只填要调整的项，其余不变。</Typography.Paragraph>
      <Form.Item name="ownerId" label="立项主体">
        <Select allowClear showSearch optionFilterProp="label" options={opts(owners)} placeholder="不调整" />
      </Form.Item>
      <Form.Item name="leaderId" label="分管领导">
        <Select allowClear showSearch optionFilterProp="label" options={opts(leaders)} placeholder="不调整" />
      </Form.Item>
      <Form.Item name="leadUnitId" label="主办单位">
        <Select allowClear showSearch optionFilterProp="label" options={opts(units)} placeholder="不调整" />
      </Form.Item>
      <Form.Item name="changeCo" valuePropName="checked">
        <Checkbox>调整协办单位</Checkbox>
      </Form.Item>
      {changeCo && (
        <Form.Item name="coUnitIds" label="协办单位（整体替换）">
          <Select mode="multiple" allowClear showSearch optionFilterProp="label" options={opts(units)} placeholder="不选即不再有协办单位" />
        </Form.Item>
      )}
      <Form.Item name="reason" label="调整理由" rules={[{ required: true, whitespace: true, message: '请写明调整理由，记入一事一卷。' }]}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </>
  );
}
