import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Grid, Input, Row, Select, Space, Typography } from 'antd';
import { api, ApiError, messageOf } from '../api';
import type { ResponseOf } from '../api.gen';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { BOARDS, CATEGORIES, SOURCES } from '../../../src/shared/vocabulary';
import { deadlineBody, DeadlineInput, DeadlinePreview, type DeadlineValue, useDeadlinePolicy, useDeadlinePreview } from './register/deadline';
import { byName, personLabel, useDirectory, withRole } from './register/people';
import DecomposeForm from './register/DecomposeForm';

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

const KINDS = [
  { value: 'task', label: '督办事项' },
  { value: 'open_ended', label: '无固定时限事项' },
  { value: 'rectification', label: '整改通知' },
];

interface Values {
  title: string;
  content: string;
  source: string;
  sourceRef?: string;
  board: string;
  category: string;
  kind: string;
  ownerId?: number;
  leaderId: number;
  leadUnitId: number;
  coUnitIds?: number[];
  deadline?: DeadlineValue;
  deadlineReason?: string;
  servedParty?: string;
  assign: boolean;
}

/** The API's field names → the form's (the three ways of giving a deadline are one field here). */
const FORM_FIELD: Record<string, keyof Values> = {
  deadlineNode: 'deadline',
  deadlineDate: 'deadline',
  workingDays: 'deadline',
};
const FIELDS: (keyof Values)[] = [
  'title',
  'content',
  'source',
  'sourceRef',
  'board',
  'category',
  'kind',
  'ownerId',
  'leaderId',
  'leadUnitId',
  'coUnitIds',
  'deadlineReason',
  'servedParty',
];

/** 立项 (C1–C3), or 分解立项 (C4) with `?parent=DB2026-0001`. */
export default function RegisterPage() {
  const place = useLocation();
  const parent = place.search.get('parent');
  return parent ? <DecomposeForm parent={parent} /> : <RegisterForm />;
}

