import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Grid, Input, Result, Row, Select, Space, Spin, Typography } from 'antd';
import { api, ApiError, type ItemDetail, messageOf } from '../../api';
import { when } from '../../format';
import { Link, navigate } from '../../router';
import { deadlineBody, DeadlineInput, DeadlinePreview, type DeadlinePolicyView, type DeadlineValue, useDeadlinePolicy, useDeadlinePreview } from './deadline';
import { byName, useDirectory } from './people';

interface Child {
  unitId?: number;
  title?: string;
  content?: string;
  deadline?: DeadlineValue;
  deadlineReason?: string;
}

interface Values {
  children: Child[];
}

/** The API's child field → this row's field. */
const CHILD_FIELD: Record<string, keyof Child> = {
  unitId: 'unitId',
  title: 'title',
  content: 'content',
  deadlineNode: 'deadline',
  deadlineDate: 'deadline',
  workingDays: 'deadline',
  deadlineReason: 'deadlineReason',
};

/** C4 分解立项: one child item per unit, each with its own 办理要求 and deadline; the parent waits for its children. */
export default function DecomposeForm({ parent }: { parent: string }) {
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [form] = Form.useForm<Values>();
  const dir = useDirectory();
  const policy = useDeadlinePolicy();
  const phone = Grid.useBreakpoint().md === false;
  const [submitting, setSubmitting] = useState(false);
  const busy = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  const children = Form.useWatch('children', form) ?? [];

  useEffect(() => {
    const ctl = new AbortController();
    api<ItemDetail>(`/api/items/${encodeURIComponent(parent)}`, { signal: ctl.signal })
      .then(setItem)
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setLoadError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', messageOf(e)));
      });
    return () => ctl.abort();
  }, [parent]);

  if (loadError)
    return (
      <Result
        status={loadError.status === 404 ? '404' : 'warning'}
        title={loadError.status === 404 ? `没有找到要分解的事项 ${parent}` : '事项未能读取'}
        subTitle={loadError.message}
        extra={
          <Button type="primary" onClick={() => navigate('/台账')}>
            回到台账
          </Button>
        }
      />
    );
  if (!item)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const save = async (v: Values) => {
    if (busy.current) return; // a double click saves once
    busy.current = true;
    setSubmitting(true);
    setError(null);
    try {
      const body = {
        children: v.children.map((c) => ({
          unitId: c.unitId,
          ...(c.title?.trim() ? { title: c.title.trim() } : {}),
          ...(c.content?.trim() ? { content: c.content.trim() } : {}),
          ...deadlineBody(c.deadline),
          ...(c.deadlineReason?.trim() ? { deadlineReason: c.deadlineReason.trim() } : {}),
        })),
      };
      const r = await api<{ children: { number: string }[]; warnings?: string[] }>(`/api/items/${encodeURIComponent(parent)}/decompose`, {
        method: 'POST',
        body,
      });
      void message.success(`已分解为 ${r.children.length} 项：${r.children.map((c) => c.number).join('、')}。请在各子事项页面交办。`, 8);
      navigate(`/items/${encodeURIComponent(parent)}`);
    } catch (e) {
      busy.current = false;
      setSubmitting(false);
      const problems = e instanceof ApiError ? (e.problems ?? []) : [];
      // 'children.1.unitId' → the second row's 承办单位.
      const placed = problems
        .map((p) => {
          const m = /^children\.(\d+)\.(\w+)$/.exec(p.field ?? '');
          return m && CHILD_FIELD[m[2]]
            ? { name: ['children', Number(m[1]), CHILD_FIELD[m[2]]] as ['children', number, keyof Child], errors: [p.message ?? ''] }
            : null;
        })
        .filter((x) => x !== null);
      form.setFields(placed);
      setError(placed.length === problems.length && placed.length > 0 ? null : messageOf(e));
    }
  };

  const unitOptions = dir.units.map((u) => ({ value: u.id, label: u.name }));
  const taken = (i: number) => new Set(children.filter((_, j) => j !== i).map((c) => c?.unitId));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        分解立项
      </Typography.Title>
      <Card size="small" title={<Link to={`/items/${encodeURIComponent(item.number)}`}>{`${item.number} ${item.title}`}</Link>}>
        <Descriptions size="small" column={phone ? 1 : 3}>
          <Descriptions.Item label="主办单位">{item.leadUnit?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="办理期限">{when(item.deadline)}</Descriptions.Item>
          <Descriptions.Item label="状态">{item.stateLabel}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true, symbol: '展开' }} style={{ marginBottom: 0 }}>
          {item.content}
        </Typography.Paragraph>
      </Card>
      <Alert
        type="info"
        showIcon
        title="每个承办单位一项，各有自己的办理要求和期限。标题不填时为「原事项标题（单位名称）」，办理要求不填时沿用原事项的。分解后原事项待各子事项办结后自动办结。"
      />
      <Form<Values> form={form} name="decompose" layout="vertical" onFinish={save} initialValues={{ children: [{ deadline: { mode: 'default' } }] }}>
        <Form.List
          name="children"
          rules={[
            {
              validator: async (_, rows: Child[] | undefined) => {
                if (!rows || rows.length === 0) throw new Error('请至少增加一项');
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <ChildRow
                  key={field.key}
                  index={i}
                  name={field.name}
                  unitOptions={unitOptions.filter((u) => !taken(i).has(u.value))}
                  policy={policy}
                  board={item.board}
                  category={(item as ItemDetail & { category?: string }).category}
                  child={children[i]}
                  onRemove={fields.length > 1 ? () => remove(field.name) : undefined}
                  phone={phone}
                />
              ))}
              <Form.ErrorList errors={errors} />
              <Button onClick={() => add({ deadline: { mode: 'default' } })} block={phone}>
                增加一项
              </Button>
            </Space>
          )}
        </Form.List>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
        <Space wrap style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={submitting} disabled={submitting} size={phone ? 'large' : 'middle'}>
            分解立项
          </Button>
          <Button onClick={() => navigate(`/items/${encodeURIComponent(parent)}`)} disabled={submitting}>
            返回事项
          </Button>
        </Space>
      </Form>
    </Space>
  );
}

