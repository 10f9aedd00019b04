import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Grid, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { api, ApiError, type ItemDetail, messageOf, type TimelineEvent } from '../api';
import type { ResponseOf } from '../api.gen';
import { when } from '../format';
import { LightTag } from '../lights';
import { Link, navigate, useLocation } from '../router';
import { ActionBar } from './item/ActionBar';
import { ActionDialog } from './item/ActionDialog';
import { DO_LABELS, DO_WORDS, type ItemActions, type OfferedAction } from './item/actions';

const REQUEST_KINDS: Record<string, string> = { extension: '延期申请', closure: '办结申请', verification: '核验' };
const REQUEST_STATUS: Record<string, string> = {
  pending: '待处理',
  approved: '已批准',
  refused: '已驳回',
  returned: '已退回',
  withdrawn: '已撤回',
  failed_agreement: '服务对象不认可',
  passed: '核验通过',
  failed: '核验未通过',
};

/**
 * 事项详情: the facts, 办理要求, reports and requests, the whole 一事一卷 timeline (C6) — and the buttons this person may
 * press now (GET …/actions), each with its form; `?do=反馈|延期|办结|退回` opens that form at once, or says why not.
 */
export default function ItemPage({ number }: { number: string }) {
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [events, setEvents] = useState<TimelineEvent[] | null>(null);
  const [offered, setOffered] = useState<ItemActions | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<OfferedAction | null>(null);
  // 分解立项 has a page of its own (several children, each with its unit and deadline): the 立项 page in decompose mode.
  const pick = (a: OfferedAction) => (a.action === 'decompose' ? navigate(`/立项?parent=${encodeURIComponent(number)}`) : setOpen(a));
  const [done, setDone] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const phone = Grid.useBreakpoint().md === false;
  const place = useLocation();
  const asked = useRef<string | null>(null);
  const shown = useRef<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    // Another item: start blank. After an action (round): keep showing the item while it is read again.
    if (shown.current !== number) {
      shown.current = number;
      setItem(null);
      setEvents(null);
    }
    setOffered(null);
    setError(null);
    const fail = (e: unknown) => {
      if ((e as Error).name === 'AbortError') return;
      setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', messageOf(e)));
    };
    const path = `/api/items/${encodeURIComponent(number)}`;
    api<ItemDetail>(path, { signal: ctl.signal }).then(setItem, fail);
    api<ResponseOf<'/api/items/{number}/timeline', 'get'>>(`${path}/timeline`, { signal: ctl.signal }).then((t) => setEvents(t.events), fail);
    api<ItemActions>(`${path}/actions`, { signal: ctl.signal }).then(setOffered, fail);
    return () => ctl.abort();
  }, [number, round]);

  // ?do=反馈 (a chat button's link): open that form once the actions are known, or say why it cannot be done.
  const word = place.search.get('do');
  useEffect(() => {
    if (!word || !offered || asked.current === `${number}:${word}`) return;
    asked.current = `${number}:${word}`;
    const wanted = DO_WORDS[word];
    const found = wanted && offered.actions.find((a) => wanted.includes(a.action));
    if (found) setOpen(found);
    else if (!wanted) setNotice(`链接中的「${word}」不是本页可办理的操作，请在下方选择要办理的事项。`);
    else {
      const why = offered.unavailable.find((u) => wanted.includes(u.action))?.message;
      setNotice(`您现在不能${DO_LABELS[wanted[0]] ?? word}：${why ?? '本事项当前没有这项操作。'}`);
    }
  }, [word, offered, number]);

  const finished = useCallback(
    (text: string) => {
      setOpen(null);
      setDone(text);
      setNotice(null);
      window.scrollTo(0, 0); // the sentence stands at the top of the page
      if (word) navigate(`/items/${encodeURIComponent(number)}`, { replace: true });
      setRound((r) => r + 1);
    },
    [number, word],
  );

  if (error?.status === 404)
    return (
      <Result
        status="404"
        title={`没有找到事项 ${number}`}
        subTitle={error.message}
        extra={
          <Button type="primary" onClick={() => navigate('/台账')}>
            回到台账
          </Button>
        }
      />
    );
  if (error) return <Alert type="error" showIcon title={error.message} />;
  if (!item)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  return (
    <div data-actions={offered ? offered.actions.length : undefined}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {done && <Alert type="success" showIcon closable title={done} onClose={() => setDone(null)} />}
        {notice && <Alert type="warning" showIcon closable title={notice} onClose={() => setNotice(null)} />}
        <Space wrap align="center">
          <LightTag light={item.light} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {item.title}
          </Typography.Title>
          <Tag>{item.stateLabel}</Tag>
          {item.keySupervision && <Tag color="volcano">重点督办</Tag>}
        </Space>
        {!phone && offered && <ActionBar actions={offered.actions} phone={false} onPick={pick} />}
        <Card size="small" title={`事项 ${item.number}`} extra={<a href={`/api/items/${encodeURIComponent(item.number)}/dossier`}>导出一事一卷</a>}>
          <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
            <Descriptions.Item label="来源">
              {item.sourceLabel}
              {item.sourceRef ? `（${item.sourceRef}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="版块">{item.boardLabel}</Descriptions.Item>
            <Descriptions.Item label="类别">{item.categoryLabel}</Descriptions.Item>
            <Descriptions.Item label="立项主体">{item.ownerOffice?.name ?? item.owner?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="分管领导">{item.leader?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="主办单位">
              {item.leadUnit ? `${item.leadUnit.name}${item.leadUnit.signedAt ? '（已签收）' : '（未签收）'}` : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="协办单位">
              {item.coUnits.length ? item.coUnits.map((u) => `${u.name}${u.signedAt ? '（已签收）' : '（未签收）'}`).join('、') : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="办理期限">{when(item.deadline)}</Descriptions.Item>
            <Descriptions.Item label="立项时间">{when(item.registeredAt)}</Descriptions.Item>
            {item.assignedAt && <Descriptions.Item label="交办时间">{when(item.assignedAt)}</Descriptions.Item>}
            {item.closedAt && <Descriptions.Item label="办结时间">{when(item.closedAt)}</Descriptions.Item>}
            {item.servedParty && <Descriptions.Item label="服务对象">{item.servedParty}</Descriptions.Item>}
            {item.ratingLabel && <Descriptions.Item label="评定">{item.ratingLabel}</Descriptions.Item>}
            {item.deadlineReason && <Descriptions.Item label="期限说明">{item.deadlineReason}</Descriptions.Item>}
            {item.parentNumber && (
              <Descriptions.Item label="上级事项">
                <Link to={`/items/${item.parentNumber}`}>{item.parentNumber}</Link>
              </Descriptions.Item>
            )}
            {item.children.length > 0 && (
              <Descriptions.Item label="分解事项">
                <Space wrap>
                  {item.children.map((c) => (
                    <Link key={c} to={`/items/${c}`}>
                      {c}
                    </Link>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <Card size="small" title="办理要求">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{item.content}</Typography.Paragraph>
        </Card>
        <Card size="small" title={`进展反馈（${item.reports.length}）`}>
          {item.reports.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无反馈" />
          ) : (
            <Timeline
              items={item.reports.map((r) => ({
                color: r.status === 'returned' ? 'red' : 'blue',
                content: (
                  <>
                    <Typography.Text type="secondary">
                      {when(r.submittedAt)}
                      {r.status === 'returned' ? ` · 已退回${r.returnReason ? `：${r.returnReason}` : ''}` : ''}
                    </Typography.Text>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{r.content}</div>
                  </>
                ),
              }))}
            />
          )}
        </Card>
        {item.requests.length > 0 && (
          <Card size="small" title="申请">
            <Timeline
              items={item.requests.map((r) => ({
                color: r.status === 'pending' ? 'gold' : r.status === 'approved' || r.status === 'passed' ? 'green' : 'gray',
                content: (
                  <>
                    <Typography.Text strong>{REQUEST_KINDS[r.kind] ?? r.kind}</Typography.Text> · {REQUEST_STATUS[r.status] ?? r.status} ·{' '}
                    <Typography.Text type="secondary">{when(r.requestedAt)}</Typography.Text>
                    {r.proposedDeadline && <div>申请延至：{when(r.proposedDeadline)}</div>}
                    <div style={{ whiteSpace: 'pre-wrap' }}>{r.text}</div>
                    {r.decisionNote && <div>意见：{r.decisionNote}</div>}
                  </>
                ),
              }))}
            />
          </Card>
        )}
        <Card size="small" title="一事一卷">
          {!events ? (
            <Spin />
          ) : (
            <Timeline
              items={events.map((e) => ({
                content: (
                  <>
                    <Typography.Text type="secondary">
                      {when(e.at)}
                      {e.actorName ? ` · ${e.actorName}` : ''}
                      {e.toStateLabel && e.toStateLabel !== e.fromStateLabel ? ` · ${e.fromStateLabel ? `${e.fromStateLabel} → ` : ''}${e.toStateLabel}` : ''}
                    </Typography.Text>
                    <div>{e.summary}</div>
                  </>
                ),
              }))}
            />
          )}
        </Card>
      </Space>
      {phone && offered && <ActionBar actions={offered.actions} phone onPick={pick} />}
      <ActionDialog number={item.number} item={item} action={open} phone={phone} onClose={() => setOpen(null)} onDone={finished} />
    </div>
  );
}