function RegisterForm() {
  const { me } = useSession();
  const [form] = Form.useForm<Values>();
  const dir = useDirectory();
  const policy = useDeadlinePolicy();
  const phone = Grid.useBreakpoint().md === false;
  const [submitting, setSubmitting] = useState(false);
  const busy = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();

  const board = Form.useWatch('board', form);
  const category = Form.useWatch('category', form);
  const kind = Form.useWatch('kind', form);
  const deadline = Form.useWatch('deadline', form);
  const deadlineReason = Form.useWatch('deadlineReason', form);
  const leadUnitId = Form.useWatch('leadUnitId', form);
  const preview = useDeadlinePreview({ deadline: kind === 'task' ? deadline : undefined, board, category, kind, deadlineReason });
  const byRule = kind === 'open_ended' || kind === 'rectification';

  const owners = withRole(dir.people, 'owner', 'supervisor');
  const leaders = withRole(dir.people, 'leader');
  const mine = me?.personId && owners.some((p) => p.id === me.personId) ? me.personId : undefined;
  const unitOptions = dir.units.map((u) => ({ value: u.id, label: u.name }));
  // 谁立项、谁督办 (P4): the person registering is the owner unless another is chosen.
  useEffect(() => {
    if (mine && form.getFieldValue('ownerId') === undefined) form.setFieldValue('ownerId', mine);
  }, [mine, form]);

  const save = async (v: Values) => {
    if (busy.current) return; // a double click saves once
    busy.current = true;
    setSubmitting(true);
    setError(null);
    try {
      const body = {
        title: v.title,
        content: v.content,
        source: v.source,
        sourceRef: v.sourceRef || undefined,
        board: v.board,
        category: v.category,
        kind: v.kind,
        ownerId: v.ownerId,
        leaderId: v.leaderId,
        leadUnitId: v.leadUnitId,
        coUnitIds: v.coUnitIds ?? [],
        servedParty: v.servedParty || undefined,
        deadlineReason: v.deadlineReason || undefined,
        ...(v.kind === 'task' ? deadlineBody(v.deadline) : {}),
      };
      const item = await api<ResponseOf<'/api/items', 'post'>>('/api/items', { method: 'POST', body });
      let assigned = false;
      if (v.assign) {
        try {
          await api(`/api/items/${encodeURIComponent(item.number)}/assign`, { method: 'POST', body: {} });
          assigned = true;
        } catch (e) {
          void message.warning(`事项 ${item.number} 已立项，但交办未成功：${messageOf(e)}请稍后在事项页面交办。`, 10);
        }
      }
      if (assigned) void message.success(`事项 ${item.number} 已立项并交办，交办通知已推送到承办单位群。`);
      else if (!v.assign) void message.success(`事项 ${item.number} 已立项，尚未交办。`);
      navigate(`/items/${encodeURIComponent(item.number)}`);
    } catch (e) {
      busy.current = false;
      setSubmitting(false);
      if (e instanceof ApiError && e.problems?.length) {
        const known = e.problems.filter((p) => p.field && (FIELDS.includes(p.field as keyof Values) || FORM_FIELD[p.field]));
        form.setFields(known.map((p) => ({ name: FORM_FIELD[p.field!] ?? (p.field as keyof Values), errors: [p.message ?? e.message] })));
        if (known.length < e.problems.length) setError(e.message);
        else setError(null);
      } else {
        setError(e instanceof ApiError ? e.message : messageOf(e)); // what was typed stays in the form
      }
    }
  };

  const col = (span: number) => ({ xs: 24, md: span });
  const deadlineProblem = preview.problem?.field && ['deadlineNode', 'deadlineDate', 'workingDays'].includes(preview.problem.field);
  const reasonProblem = preview.problem?.field === 'deadlineReason';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        立项
      </Typography.Title>
      {dir.failed && <Alert type="warning" showIcon title="单位和人员名单未能读取，请刷新页面后重试。" />}
      <Card size={phone ? 'small' : 'default'}>
        <Form<Values>
          form={form}
          name="register"
          layout="vertical"
          onFinish={save}
          scrollToFirstError
          initialValues={{ board: 'daily', category: 'decision', kind: 'task', deadline: { mode: 'default' }, assign: true, coUnitIds: [], ownerId: mine }}
          onValuesChange={(changed) => {
            // A field the person changed again is no longer wrong for what the service said before.
            const names = Object.keys(changed) as (keyof Values)[];
            form.setFields(names.map((name) => ({ name, errors: [] })));
          }}
          requiredMark
        >
          <Row gutter={16}>
            <Col {...col(24)}>
              <Form.Item
                name="title"
                label="标题"
                rules={[
                  { required: true, whitespace: true, message: '请填写标题' },
                  { max: 200, message: '标题最多200个字' },
                ]}
              >
                <Input placeholder="如：推进政务服务一网通办" maxLength={200} showCount={!phone} />
              </Form.Item>
            </Col>
            <Col {...col(24)}>
              <Form.Item
                name="content"
                label="办理要求"
                rules={[{ required: true, whitespace: true, message: '请填写办理要求' }]}
                extra="写明要办成什么、何时报送、报送什么材料。"
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={16000} />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="source" label="来源" rules={[{ required: true, message: '请选择来源' }]}>
                <Select showSearch={byName} placeholder="选择事项来源" options={options(SOURCES)} />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="sourceRef" label="来源文号" extra="会议纪要、批示件等的文号，没有可不填。">
                <Input maxLength={100} placeholder="如：市政府常务会议纪要〔2026〕12号" />
              </Form.Item>
            </Col>
            <Col {...col(8)}>
              <Form.Item name="board" label="版块" extra="重点工作、重大改革在年底清零时单独列出。">
                <Select options={options(BOARDS)} />
              </Form.Item>
            </Col>
            <Col {...col(8)}>
              <Form.Item name="category" label="督查类别">
                <Select options={options(CATEGORIES)} />
              </Form.Item>
            </Col>
            <Col {...col(8)}>
              <Form.Item name="kind" label="事项类型">
                <Select options={KINDS} />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="ownerId" label="立项主体" extra="默认为您本人；其所在科室即立项主体。" rules={[{ required: !mine, message: '请选择立项主体' }]}>
                <Select
                  allowClear
                  showSearch={byName}
                  placeholder="输入姓名查找"
                  options={owners.map((p) => ({ value: p.id, label: personLabel(p, dir.units) }))}
                  notFoundContent="没有找到，请换个名字"
                />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="leaderId" label="分管领导" rules={[{ required: true, message: '请选择分管领导' }]}>
                <Select
                  showSearch={byName}
                  placeholder="输入姓名查找"
                  options={leaders.map((p) => ({ value: p.id, label: personLabel(p, dir.units) }))}
                  notFoundContent="没有找到，请换个名字"
                />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="leadUnitId" label="主办单位" rules={[{ required: true, message: '请选择主办单位' }]}>
                <Select showSearch={byName} placeholder="输入单位名称查找" options={unitOptions} notFoundContent="没有找到这个单位" />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="coUnitIds" label="协办单位">
                <Select
                  mode="multiple"
                  showSearch={byName}
                  placeholder="可选多个，没有可不填"
                  options={unitOptions.filter((u) => u.value !== leadUnitId)}
                  notFoundContent="没有找到这个单位"
                />
              </Form.Item>
            </Col>
            <Col {...col(24)}>
              {byRule ? (
                <Form.Item label="办理期限">
                  <Typography.Text type="secondary">
                    {kind === 'rectification'
                      ? '整改通知的期限按规则确定：自下达次日起2个工作日，第3个工作日12:00前报送整改报告。'
                      : '无固定时限事项不填期限：视情况适时报告进展，年底前报送书面综合报告。'}
                  </Typography.Text>
                </Form.Item>
              ) : (
                <Form.Item
                  name="deadline"
                  label="办理期限"
                  validateStatus={deadlineProblem ? 'error' : undefined}
                  help={deadlineProblem ? preview.problem!.message : undefined}
                  extra="时间节点自立项次日起按工作日计算，到期时间为工作日下班时间；遇法定节假日顺延。"
                >
                  <DeadlineInput policy={policy} board={board} category={category} />
                </Form.Item>
              )}
              <div style={{ marginTop: -8, marginBottom: 16 }} aria-live="polite">
                <DeadlinePreview state={preview} kind={kind} />
              </div>
            </Col>
            <Col {...col(12)}>
              <Form.Item
                name="deadlineReason"
                label="期限理由"
                validateStatus={reasonProblem ? 'error' : undefined}
                help={reasonProblem ? '请在此说明期限较长的理由' : undefined}
                extra="期限超过一个月的须填写；专项督查超过一个月的由督查室填写，作为例外记录在案。"
              >
                <Input maxLength={500} placeholder="期限在一个月以内的不必填写" />
              </Form.Item>
            </Col>
            <Col {...col(12)}>
              <Form.Item name="servedParty" label="服务对象" extra="涉及企业、群众的，填写服务对象；办结时须其认可。">
                <Input maxLength={100} placeholder="如：某某科技有限公司" />
              </Form.Item>
            </Col>
          </Row>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Form.Item name="assign" valuePropName="checked" style={{ marginBottom: 12 }}>
            <Checkbox>保存后立即交办（向承办单位群推送交办通知）</Checkbox>
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={submitting} disabled={submitting} size={phone ? 'large' : 'middle'} block={phone}>
              保存立项
            </Button>
            <Button onClick={() => navigate('/台账')} disabled={submitting}>
              取消
            </Button>
          </Space>
        </Form>
      </Card>
    </Space>
  );
}
