import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, List, Result, Space, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { api, ApiError, messageOf } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import {
  actionsFor,
  CLUE_TRIGGERS,
  type ClueDetail,
  nextStep,
  PERSON_MEASURES,
  PROCEDURE_ACTION_LABELS,
  type ProcedureAction,
  RESULT_SCOPES,
  size,
  UNIT_MEASURES,
} from './clues/model';
import StepForm from './clues/StepForm';
import { uploadDocument } from './clues/upload';

const DANGER: ProcedureAction[] = ['dismiss', 'audit_reject', 'recheck_return'];

/** 一条问题线索: the facts, the step this viewer may take now (each with its form), the documents, the timeline. */
export default function CluePage({ number }: { number: string }) {
  const { me } = useSession();
  const { message } = App.useApp();
  const [clue, setClue] = useState<ClueDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const [action, setAction] = useState<ProcedureAction | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    api<ClueDetail>(`/api/accountability/clues/${encodeURIComponent(number)}`, { signal: ctl.signal }).then(setClue, (e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', messageOf(e)));
    });
    return () => ctl.abort();
  }, [number, reload]);

  if (error?.status === 404)
    return (
      <Result
        status="404"
        title={`没有找到线索 ${number}`}
        subTitle={error.message}
        extra={
          <Button type="primary" onClick={() => navigate('/责任追究')}>
            回到线索列表
          </Button>
        }
      />
    );
  if (error && !clue) return <Alert type="error" showIcon title={error.message} />;
  if (!clue)
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const mine = actionsFor(clue, me);
  const d = clue.data;
  const canUpload = !!me && (me.isAdmin || me.roles.some((r) => r === 'supervisor' || r === 'leader' || r === 'admin'));
  const measures = (o: NonNullable<ClueDetail['data']['opinion']>[number]) =>
    o.measures.map((m) => ((o.target === 'unit' ? UNIT_MEASURES : PERSON_MEASURES) as Record<string, string>)[m] ?? m).join('、');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          问题线索 {clue.number}
        </Typography.Title>
        <Tag className="clue-state" color={clue.next.leader.length ? 'gold' : clue.next.supervisor.length ? 'blue' : 'default'}>
          {clue.stateLabel}
        </Tag>
      </Space>
      <Alert
        type={!mine.length && !clue.next.supervisor.length && !clue.next.leader.length ? 'success' : 'info'}
        showIcon
        title={`下一步：${nextStep(clue)}`}
        description={
          mine.length ? (
            <Space wrap style={{ marginTop: 8 }}>
              {mine.map((a, i) => (
                <Button key={a} type={i === 0 ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => setAction(a)}>
                  {PROCEDURE_ACTION_LABELS[a]}
                </Button>
              ))}
            </Space>
          ) : clue.next.supervisor.length || clue.next.leader.length ? (
            '这一步不由您办理，办理后会在此更新。'
          ) : undefined
        }
      />
      <Card size="small" title="线索">
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }}>
          <Descriptions.Item label="单位">{clue.unit}</Descriptions.Item>
          <Descriptions.Item label="线索来源">{CLUE_TRIGGERS[clue.trigger] ?? clue.trigger}</Descriptions.Item>
          {clue.item && (
            <Descriptions.Item label="相关事项">
              <Link to={`/items/${clue.item}`}>{clue.item}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label="登记时间">{clue.openedAt}</Descriptions.Item>
          <Descriptions.Item label="事实" span="filled">
            <span style={{ whiteSpace: 'pre-wrap' }}>{clue.summary}</span>
          </Descriptions.Item>
          {d.proposal && (
            <Descriptions.Item label="问责建议" span="filled">
              {d.proposal}
            </Descriptions.Item>
          )}
          {d.verification && (
            <Descriptions.Item label="核查" span="filled">
              {'skipped' in d.verification ? `未经核查（${d.verification.skipped}）` : `${d.verification.title}（${d.verification.ref}）`}
            </Descriptions.Item>
          )}
          {d.opinion && d.opinion.length > 0 && (
            <Descriptions.Item label="问责处理意见" span="filled">
              {d.opinion.map((o, i) => (
                <div key={i}>
                  {o.name}（{o.target === 'unit' ? '单位' : '工作人员'}）：{measures(o)}
                </div>
              ))}
            </Descriptions.Item>
          )}
          {d.auditNote && (
            <Descriptions.Item label="审核意见" span="filled">
              {d.auditNote}
            </Descriptions.Item>
          )}
          {d.implementation && d.implementation.length > 0 && (
            <Descriptions.Item label="实施情况" span="filled">
              {d.implementation.map((t, i) => (
                <div key={i}>{t}</div>
              ))}
            </Descriptions.Item>
          )}
          {d.result && (
            <Descriptions.Item label="问责结果" span="filled">
              {d.result}
            </Descriptions.Item>
          )}
          {d.scope && <Descriptions.Item label="结果运用">{RESULT_SCOPES[d.scope]}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={`程序文书（${clue.files.length}）`}
        extra={
          canUpload && (
            <Upload
              showUploadList={false}
              multiple={false}
              customRequest={({ file, onSuccess, onError }) => {
                setUploading(true);
                setUploadError(null);
                uploadDocument(clue.number, file as File)
                  .then((r) => {
                    onSuccess?.(r);
                    message.success(`已上传：${r.name}。办理步骤时可附上此文书。`);
                    setReload((n) => n + 1);
                  })
                  .catch((e: unknown) => {
                    setUploadError(`${(file as File).name} 未上传：${messageOf(e)}`);
                    onError?.(e as Error);
                  })
                  .finally(() => setUploading(false));
              }}
            >
              <Button loading={uploading} disabled={uploading}>
                上传文书
              </Button>
            </Upload>
          )
        }
      >
        {uploadError && <Alert type="error" showIcon title={uploadError} style={{ marginBottom: 12 }} />}
        {clue.files.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={canUpload ? '尚无文书。核查报告、处理意见等可在此上传（不超过 10 MB）。' : '尚无文书'} />
        ) : (
          <List
            size="small"
            dataSource={clue.files}
            renderItem={(f) => (
              <List.Item>
                <Space wrap>
                  <a href={`/api/accountability/documents/${f.id}`} download={f.name}>
                    {f.name}
                  </a>
                  <Typography.Text type="secondary">
                    {size(f.size)} · {f.uploadedAt}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title="办理记录">
        <Timeline
          items={clue.timeline.map((e) => ({
            content: (
              <>
                <Typography.Text type="secondary">
                  {e.at}
                  {e.actor ? ` · ${e.actor}` : ''} · {e.label}
                </Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap' }}>{e.summary}</div>
              </>
            ),
          }))}
        />
      </Card>
      <StepForm
        clue={clue}
        action={action}
        onClose={() => setAction(null)}
        onDone={(c) => {
          setAction(null);
          setClue(c);
          message.success(`已办理：${action ? PROCEDURE_ACTION_LABELS[action] : ''}。`);
        }}
      />
    </Space>
  );
}
