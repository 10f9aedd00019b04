import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Empty, Grid, Segmented, Skeleton, Space, Typography } from 'antd';
import { messageOf } from '../api';
import type { WallTask, WallView } from '../api.gen';
import { dayjs, when, ZONE } from '../format';
import { LIGHTS, LightTag } from '../lights';
import { Link, navigate, useLocation } from '../router';
import { apiGet } from '../typed-api';
import { BOARD_CHOICES, CELL_BACKGROUND, CELL_BORDER, cellIndex, isBoard, printStyle } from './wall/wall';

const shortDay = (iso: string | null) => (iso ? dayjs(iso).tz(ZONE).format('M月D日') : '');

/** 挂图作战 (issue 15): the key tasks as a wall chart — units down the side, tasks across, each cell how the unit stands. */
export default function WallPage() {
  const place = useLocation();
  const asked = place.search.get('board');
  const board = isBoard(asked) ? asked : 'key_task';
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [wall, setWall] = useState<WallView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paper, setPaper] = useState<'A3' | 'A4'>('A3');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    setWall(null);
    apiGet('/api/wall', { board }, { signal: ctl.signal })
      .then(setWall)
      .catch((e: unknown) => (e as Error).name !== 'AbortError' && setError(messageOf(e)));
    return () => ctl.abort();
  }, [board, attempt]);

  useEffect(() => {
    if (wall) document.title = `${wall.title} · 督查督办`;
  }, [wall]);

  const cells = useMemo(() => cellIndex(wall?.cells ?? []), [wall]);
  const taskWidth = narrow ? 116 : 150;
  const unitWidth = narrow ? 88 : 132;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end', justifyContent: 'space-between' }}>
        <style>{printStyle(paper)}</style>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {wall?.title ?? '挂图作战'}
          </Typography.Title>
          <Typography.Text type="secondary" data-print-date>
            {wall ? `制表时间：${when(wall.generatedAt)}　共 ${wall.tasks.length} 项任务、${wall.units.length} 个承办单位` : ' '}
          </Typography.Text>
        </div>
        <Space wrap className="wall-noprint">
          <Segmented value={board} options={BOARD_CHOICES} onChange={(v) => navigate(v === 'key_task' ? '/挂图作战' : `/挂图作战?board=${v}`)} />
          {!narrow && (
            <Segmented
              value={paper}
              options={[
                { value: 'A3', label: 'A3 横向' },
                { value: 'A4', label: 'A4 横向' },
              ]}
              onChange={(v) => setPaper(v as 'A3' | 'A4')}
            />
          )}
          <Button type="primary" onClick={() => window.print()} disabled={!wall}>
            打印
          </Button>
        </Space>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        每格是该单位在该任务中的情况：主办或协办、签收、最近一次反馈；颜色是任务的预警灯（
        {(['red', 'yellow', 'green'] as const).map((l) => `${LIGHTS[l].word}灯：${LIGHTS[l].meaning}`).join('；')}）。点任务名称可查看详情。
      </Typography.Text>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={
            <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
              重试
            </Button>
          }
        />
      )}
      {!wall && !error && <Skeleton active />}
      {wall && wall.tasks.length === 0 && (
        <Empty
          description={`您可查看的事项中还没有「${BOARD_CHOICES.find((b) => b.value === board)?.label}」版块的任务。立项时把版块选为重点工作或重大改革，任务就会出现在这里。`}
        />
      )}
      {wall && wall.tasks.length > 0 && (
        <div className="wall-scroll" style={{ overflowX: 'auto', width: '100%' }}>
          <table className="wall-table" style={{ borderCollapse: 'separate', borderSpacing: 0, minWidth: '100%', background: '#fff', fontSize: 13 }}>
            <thead>
              <tr>
                <th style={{ ...corner, width: unitWidth, minWidth: unitWidth }}>承办单位＼任务</th>
                {wall.tasks.map((task) => (
                  <TaskHead key={task.number} task={task} width={taskWidth} />
                ))}
              </tr>
            </thead>
            <tbody>
              {wall.units.map((u) => (
                <tr key={u.id}>
                  <th scope="row" style={{ ...rowHead, width: unitWidth, minWidth: unitWidth }}>
                    {u.name}
                  </th>
                  {wall.tasks.map((task) => {
                    const c = cells.get(`${u.id}|${task.number}`);
                    if (!c) return <td key={task.number} style={emptyCell} />;
                    const open = task.light !== 'done';
                    const status = !c.signedAt && open ? '待签收' : c.role === 'lead' ? task.stateLabel : '已签收';
                    return (
                      <td
                        key={task.number}
                        data-cell={`${u.name}|${task.number}`}
                        style={{ ...cell, background: CELL_BACKGROUND[task.light], boxShadow: `inset 3px 0 0 ${CELL_BORDER[task.light]}` }}
                      >
                        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 4 }}>
                          <strong>{c.role === 'lead' ? '主办' : '协办'}</strong>
                          <LightTag light={task.light} />
                        </div>
                        <div>{status}</div>
                        <div style={{ color: '#595959' }}>{c.lastReportAt ? `${shortDay(c.lastReportAt)}反馈` : c.role === 'lead' ? '尚未反馈' : ''}</div>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Space>
  );
}

function TaskHead({ task, width }: { task: WallTask; width: number }) {
  return (
    <th style={{ ...colHead, minWidth: width, maxWidth: width }}>
      <div style={{ color: '#8c8c8c', fontWeight: 400 }}>{task.number}</div>
      <Link to={`/items/${task.number}`}>{task.title}</Link>
      <div style={{ fontWeight: 400, color: '#595959', marginTop: 2 }}>
        {task.deadline ? `期限 ${shortDay(task.deadline)}` : '无固定期限'}
        {task.keySupervision ? ' · 重点督办' : ''}
      </div>
    </th>
  );
}

const line = '1px solid #f0f0f0';
const corner = {
  position: 'sticky' as const,
  left: 0,
  zIndex: 2,
  background: '#fafafa',
  border: line,
  padding: '6px 8px',
  textAlign: 'left' as const,
  fontWeight: 500,
  color: '#8c8c8c',
  fontSize: 12,
};
const rowHead = { position: 'sticky' as const, left: 0, zIndex: 1, background: '#fafafa', border: line, padding: '6px 8px', textAlign: 'left' as const };
const colHead = { background: '#fafafa', border: line, padding: '6px 8px', textAlign: 'left' as const, verticalAlign: 'top' as const };
const cell = { border: line, padding: '6px 8px', verticalAlign: 'top' as const, lineHeight: 1.6 };
const emptyCell = { border: line };
