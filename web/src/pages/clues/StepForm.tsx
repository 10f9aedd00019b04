import { useEffect, useState } from 'react';
import { Alert, AutoComplete, Button, Card, Checkbox, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { api, messageOf } from '../../api';
import { type ClueDetail, PERSON_MEASURES, PROCEDURE_ACTION_LABELS, type ProcedureAction, RESULT_SCOPES, UNIT_MEASURES } from './model';

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

/** What each step asks for, and what it means — the inputs the procedure needs, in words. */
const HINTS: Partial<Record<ProcedureAction, string>> = {
  hand_over: '把问题线索移交有关部门办理，同时提出问责建议。',
  start_verification: '登记已开始核查；核查结束后提交核查报告。',
  skip_verification: '事实清楚、无需核查的，写明理由后直接提出问责处理意见。',
  verify: '提交核查报告（可先在“程序文书”中上传，再在此选择）。',
  propose_opinion: '逐一列出问责对象及拟采取的措施；提交后送分管领导审核。',
  audit_approve: '同意问责处理意见，交督查室复核后实施。',
  audit_reject: '不同意的，写明理由，退回督查室重新提出。',
  recheck_approve: '复核无误，开始实施问责。',
  recheck_return: '复核发现问题的，写明理由，退回重新提出处理意见。',
  implement: '记录一项实施情况（如已收到检查、已印发通报、已约谈），可多次记录。',
  report_result: '问责全部实施完毕后，报送问责结果。',
  apply_result: '选择结果运用的范围。',
  dismiss: '经核查不属实或不需追究的，写明理由；核查中的线索须同时附核查报告。',
};

interface Values {
  proposal?: string;
  note?: string;
  reason?: string;
  result?: string;
  scope?: string;
  reportTitle?: string;
  reportRef?: string;
  targets?: { target: 'unit' | 'person'; name: string; measures: string[] }[];
  documents?: string[];
}

/** One A2 step of a clue, with its form; the API decides and says why when it refuses. */
export default function StepForm({
  clue,
  action,
  onClose,
  onDone,
}: {
  clue: ClueDetail;
  action: ProcedureAction | null;
  onClose: () => void;
  onDone: (c: ClueDetail) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const targets = Form.useWatch('targets', form);
  useEffect(() => {
    setError(null);
    if (action) form.resetFields();
    if (action === 'propose_opinion') form.setFieldsValue({ targets: [{ target: 'unit', name: clue.unit, measures: [] }] });
  }, [action]);

  const files = clue.files.map((f) => ({ value: f.ref, label: f.name }));
  const required = (message: string) => [{ required: true, whitespace: true, message }];

  const submit = async () => {
    if (!action) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const report = v.reportTitle?.trim() && v.reportRef?.trim() ? { title: v.reportTitle.trim(), ref: v.reportRef.trim() } : undefined;
    const body: Record<string, unknown> = {
      proposal: v.proposal,
      note: v.note,
      reason: v.reason,
      result: v.result,
      scope: v.scope,
      report,
      targets: v.targets,
      documents: v.documents?.length ? v.documents.map((ref) => ({ ref, title: clue.files.find((f) => f.ref === ref)?.name ?? ref })) : undefined,
    };
    setBusy(true);
    setError(null);
    try {
      onDone(await api<ClueDetail>(`/api/accountability/clues/${encodeURIComponent(clue.number)}/${action}`, { method: 'POST', body }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const reportFields = (need: boolean) => (
    <>
      <Form.Item name="reportTitle" label="核查报告标题" rules={need ? required('请填写核查报告标题') : []}>
        <Input placeholder="例如 关于市教育局有关问题的核查报告" maxLength={200} />
      </Form.Item>
      <Form.Item
        name="reportRef"
        label="核查报告文书"
        rules={need ? required('请选择已上传的核查报告，或填写文号') : []}
        extra="选择已上传的文书，或直接填写文号"
      >
        <AutoComplete options={files} placeholder="选择文书或填写文号" filterOption={false} />
      </Form.Item>
    </>
  );

  return (
    <Modal
      open={action !== null}
      title={action ? PROCEDURE_ACTION_LABELS[action] : ''}
      okText="确定"
      cancelText="取消"
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: busy, danger: action === 'dismiss' || action === 'audit_reject' || action === 'recheck_return' }}
      width={action === 'propose_opinion' ? 640 : undefined}
      // Not kept in the page while closed: a kept footer held the 确定 button's spinner from the last step half-faded
      // (a hidden element never ends its animation), and screen readers then read 「loading 确定」 on the next step.
      destroyOnHidden
    >
      {action && HINTS[action] && <Typography.Paragraph type="secondary">{HINTS[action]}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onValuesChange={() => setError(null)}>
        {action === 'hand_over' && (
          <Form.Item name="proposal" label="问责建议" rules={required('请写明问责建议')}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        )}
        {(action === 'start_verification' || action === 'audit_approve' || action === 'recheck_approve') && (
          <Form.Item name="note" label="意见（选填）">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
        {(action === 'skip_verification' || action === 'audit_reject' || action === 'recheck_return' || action === 'dismiss') && (
          <Form.Item name="reason" label="理由" rules={required('请写明理由')}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        )}
        {action === 'verify' && reportFields(true)}
        {action === 'dismiss' && reportFields(clue.state === 'verifying')}
        {action === 'implement' && (
          <Form.Item name="note" label="实施情况" rules={required('请写明实施情况')}>
            <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如 已于3月20日约谈市教育局主要负责人" />
          </Form.Item>
        )}
        {action === 'report_result' && (
          <Form.Item name="result" label="问责结果" rules={required('请写明问责结果')}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        )}
        {action === 'apply_result' && (
          <Form.Item name="scope" label="结果运用" rules={[{ required: true, message: '请选择结果运用的范围' }]}>
            <Radio.Group options={options(RESULT_SCOPES)} />
          </Form.Item>
        )}
        {action === 'propose_opinion' && (
          <Form.List name="targets">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((f, i) => {
                  const kind = targets?.[i]?.target ?? 'unit';
                  return (
                    <Card
                      key={f.key}
                      size="small"
                      title={`问责对象 ${i + 1}`}
                      extra={
                        fields.length > 1 ? (
                          <Button type="link" size="small" onClick={() => remove(f.name)}>
                            删除
                          </Button>
                        ) : null
                      }
                    >
                      <Form.Item name={[f.name, 'target']} label="对象类别" rules={[{ required: true, message: '请选择对象类别' }]}>
                        <Radio.Group
                          options={[
                            { value: 'unit', label: '单位' },
                            { value: 'person', label: '工作人员' },
                          ]}
                          onChange={() => form.setFieldValue(['targets', f.name, 'measures'], [])}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} label={kind === 'unit' ? '单位名称' : '姓名及职务'} rules={required('请填写问责对象')}>
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'measures']}
                        label="问责措施"
                        rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一项措施' }]}
                      >
                        <Checkbox.Group options={options(kind === 'unit' ? UNIT_MEASURES : PERSON_MEASURES)} />
                      </Form.Item>
                    </Card>
                  );
                })}
                <Button onClick={() => add({ target: 'person', name: '', measures: [] })}>增加问责对象</Button>
              </Space>
            )}
          </Form.List>
        )}
        {action && action !== 'verify' && files.length > 0 && (
          <Form.Item name="documents" label="附程序文书（选填）" style={{ marginTop: 16 }}>
            <Select mode="multiple" options={files} placeholder="选择已上传的文书" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
