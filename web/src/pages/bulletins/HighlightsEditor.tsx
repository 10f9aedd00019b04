import { Button, Card, Form, Input, Space, Typography } from 'antd';
import type { HighlightLinesDto } from '../../api.gen';
import { recountSections } from '../../../../src/bulletins/bulletin-counts.rules';
import { highlightsOf } from '../../../../src/bulletins/bulletin.rules';
import type { BulletinSection } from './types';

const LISTS = [
  { key: 'praise', label: '表扬', count: 'praiseCount' },
  { key: 'criticism', label: '批评', count: 'criticismCount' },
] as const;

/**
 * Issue 15: the lines of praise and criticism that the groups' summary and the leader's card quote. Read from the
 * tables until the 督查室 changes one; then its lines, in its order — added, removed, moved up or down, reworded.
 */
export function HighlightsEditor({
  value,
  onChange,
  errors,
  disabled,
}: {
  value: { sections: BulletinSection[]; highlights: HighlightLinesDto | null };
  onChange(next: HighlightLinesDto | null): void;
  errors: Record<string, string>;
  disabled: boolean;
}) {
  const read = highlightsOf(recountSections(value.sections));
  const lines: HighlightLinesDto = value.highlights ?? { praise: read.praise, criticism: read.criticism };
  const set = (key: keyof HighlightLinesDto, next: string[]) => onChange({ ...lines, [key]: next });
  return (
    <Card
      size="small"
      title="推送摘要（工作群消息和领导审定卡片引用）"
      style={{ marginBottom: 12 }}
      extra={
        value.highlights && (
          <Button size="small" disabled={disabled} onClick={() => onChange(null)}>
            恢复按表格生成
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {value.highlights
          ? '摘要行已按您的修改推送，顺序即推送顺序；表格中删去的事项，其摘要行随之删去。'
          : '摘要行现按表扬、批评表格自动生成（各取前三项）。可添加、删除、调整顺序或改写，改动后按您的修改推送。'}
      </Typography.Paragraph>
      {errors.highlights && <Typography.Text type="danger">{errors.highlights}</Typography.Text>}
      {LISTS.map(({ key, label, count }) => {
        const list = lines[key];
        const move = (i: number, by: number) => {
          const next = [...list];
          [next[i], next[i + by]] = [next[i + by], next[i]];
          set(key, next);
        };
        return (
          <Form.Item key={key} label={`${label}（表中共 ${read[count]} 项，摘要引用 ${list.length} 行）`} style={{ marginBottom: 12 }}>
            <div data-highlights={key}>
              {list.length === 0 && <Typography.Text type="secondary">不引用{label}事项。</Typography.Text>}
              {list.map((line, i) => {
                const err = errors[`highlights.${key}.${i}`];
                return (
                  <Form.Item key={i} style={{ marginBottom: 6 }} validateStatus={err ? 'error' : undefined} help={err}>
                    {/* On a phone the line takes the whole width and its buttons wrap under it. */}
                    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                      <Input
                        style={{ flex: '1 1 260px' }}
                        aria-label={`${label}摘要第${i + 1}行`}
                        value={line}
                        maxLength={300}
                        onChange={(e) =>
                          set(
                            key,
                            list.map((x, j) => (j === i ? e.target.value : x)),
                          )
                        }
                      />
                      <Space.Compact>
                        <Button disabled={disabled || i === 0} aria-label={`${label}摘要第${i + 1}行上移`} onClick={() => move(i, -1)}>
                          上移
                        </Button>
                        <Button disabled={disabled || i === list.length - 1} aria-label={`${label}摘要第${i + 1}行下移`} onClick={() => move(i, 1)}>
                          下移
                        </Button>
                        <Button
                          danger
                          disabled={disabled}
                          aria-label={`删除${label}摘要第${i + 1}行`}
                          onClick={() =>
                            set(
                              key,
                              list.filter((_, j) => j !== i),
                            )
                          }
                        >
                          删除
                        </Button>
                      </Space.Compact>
                    </div>
                  </Form.Item>
                );
              })}
              <Button size="small" disabled={disabled || list.length >= 20} onClick={() => set(key, [...list, ''])}>
                添加{label}摘要行
              </Button>
            </div>
          </Form.Item>
        );
      })}
    </Card>
  );
}
