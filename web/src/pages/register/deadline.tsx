import { useEffect, useState } from 'react';
import { Alert, DatePicker, InputNumber, Radio, Space, Spin, Typography } from 'antd';
import { api, ApiError, messageOf } from '../../api';
import { dayjs } from '../../format';

/** How the 立项 form gives a deadline (C3): the board's default, a time node, a date, or N working days. */
export interface DeadlineValue {
  mode: 'default' | 'node' | 'date' | 'workingDays';
  node?: string;
  /** YYYY-MM-DD */
  date?: string;
  workingDays?: number;
}

export interface NodeLength {
  n: number;
  unit: 'working_day' | 'calendar_day' | 'month';
}

export interface DeadlinePolicyView {
  nodes: Record<string, NodeLength>;
  defaultNodeByBoard: Record<string, string>;
  specialWorkingDays: number;
}

/** 「1d」 → 「1天」, 「1m」 → 「1个月」: the node as the office says it. */
export function nodeLabel(key: string): string {
  const m = /^(\d+)([a-z])$/.exec(key);
  if (!m) return key;
  return m[2] === 'm' ? `${m[1]}个月` : `${m[1]}天`;
}

/** What a node means under the policy in force: 「1个工作日」. */
export function nodeMeaning(len: NodeLength | undefined): string {
  if (!len) return '';
  return len.unit === 'working_day'
    ? `${len.n}个工作日`
    : len.unit === 'calendar_day'
      ? `${len.n}个自然日（到期日遇休息日顺延）`
      : `${len.n}个月（到期日遇休息日顺延）`;
}

/** The deadline fields of POST /api/items and of a 分解立项 child. */
export function deadlineBody(v: DeadlineValue | undefined): { deadlineNode?: string; deadlineDate?: string; workingDays?: number } {
  if (!v || v.mode === 'default') return {};
  if (v.mode === 'node') return v.node ? { deadlineNode: v.node } : {};
  if (v.mode === 'date') return v.date ? { deadlineDate: v.date } : {};
  return v.workingDays ? { workingDays: v.workingDays } : {};
}

/** The deadline settings (time nodes, defaults), read once per page. */
export function useDeadlinePolicy(): DeadlinePolicyView | null {
  const [policy, setPolicy] = useState<DeadlinePolicyView | null>(null);
  useEffect(() => {
    api<{ key: string; value: unknown }[]>('/api/settings')
      .then((all) => setPolicy((all.find((s) => s.key === 'deadline')?.value as DeadlinePolicyView) ?? null))
      .catch(() => setPolicy(null));
  }, []);
  return policy;
}

const FALLBACK_NODES = ['1d', '3d', '7d', '1m'];