function ChildRow(p: {
  index: number;
  name: number;
  unitOptions: { value: number; label: string }[];
  policy: DeadlinePolicyView | null;
  board: string;
  category?: string;
  child?: Child;
  onRemove?: () => void;
  phone: boolean;
}) {
  const preview = useDeadlinePreview({ deadline: p.child?.deadline, board: p.board, category: p.category, deadlineReason: p.child?.deadlineReason });
  const deadlineProblem = preview.problem?.field && ['deadlineNode', 'deadlineDate', 'workingDays'].includes(preview.problem.field);
  const n = p.index + 1;
  return (
    <Card
      size="small"
      title={`第${n}项`}
      data-row={p.index}
      extra={
        p.onRemove && (
          <Button type="link" danger onClick={p.onRemove} aria-label={`删除第${n}项`}>
            删除
          </Button>
        )
      }
    >
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item name={[p.name, 'unitId']} label="承办单位" rules={[{ required: true, message: '请选择承办单位' }]}>
            <Select showSearch={byName} placeholder="输入单位名称查找" options={p.unitOptions} notFoundContent="没有找到这个单位" />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name={[p.name, 'title']} label="标题" extra="不填则为「原事项标题（单位名称）」">
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name={[p.name, 'content']} label="办理要求" extra="不填则沿用原事项的办理要求。">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={16000} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name={[p.name, 'deadline']}
            label="办理期限"
            validateStatus={deadlineProblem ? 'error' : undefined}
            help={deadlineProblem ? preview.problem!.message : undefined}
          >
            <DeadlineInput policy={p.policy} board={p.board} category={p.category} />
          </Form.Item>
          <div style={{ marginTop: -8, marginBottom: 12 }} aria-live="polite">
            <DeadlinePreview state={preview} />
          </div>
        </Col>
        {(preview.problem?.field === 'deadlineReason' || !!p.child?.deadlineReason) && (
          <Col xs={24}>
            <Form.Item name={[p.name, 'deadlineReason']} label="期限理由" rules={[{ required: true, message: '请说明期限较长的理由' }]}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        )}
      </Row>
    </Card>
  );
}
