import { Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import type { HighlightLinesDto } from '../../api.gen';
import { countsTableRows, recountSections } from '../../../../src/bulletins/bulletin-counts.rules';
import { stillQuoted } from '../../../../src/bulletins/bulletin.rules';
import { HighlightsEditor } from './HighlightsEditor';
import { type BulletinBlock, type BulletinDraft, type BulletinSection, type BulletinTable, captionName, errorUnder, renumber } from './types';

/**
 * What the 督查室 edits: the title lines, the sections (paragraphs, and the rows of each table) and the lines the
 * summary quotes — null while they are read from the tables, the lines once the 督查室 changed one of them.
 */
export type DraftText = Pick<BulletinDraft, 'title' | 'subtitle' | 'intro' | 'recipients' | 'sections'> & { highlights: HighlightLinesDto | null };

const status = (msg: string | undefined) => (msg ? { validateStatus: 'error' as const, help: msg } : {});

/**
 * The draft as a form, section by section: a paragraph is a text box (the first one of 总体情况 is the overview the
 * group message quotes), a table is its caption and its rows — each cell editable, each row removable, rows added.
 */
export function DraftForm({
  value,
  onChange,
  errors,
  disabled,
}: {
  value: DraftText;
  onChange(next: DraftText): void;
  errors: Record<string, string>;
  disabled: boolean;
}) {
  const setSection = (si: number, s: BulletinSection) => onChange({ ...value, sections: value.sections.map((x, i) => (i === si ? s : x)) });
  const setBlock = (si: number, bi: number, b: BulletinBlock) => {
    const s = value.sections[si];
    setSection(si, { ...s, blocks: s.blocks.map((x, i) => (i === bi ? b : x)) });
  };
  /** A table's rows changed: the sentences counting them say so at once (an emptied table stays, for a row to come back). */
  const setTable = (si: number, bi: number, t: BulletinTable) => {
    const sections = value.sections.map((s, i) =>
      i === si ? { ...s, blocks: s.blocks.map((x, j) => (j === bi ? { type: 'table' as const, table: t } : x)) } : s,
    );
    const recounted = recountSections(sections, { dropEmpty: false });
    // Lines of the summary chosen by hand that quote a row just removed go with it (as the service does on saving).
    onChange({ ...value, sections: recounted, highlights: value.highlights && stillQuoted(recounted, value.highlights) });
  };

  return (
    <Form layout="vertical" disabled={disabled}>
      <Card size="small" title="标题与导语" style={{ marginBottom: 12 }}>
        <Form.Item label="标题" htmlFor="bulletin-title" required {...status(errors.title)}>
          <Input id="bulletin-title" value={value.title} maxLength={100} onChange={(e) => onChange({ ...value, title: e.target.value })} />
        </Form.Item>
        <Form.Item label="副标题" htmlFor="bulletin-subtitle" {...status(errors.subtitle)}>
          <Input
            id="bulletin-subtitle"
            value={value.subtitle ?? ''}
            maxLength={100}
            placeholder="不需要时留空"
            onChange={(e) => onChange({ ...value, subtitle: e.target.value.trim() ? e.target.value : null })}
          />
        </Form.Item>
        <Form.Item label="主送机关" htmlFor="bulletin-recipients" {...status(errors.recipients)}>
          <Input
            id="bulletin-recipients"
            value={value.recipients ?? ''}
            maxLength={300}
            placeholder="不需要时留空"
            onChange={(e) => onChange({ ...value, recipients: e.target.value.trim() ? e.target.value : null })}
          />
        </Form.Item>
        <Form.Item label="导语" htmlFor="bulletin-intro" {...status(errors.intro)}>
          <Input.TextArea
            id="bulletin-intro"
            value={value.intro}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={2000}
            onChange={(e) => onChange({ ...value, intro: e.target.value })}
          />
        </Form.Item>
      </Card>
      {errors.sections && <Typography.Text type="danger">{errors.sections}</Typography.Text>}
      {value.sections.map((s, si) => {
        const overview = s.heading.includes('总体情况') ? s.blocks.findIndex((b) => b.type === 'paragraph') : -1;
        return (
          <Card key={si} size="small" title={s.heading || `第${si + 1}章`} style={{ marginBottom: 12 }}>
            <Form.Item label="章节标题" htmlFor={`s${si}-heading`} required {...status(errors[`sections.${si}.heading`])}>
              <Input id={`s${si}-heading`} value={s.heading} maxLength={100} onChange={(e) => setSection(si, { ...s, heading: e.target.value })} />
            </Form.Item>
            {s.blocks.map((b, bi) => {
              const err = errorUnder(errors, `sections.${si}.blocks.${bi}`);
              if (b.type === 'paragraph') {
                const id = `s${si}-b${bi}`;
                return (
                  <Form.Item
                    key={bi}
                    label={bi === overview ? '总体情况' : '段落'}
                    htmlFor={id}
                    extra={
                      bi === overview
                        ? '推送到工作群的摘要和领导的审定卡片引用这一段。'
                        : countsTableRows(b.text)
                          ? '本段中的单位和件数随下表增删行自动更新，保存时再核对一次。'
                          : undefined
                    }
                    {...status(err)}
                  >
                    <Input.TextArea
                      id={id}
                      value={b.text}
                      autoSize={{ minRows: 2, maxRows: 10 }}
                      maxLength={10000}
                      onChange={(e) => setBlock(si, bi, { type: 'paragraph', text: e.target.value })}
                    />
                  </Form.Item>
                );
              }
              return (
                <TableEditor
                  key={bi}
                  id={`s${si}-b${bi}`}
                  table={b.table}
                  error={err}
                  disabled={disabled}
                  onChange={(t) => (t.rows === b.table.rows ? setBlock(si, bi, { type: 'table', table: t }) : setTable(si, bi, t))}
                />
              );
            })}
          </Card>
        );
      })}
      <HighlightsEditor value={value} errors={errors} disabled={disabled} onChange={(highlights) => onChange({ ...value, highlights })} />
    </Form>
  );
}

/** One table: its caption, and its rows as editable cells (the 具体情况 and 备注 columns are the remarks). */
function TableEditor({
  id,
  table,
  error,
  disabled,
  onChange,
}: {
  id: string;
  table: BulletinTable;
  error: string | undefined;
  disabled: boolean;
  onChange(t: BulletinTable): void;
}) {
  const setCell = (r: number, c: number, v: string) =>
    onChange({ ...table, rows: table.rows.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row)) });
  const remove = (r: number) => onChange(renumber({ ...table, rows: table.rows.filter((_, i) => i !== r) }));
  const add = () => onChange(renumber({ ...table, rows: [...table.rows, table.headers.map(() => '')] }));
  const wide = (h: string) => /名称|具体情况|备注|单位/.test(h);
  return (
    <div data-table={captionName(table.caption)} style={{ marginBottom: 16 }}>
      <Form.Item label="表题" htmlFor={`${id}-caption`} style={{ marginBottom: 8 }} {...status(error)}>
        <Input id={`${id}-caption`} value={table.caption} maxLength={100} onChange={(e) => onChange({ ...table, caption: e.target.value })} />
      </Form.Item>
      <Table<{ key: number; cells: string[] }>
        size="small"
        bordered
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={table.rows.map((cells, key) => ({ key, cells }))}
        locale={{ emptyText: '本表已无内容：保存后不再印发本表，上面的段落改为「本期无此类事项」。需要时可先添加一行。' }}
        columns={[
          ...table.headers.map((h, c) => ({
            title: h,
            key: String(c),
            render: (_: unknown, row: { key: number; cells: string[] }) =>
              h === '序号' ? (
                row.cells[c]
              ) : (
                <Input.TextArea
                  aria-label={`${captionName(table.caption)}第${row.key + 1}行${h}`}
                  value={row.cells[c]}
                  autoSize={{ minRows: 1, maxRows: 4 }}
                  maxLength={1000}
                  style={{ minWidth: wide(h) ? 160 : 72 }}
                  onChange={(e) => setCell(row.key, c, e.target.value)}
                />
              ),
          })),
          {
            title: '操作',
            key: 'ops',
            fixed: 'right' as const,
            render: (_: unknown, row: { key: number }) => (
              <Button size="small" danger type="link" disabled={disabled} onClick={() => remove(row.key)}>
                删除此行
              </Button>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 6 }}>
        <Button size="small" onClick={add} disabled={disabled}>
          添加一行
        </Button>
        <Typography.Text type="secondary">共 {table.rows.length} 行</Typography.Text>
      </Space>
    </div>
  );
}
