import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Grid, Input, Popconfirm, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { api, ApiError, messageOf } from '../api';
import { type LeaveGuard, navigate, useLeaveGuard } from '../router';
import { recountSections } from '../../../src/bulletins/bulletin-counts.rules';
import { useSession } from '../session';
import { DraftForm, type DraftText } from './bulletins/DraftForm';
import { BulletinPreview } from './bulletins/Preview';
import { type BulletinDetail, type ChatGroupRow, fieldErrors, PLATFORM_LABELS, type Reproduction, STATE_COLORS } from './bulletins/types';

/** While it waits for the leader, the page asks again this often (and whenever the window comes back into view). */
const POLL_MS = 15_000;

const textOf = (b: BulletinDetail): DraftText => ({
  title: b.draft.title,
  subtitle: b.draft.subtitle,
  intro: b.draft.intro,
  recipients: b.draft.recipients,
  sections: b.draft.sections,
  highlights: b.draft.highlights.edited ? { praise: b.draft.highlights.praise, criticism: b.draft.highlights.criticism } : null,
});

/**
 * One 通报: the text as it will read (with the chart), the draft as a form for the 督查室, 提交审定, the leader's
 * 审定通过 / 退回修改 (phone first), 印发推送 to the groups ticked, the .docx, the reproduction check and the record.
 */
