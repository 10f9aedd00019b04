import { useEffect, useState } from 'react';
import { Alert, Button, Progress, Select, Space, Typography, message } from 'antd';
import { api, messageOf } from '../../api';
import type { ScenarioInfo, ScenarioProgress } from '../../../../src/demo/scenarios/scenario-progress';

const IDLE: ScenarioProgress = { state: 'idle', step: 0, total: 0, done: [] };

const OVER: Record<string, 'success' | 'info' | 'warning'> = { done: 'success', stopped: 'info', failed: 'warning' };

/**
 * 演示场景 (issue 16 §5): guided scenarios that play themselves in the chats below — choose one, 开始, read each step's
 * caption as it happens; 停止（我来操作） ends it where it is and the visitor carries on by hand. Progress comes live
 * from the service (server-sent events), so two open pages show the same.
 */
export default function Scenarios() {
  const [list, setList] = useState<ScenarioInfo[]>([]);
  const [chosen, setChosen] = useState<string>();
  const [progress, setProgress] = useState<ScenarioProgress>(IDLE);
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);

  useEffect(() => {
    const source = new EventSource('/api/demo/scenarios/events', { withCredentials: true });
    source.addEventListener('progress', (e) => setProgress(JSON.parse((e as MessageEvent<string>).data) as ScenarioProgress));
    api<ScenarioInfo[]>('/api/demo/scenarios')
      .then((l) => {
        setList(l);
        setChosen((c) => c ?? l[0]?.id);
      })
      .catch((e: unknown) => void message.error(messageOf(e)));
    return () => source.close();
  }, []);

  const running = progress.state === 'running';
  const call = async (what: 'start' | 'stop', path: string) => {
    if (busy) return;
    setBusy(what);
    try {
      setProgress(await api<ScenarioProgress>(path, { method: 'POST' }));
    } catch (e) {
      void message.error(messageOf(e));
    } finally {
      setBusy(null);
    }
  };
  const info = list.find((s) => s.id === (running ? progress.scenarioId : chosen));

  return (
    <section aria-label="演示场景" style={{ background: '#fff', borderRadius: 8, padding: '10px 14px', marginBottom: 12, border: '1px solid #e8e8e8' }}>
      <Space wrap align="center" style={{ width: '100%' }}>
        <Typography.Text strong style={{ fontSize: 15 }}>
          演示场景
        </Typography.Text>
        <Select
          aria-label="选择演示场景"
          style={{ minWidth: 300 }}
          value={running ? progress.scenarioId : chosen}
          disabled={running}
          onChange={setChosen}
          options={list.map((s) => ({ value: s.id, label: s.title }))}
        />
        <Button
          type="primary"
          // Disabled while it works, not antd's loading: its icon's exit animation can linger in the button's name.
          disabled={running || !chosen || busy !== null}
          onClick={() => void call('start', `/api/demo/scenarios/${encodeURIComponent(chosen!)}/start`)}
        >
          开始
        </Button>
        <Button danger disabled={!running || busy !== null} onClick={() => void call('stop', '/api/demo/scenarios/stop')}>
          停止（我来操作）
        </Button>
        {info && !running && <Typography.Text type="secondary">{info.summary}</Typography.Text>}
      </Space>

      {running && (
        <div style={{ marginTop: 10 }}>
          <Space align="center" style={{ width: '100%' }}>
            <Typography.Text strong data-scenario-step>
              {progress.title}：第 {progress.step} / {progress.total} 步
            </Typography.Text>
            <Progress percent={Math.round((progress.done.length / Math.max(progress.total, 1)) * 100)} size="small" style={{ width: 200, margin: 0 }} />
          </Space>
          <div data-scenario-caption aria-live="polite" style={{ fontSize: 20, lineHeight: 1.5, fontWeight: 500, margin: '6px 0', color: '#1f1f1f' }}>
            {progress.caption}
          </div>
        </div>
      )}

      {!running && progress.message && (
        <Alert style={{ marginTop: 10 }} type={OVER[progress.state] ?? 'info'} showIcon message={progress.message} data-scenario-over={progress.state} />
      )}

      {progress.done.length > 0 && (
        <ol aria-label="已完成的步骤" style={{ margin: '8px 0 0', paddingLeft: 22, maxHeight: 150, overflowY: 'auto', color: '#595959', fontSize: 13 }}>
          {progress.done.map((d, i) => (
            <li key={i}>
              <span style={{ color: '#52c41a' }}>✓ </span>
              {d.caption}
              {d.result && <Typography.Text type="secondary">（{d.result}）</Typography.Text>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