/** Radio buttons for the default, each time node, a date and N working days; the date or the number beside them. */
export function DeadlineInput({
  value,
  onChange,
  policy,
  board,
  category,
  id,
}: {
  value?: DeadlineValue;
  onChange?: (v: DeadlineValue) => void;
  policy: DeadlinePolicyView | null;
  board?: string;
  category?: string;
  id?: string;
}) {
  const v = value ?? { mode: 'default' };
  const nodes = policy ? Object.keys(policy.nodes) : FALLBACK_NODES;
  const selected = v.mode === 'node' ? `node:${v.node}` : v.mode;
  const defaultWords =
    category === 'special' ? `${policy?.specialWorkingDays ?? 10}个工作日` : policy && board ? nodeLabel(policy.defaultNodeByBoard[board] ?? '') : '';
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} id={id}>
      <Radio.Group
        optionType="button"
        value={selected}
        onChange={(e) => {
          const s = String(e.target.value);
          if (s.startsWith('node:')) onChange?.({ mode: 'node', node: s.slice(5) });
          else onChange?.({ ...v, mode: s as DeadlineValue['mode'] });
        }}
        style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
      >
        <Radio.Button value="default" title="按版块的默认时间节点">
          {defaultWords ? `默认（${defaultWords}）` : '默认'}
        </Radio.Button>
        {nodes.map((k) => (
          <Radio.Button key={k} value={`node:${k}`} title={nodeMeaning(policy?.nodes[k])}>
            {nodeLabel(k)}
          </Radio.Button>
        ))}
        <Radio.Button value="date">指定日期</Radio.Button>
        <Radio.Button value="workingDays">工作日数</Radio.Button>
      </Radio.Group>
      {v.mode === 'date' && (
        <DatePicker
          aria-label="截止日期"
          value={v.date ? dayjs(v.date) : null}
          onChange={(d) => onChange?.({ ...v, date: d ? d.format('YYYY-MM-DD') : undefined })}
          placeholder="选择截止日期"
          style={{ width: 200 }}
        />
      )}
      {v.mode === 'workingDays' && (
        <Space.Compact>
          <InputNumber
            aria-label="工作日数"
            min={1}
            max={250}
            precision={0}
            value={v.workingDays ?? null}
            onChange={(n) => onChange?.({ ...v, workingDays: n ?? undefined })}
            placeholder="如 10"
            style={{ width: 120 }}
          />
          <Space.Addon>个工作日</Space.Addon>
        </Space.Compact>
      )}
    </Space>
  );
}

export interface PreviewAnswer {
  deadline: string;
  text: string;
  warnings: string[];
}

export interface PreviewState {
  answer: PreviewAnswer | null;
  /** A refusal of the rules (e.g. the 专项督查 ceiling), with the field it is about. */
  problem: { field?: string; message: string } | null;
  loading: boolean;
}

/**
 * C3 before saving: asks the service what the deadline would be now (POST /api/items/deadline-preview, the very rules
 * registration applies), a moment after the person stops changing the fields.
 */
export function useDeadlinePreview(input: {
  deadline?: DeadlineValue;
  board?: string;
  category?: string;
  kind?: string;
  deadlineReason?: string;
}): PreviewState {
  const body = {
    ...deadlineBody(input.deadline),
    board: input.board,
    category: input.category,
    kind: input.kind,
    deadlineReason: input.deadlineReason || undefined,
  };
  const incomplete = (input.deadline?.mode === 'date' && !input.deadline.date) || (input.deadline?.mode === 'workingDays' && !input.deadline.workingDays);
  const key = incomplete ? '' : JSON.stringify(body);
  const [state, setState] = useState<PreviewState>({ answer: null, problem: null, loading: false });
  useEffect(() => {
    if (!key) {
      setState({ answer: null, problem: null, loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api<PreviewAnswer>('/api/items/deadline-preview', { method: 'POST', body: JSON.parse(key), signal: ctl.signal })
        .then((answer) => setState({ answer, problem: null, loading: false }))
        .catch((e: unknown) => {
          if ((e as Error).name === 'AbortError') return;
          const field = e instanceof ApiError ? e.problems?.[0]?.field : undefined;
          setState({ answer: null, problem: { field, message: messageOf(e) }, loading: false });
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [key]);
  return state;
}

/** The computed due date, or why there is none yet. */
export function DeadlinePreview({ state, kind }: { state: PreviewState; kind?: string }) {
  if (state.loading && !state.answer) return <Spin size="small" />;
  if (state.problem) return <Alert type="warning" showIcon title={state.problem.message} />;
  if (!state.answer) return <Typography.Text type="secondary">请选定期限，系统将按法定节假日算出到期时间。</Typography.Text>;
  return (
    <Alert
      type="info"
      showIcon
      title={
        <span>
          <strong>{state.answer.text}</strong>
          {kind === 'open_ended' && '（无固定时限：视情况适时报告进展，年底前报送书面综合报告）'}
        </span>
      }
      description={state.answer.warnings.length ? state.answer.warnings.join(' ') : undefined}
    />
  );
}