export default function BulletinPage({ number }: { number: string }) {
  const { message, modal } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const { me } = useSession();
  const office = !!me && (me.isAdmin || me.roles.includes('admin') || me.roles.includes('supervisor'));
  const leader = !!me && me.roles.includes('leader');
  const [b, setB] = useState<BulletinDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [text, setText] = useState<DraftText | null>(null);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [chartKey, setChartKey] = useState(0);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const dirtyRef = useRef(false);
  dirtyRef.current = dirty;

  // Issue 15: unsaved edits are not lost by leaving the page (a menu, a link, 「back」, closing or reloading the tab).
  const askToLeave = useCallback<LeaveGuard>(
    (leave) => {
      if (!dirtyRef.current) return leave();
      modal.confirm({
        title: '有尚未保存的修改，确定离开吗？',
        content: '离开后，本页尚未保存的修改将会丢失。如需保留，请留在本页，点击「保存草稿」。',
        okText: '放弃修改并离开',
        okButtonProps: { danger: true },
        cancelText: '留在本页',
        onOk: leave,
      });
    },
    [modal],
  );
  useLeaveGuard(dirty ? askToLeave : null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const got = await api<BulletinDetail>(`/api/bulletins/${encodeURIComponent(number)}`, { signal });
        setB(got);
        setError(null);
        // A refresh never throws away what is being typed.
        if (!dirtyRef.current) setText(textOf(got));
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', messageOf(e)));
      }
    },
    [number],
  );
  useEffect(() => {
    const ctl = new AbortController();
    setB(null);
    setText(null);
    setDirty(false);
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  // Waiting for the leader: followed by polling, and on coming back to the window.
  const pending = b?.state === 'pending_approval';
  useEffect(() => {
    if (!pending) return;
    const timer = window.setInterval(() => void load(), POLL_MS);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [pending, load]);

  const act = async (name: string, f: () => Promise<BulletinDetail | void>, done?: string) => {
    if (busy) return;
    setBusy(name);
    setActionError(null);
    try {
      const got = await f();
      if (got) {
        setB(got);
        setText(textOf(got));
        setDirty(false);
        setChartKey((k) => k + 1);
      }
      if (done) void message.success(done);
      return true;
    } catch (e) {
      const f = fieldErrors(e);
      setErrors(f);
      setActionError(messageOf(e));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const path = `/api/bulletins/${encodeURIComponent(number)}`;
  const save = async () => {
    if (await act('save', () => api<BulletinDetail>(`${path}/draft`, { method: 'PUT', body: text }), '已保存')) setSavedAt(new Date());
  };
  const submit = () =>
    act(
      'submit',
      async () => {
        if (dirty) setB(await api<BulletinDetail>(`${path}/draft`, { method: 'PUT', body: text }));
        return api<BulletinDetail>(`${path}/submit`, { method: 'POST' });
      },
      '已提请领导审定，领导将在钉钉或企业微信收到审定卡片',
    );

  if (error?.status === 404)
    return (
      <Result
        status="404"
        title={`没有找到通报 ${number}`}
        subTitle={error.message}
        extra={
          <Button type="primary" onClick={() => navigate('/通报')}>
            回到通报列表
          </Button>
        }
      />
    );
  if (error && !b) return <Alert type="error" showIcon title={error.message} action={<Button onClick={() => void load()}>重试</Button>} />;
  if (!b || !text)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const editable = office && b.state === 'draft';
  // The text as it will be saved: the sentences counting rows rewritten, an emptied table left out (as the service does).
  const preview = editable
    ? { ...b.draft, title: text.title, subtitle: text.subtitle, intro: text.intro, recipients: text.recipients, sections: recountSections(text.sections) }
    : b.draft;
  const chartSrc = `${path}/chart.png?v=${chartKey}-${b.timeline.length}`;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {b.draft.title}
        </Typography.Title>
        <Tag color={STATE_COLORS[b.state]}>{b.stateLabel}</Tag>
      </Space>
      <Descriptions
        size="small"
        column={phone ? 1 : 3}
        items={[
          { key: 'n', label: '编号', children: b.number },
          { key: 'k', label: '类别', children: b.kindLabel },
          { key: 'p', label: '期间', children: `${b.period}（${b.issue}）` },
          { key: 'a', label: '审定', children: b.approvedBy ? `${b.approvedBy}，${b.approvedAt}` : '尚未审定' },
          { key: 'u', label: '印发', children: b.publishedAt ? `${b.publishedAt}，推送至 ${b.groupIds?.length ?? 0} 个工作群` : '尚未印发' },
        ]}
      />
      <NextStep b={b} office={office} leader={leader} dirty={dirty} />
      {error && <Alert type="warning" showIcon title={`刷新未成功：${error.message}`} />}
      {actionError && <Alert type="error" showIcon title={actionError} closable onClose={() => setActionError(null)} />}

      {office && b.state === 'approved' && <Publish b={b} path={path} onDone={(got) => (setB(got), setText(textOf(got)))} />}
      {leader && b.state === 'pending_approval' && <Decision path={path} onDone={(got) => (setB(got), setText(textOf(got)))} />}

      <Card size="small" title={editable ? '预览（随修改即时更新；图表按已保存的稿件绘制）' : '全文'}>
        <BulletinPreview draft={preview} chartSrc={chartSrc} />
      </Card>

      {editable && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            逐章修改
          </Typography.Title>
          <DraftForm
            value={text}
            disabled={busy !== null}
            errors={errors}
            onChange={(next) => {
              setText(next);
              setDirty(true);
              setSavedAt(null);
              setErrors({});
            }}
          />
          <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 2 }}>
            <Space wrap>
              <Button type="primary" loading={busy === 'save'} disabled={busy !== null || !dirty} onClick={() => void save()}>
                保存草稿
              </Button>
              <Popconfirm
                title="提交领导审定"
                description={dirty ? '将先保存您的修改，再提请领导审定。提交后不能再修改，除非领导退回。' : '提交后不能再修改，除非领导退回。'}
                okText="确定提交"
                cancelText="再看看"
                onConfirm={() => void submit()}
              >
                <Button loading={busy === 'submit'} disabled={busy !== null}>
                  提交审定
                </Button>
              </Popconfirm>
              {savedAt && !dirty && (
                <Typography.Text type="success">
                  草稿已保存（{savedAt.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })}），可以提交审定。
                </Typography.Text>
              )}
              {dirty && (
                <Button disabled={busy !== null} onClick={() => (setText(textOf(b)), setDirty(false), setErrors({}))}>
                  放弃修改
                </Button>
              )}
              {!b.submitted && (
                <Popconfirm
                  title="删除这份草稿？"
                  description="草稿删除后不能恢复，需要时可重新生成。"
                  okText="确定删除"
                  okButtonProps={{ danger: true }}
                  cancelText="不删除"
                  onConfirm={() =>
                    void act('delete', async () => {
                      await api(`${path}`, { method: 'DELETE' });
                      dirtyRef.current = false; // deleted: nothing left to save
                      void message.success(`通报 ${b.number} 的草稿已删除`);
                      navigate('/通报');
                    })
                  }
                >
                  <Button danger loading={busy === 'delete'} disabled={busy !== null}>
                    删除草稿
                  </Button>
                </Popconfirm>
              )}
            </Space>
          </Card>
        </>
      )}

      <Card size="small" title="导出与核对">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Button
              onClick={() => {
                const a = document.createElement('a');
                a.href = `${path}/docx`;
                a.download = '';
                document.body.appendChild(a);
                a.click();
                a.remove();
              }}
            >
              下载 Word
            </Button>
            {(b.state === 'approved' || b.state === 'published') && (
              <Typography.Link href={b.links.fullText} target="_blank" rel="noreferrer">
                打开公开全文页
              </Typography.Link>
            )}
          </Space>
          <ReproduceCheck path={path} />
        </Space>
      </Card>

      <Card size="small" title="办理记录">
        <Timeline
          items={b.timeline.map((e) => ({
            key: `${e.at}-${e.action}-${e.summary}`,
            content: (
              <span>
                <Typography.Text type="secondary">{e.at}</Typography.Text> {e.actor}：{e.summary}
              </span>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

/** What this person does next, in a sentence. */
function NextStep({ b, office, leader, dirty }: { b: BulletinDetail; office: boolean; leader: boolean; dirty: boolean }) {
  if (b.state === 'draft' && b.returned)
    return (
      <Alert
        type="warning"
        showIcon
        title={`${b.returned.by}于 ${b.returned.at} 退回修改，理由：${b.returned.reason}`}
        description={office ? '请按领导意见修改下方各章，保存后再次「提交审定」。' : '督查室正在按意见修改，修改后会再次提请您审定。'}
      />
    );
  const words: Record<string, [string, string]> = {
    draft: [
      dirty
        ? '有尚未保存的修改：请点击「保存草稿」，确认无误后「提交审定」。'
        : '这是系统按数据生成的草稿：请逐章核对、修改，保存后「提交审定」，分管领导将收到审定卡片。',
      '这份通报还是草稿，督查室修改后会提请您审定。',
    ],
    pending_approval: [
      '已提请领导审定，正在等待。本页会自动刷新；领导审定通过后即可印发，退回时这里会显示理由。',
      '请审阅下方全文，然后点击「审定通过」，或写明理由「退回修改」。',
    ],
    approved: ['领导已审定同意：请在下方勾选要推送的钉钉和企业微信工作群，点击「印发推送」。', '已审定同意，督查室将印发并推送至各工作群。'],
    published: ['已印发并推送至所选工作群，全文已存档；可下载 Word 版备查。', '已印发并推送至各工作群。'],
  };
  const [forOffice, forOthers] = words[b.state];
  return <Alert type={b.state === 'published' ? 'success' : 'info'} showIcon title={office ? forOffice : leader ? forOthers : forOthers} />;
}

/** The leader's 审定: 审定通过 (with an optional opinion) or 退回修改 with a reason. Phone first: full-width buttons. */
function Decision({ path, onDone }: { path: string; onDone(b: BulletinDetail): void }) {
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const [mode, setMode] = useState<'idle' | 'reject'>('idle');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const decide = async (approve: boolean) => {
    if (busy) return;
    if (!approve && !reason.trim()) {
      setErrors({ reason: '请写明退回理由。' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const got = await api<BulletinDetail>(`${path}/${approve ? 'approve' : 'reject'}`, {
        method: 'POST',
        body: approve ? (note.trim() ? { note: note.trim() } : {}) : { note: reason.trim() },
      });
      void message.success(approve ? '已审定同意，督查室会收到通知并印发。' : '已退回，督查室会收到您的理由。');
      onDone(got);
    } catch (e) {
      const f = fieldErrors(e);
      setErrors(f);
      if (!Object.keys(f).length) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const block = phone ? { block: true } : {};
  return (
    <Card size="small" title="领导审定" style={{ borderColor: '#b71c1c' }}>
      <Form layout="vertical">
        {mode === 'idle' ? (
          <>
            <Form.Item label="审定意见（可不填）" htmlFor="decide-note">
              <Input.TextArea id="decide-note" value={note} maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} onChange={(e) => setNote(e.target.value)} />
            </Form.Item>
            <Space orientation={phone ? 'vertical' : 'horizontal'} style={{ width: phone ? '100%' : undefined }}>
              <Popconfirm
                title="审定同意这份通报？"
                description="通过后督查室即可印发推送。"
                okText="确定通过"
                cancelText="再看看"
                onConfirm={() => void decide(true)}
              >
                <Button type="primary" size="large" loading={busy} disabled={busy} {...block}>
                  审定通过
                </Button>
              </Popconfirm>
              <Button size="large" danger disabled={busy} onClick={() => setMode('reject')} {...block}>
                退回修改
              </Button>
            </Space>
          </>
        ) : (
          <>
            <Form.Item label="退回理由" htmlFor="decide-reason" required validateStatus={errors.reason ? 'error' : undefined} help={errors.reason}>
              <Input.TextArea
                id="decide-reason"
                value={reason}
                maxLength={500}
                autoSize={{ minRows: 2, maxRows: 5 }}
                placeholder="请写明需要修改的地方，督查室会收到"
                onChange={(e) => {
                  setReason(e.target.value);
                  setErrors({});
                }}
              />
            </Form.Item>
            <Space orientation={phone ? 'vertical' : 'horizontal'} style={{ width: phone ? '100%' : undefined }}>
              <Button type="primary" danger size="large" loading={busy} disabled={busy} onClick={() => void decide(false)} {...block}>
                确定退回
              </Button>
              <Button size="large" disabled={busy} onClick={() => setMode('idle')} {...block}>
                不退回
              </Button>
            </Space>
          </>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Form>
    </Card>
  );
}

/** 印发推送: the groups of both platforms as checkboxes; only the ticked ones receive the 通报. */
function Publish({ b, path, onDone }: { b: BulletinDetail; path: string; onDone(b: BulletinDetail): void }) {
  const { message } = App.useApp();
  const [groups, setGroups] = useState<ChatGroupRow[] | null>(null);
  const [chosen, setChosen] = useState<number[]>(b.groupIds ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  useEffect(() => {
    api<ChatGroupRow[]>('/api/groups').then(setGroups, (e: unknown) => setError(messageOf(e)));
  }, []);
  const publish = async () => {
    if (busy) return;
    if (chosen.length === 0) {
      setFieldError('请至少勾选一个工作群。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const got = await api<BulletinDetail>(`${path}/publish`, { method: 'POST', body: { groupIds: chosen } });
      void message.success(`已印发，正在推送至 ${chosen.length} 个工作群`);
      onDone(got);
    } catch (e) {
      const f = fieldErrors(e);
      setFieldError(f.groupIds);
      if (!f.groupIds) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const byPlatform = (p: string) => (groups ?? []).filter((g) => g.platform === p);
  return (
    <Card size="small" title="印发推送" style={{ borderColor: '#b71c1c' }}>
      <Form layout="vertical">
        <Form.Item label="推送至工作群" validateStatus={fieldError ? 'error' : undefined} help={fieldError} extra="群里将收到通报摘要、图表和全文链接。">
          {groups === null && !error ? (
            <Spin size="small" />
          ) : groups && groups.length === 0 ? (
            <Typography.Text type="secondary">还没有登记工作群，请先在「组织」中添加钉钉或企业微信工作群。</Typography.Text>
          ) : (
            <Checkbox.Group
              value={chosen}
              onChange={(v) => {
                setChosen(v as number[]);
                setFieldError(undefined);
              }}
              style={{ display: 'block' }}
            >
              {['dingtalk', 'wecom'].map((p) =>
                byPlatform(p).length ? (
                  <div key={p} style={{ marginBottom: 8 }}>
                    <Typography.Text strong>{PLATFORM_LABELS[p]}</Typography.Text>
                    <div>
                      {byPlatform(p).map((g) => (
                        <Checkbox key={g.id} value={g.id} style={{ marginInlineEnd: 16 }}>
                          {g.name}
                        </Checkbox>
                      ))}
                    </div>
                  </div>
                ) : null,
              )}
            </Checkbox.Group>
          )}
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Popconfirm
          title="印发这份通报？"
          description={`将推送至所选 ${chosen.length} 个工作群，印发后不能撤回。`}
          okText="确定印发"
          cancelText="再看看"
          onConfirm={() => void publish()}
          disabled={chosen.length === 0}
        >
          <Button type="primary" loading={busy} disabled={busy} onClick={() => chosen.length === 0 && setFieldError('请至少勾选一个工作群。')}>
            印发推送
          </Button>
        </Popconfirm>
      </Form>
    </Card>
  );
}

/** B2: the figures read again from the database and composed again, compared line by line with what was generated. */
function ReproduceCheck({ path }: { path: string }) {
  const [r, setR] = useState<Reproduction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = useCallback(() => {
    setBusy(true);
    setError(null);
    api<Reproduction>(`${path}/reproduce`)
      .then(setR, (e: unknown) => setError(messageOf(e)))
      .finally(() => setBusy(false));
  }, [path]);
  useEffect(check, [check]);
  if (error) return <Alert type="error" showIcon title={`未能核对数据：${error}`} action={<Button onClick={check}>重新核对</Button>} />;
  if (!r) return <Spin size="small" />;
  const again = (
    <Button size="small" loading={busy} onClick={check} style={{ marginTop: 4 }}>
      重新核对
    </Button>
  );
  if (r.equal)
    return (
      <Alert
        type="success"
        showIcon
        title="数据可以重现：按数据库重新统计，与生成时的原稿逐行一致。"
        description={
          <Space orientation="vertical" size={4}>
            <span>核对的是系统生成的原稿（不含督查室的修改），说明通报中的数字来自数据库、经得起复核。</span>
            {again}
          </Space>
        }
      />
    );
  return (
    <Alert
      type="warning"
      showIcon
      title={`数据已有变化：按数据库重新统计，与生成时的原稿有 ${r.differences.length} 处不同。`}
      description={
        <div>
          <div>可能是生成后事项又有办理或更正。如需按最新数据通报，可删除草稿后重新生成；已提交的通报以审定稿为准。</div>
          <ul style={{ paddingInlineStart: 18, margin: '6px 0 0' }}>
            {r.differences.map((d) => (
              <li key={d.line}>
                第{d.line}行：原为「{d.archived ?? '（无）'}」，现为「{d.now ?? '（无）'}」
              </li>
            ))}
          </ul>
          {again}
        </div>
      }
    />
  );
}
