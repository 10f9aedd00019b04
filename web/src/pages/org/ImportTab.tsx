import { useState } from 'react';
import { Alert, Button, Card, Grid, Space, Steps, Table, Typography, Upload, type UploadFile } from 'antd';
import { NETWORK_MESSAGE } from '../../api';

/** A row problem as POST /api/import answers it (src/org/org-import.parser.ts ImportProblem). */
export interface ImportProblem {
  sheet: string;
  row: number;
  field?: string;
  message: string;
}
interface Summary {
  units: { created: number; updated: number };
  people: { created: number; updated: number };
  groups: { created: number; updated: number };
  dryRun?: true;
}
type Outcome =
  | { kind: 'done'; summary: Summary }
  | { kind: 'checked'; summary: Summary }
  | { kind: 'refused'; message: string; problems: ImportProblem[]; dryRun: boolean }
  | { kind: 'failed'; message: string };

/** The problem without its "人员 第3行：" prefix: the table shows sheet and row in columns of their own. */
export const problemText = (p: ImportProblem) => p.message.replace(/^\S+ 第[\d?]+[行条]：/, '');

/** What to do about a problem, in a sentence the 督查室 can act on. */
export function fixFor(p: ImportProblem): string {
  const m = p.message;
  if (m.includes('缺少工作表')) return '请用导入模板填写，保留「单位」「人员」两张工作表（「群」可省略）。';
  if (m.includes('缺少列') || m.includes('列「')) return '请从导入模板复制表头，不要改动列名。';
  if (m.includes('无法读取')) return '请用 Excel 把文件另存为 .xlsx 格式，或下载导入模板重新填写。';
  if (m.includes('不能为空')) return `填写「${p.field ?? '此项'}」。`;
  if (m.includes('重复')) return '删去重复的那一行，或改成不同的值。';
  if (m.includes('不是有效的手机号')) return '改为 1 开头的 11 位手机号，或留空。';
  if (m.includes('在单位表中不存在')) return '改为「单位」表或单位列表中已有的编码，或先在「单位」表中加上这个单位。';
  if (m.includes('必须填写「单位编码」')) return '填写所在单位的编码（见「单位」表的「编码」列）。';
  if (m.includes('无法识别')) return '改为括号中列出的写法之一。';
  if (m.includes('已绑定') || m.includes('分别属于')) return '核对账号是否填错：一个钉钉或企业微信账号只能属于一个人。';
  if (m.includes('分管领导')) return '填写已持领导角色人员的姓名或手机号，或留空。';
  if (m.includes('已以编码')) return '改用已有的编码，或换一个单位名称。';
  if (m.includes('将被') || m.includes('担任')) return '请管理员导入此文件，或从文件中删去这一行。';
  if (m.includes('错误值')) return '在 Excel 中改正该单元格的公式或内容。';
  if (m.includes('不是有效的 http')) return '填写以 http:// 或 https:// 开头的完整地址，或留空。';
  return '按「问题」一栏的说明修改后重新上传。';
}

const counts = (s: Summary) =>
  (
    [
      ['单位', s.units],
      ['人员', s.people],
      ['群', s.groups],
    ] as const
  )
    .map(([what, c]) => `${what}新增 ${c.created}、更新 ${c.updated}`)
    .join('；');

/** 导入: the template, an .xlsx checked first and then imported as a whole — or, with any wrong row, not at all. */
export default function ImportTab() {
  const phone = Grid.useBreakpoint().md === false;
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    setOutcome(null);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      let res: Response;
      try {
        res = await fetch(`/api/import${dryRun ? '?dryRun=true' : ''}`, {
          method: 'POST',
          body: form,
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        });
      } catch {
        setOutcome({ kind: 'failed', message: NETWORK_MESSAGE.replace('已填写的内容仍在', '已选的文件仍在') });
        return;
      }
      const body = (await res.json().catch(() => null)) as (Summary & { message?: string; problems?: ImportProblem[] }) | null;
      if (res.ok && body) setOutcome({ kind: dryRun ? 'checked' : 'done', summary: body });
      else if (body?.problems?.length) setOutcome({ kind: 'refused', message: body.message ?? '导入未执行。', problems: body.problems, dryRun });
      else if (res.status === 401) setOutcome({ kind: 'failed', message: '登录已失效：请刷新页面重新登录后再上传。' });
      else setOutcome({ kind: 'failed', message: body?.message ?? `上传未成功（HTTP ${res.status}），请稍后重试。` });
    } finally {
      setBusy(null);
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Steps
          orientation={phone ? 'vertical' : 'horizontal'}
          size="small"
          current={outcome?.kind === 'done' ? 3 : outcome?.kind === 'checked' ? 2 : file ? 1 : 0}
          status={outcome?.kind === 'refused' || outcome?.kind === 'failed' ? 'error' : 'process'}
          items={[
            { title: '下载模板并填写', content: '单位、人员、群各一张表' },
            { title: '先检查', content: '找出有问题的行，不写入' },
            { title: '导入', content: '全部无误才写入' },
          ]}
        />
      </Card>
      <Card size="small" title="通讯录导入">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            按模板填写「单位」「人员」「群」三张表：人员按钉钉或企业微信账号（其次按手机号）匹配，已有的更新、没有的新增，同一文件导入两次不会重复。
            文件中只要有一行有问题，整份文件都不会导入。
          </Typography.Paragraph>
          <Button href="/api/import/template.xlsx" download>
            下载导入模板
          </Button>
          <Upload
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            fileList={fileList}
            beforeUpload={(f) => {
              setFile(f);
              setOutcome(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setOutcome(null);
            }}
          >
            <Button>选择 Excel 文件（.xlsx）</Button>
          </Upload>
          <Space wrap>
            <Button disabled={!file || busy !== null} loading={busy === 'check'} onClick={() => void send(true)}>
              检查，不导入
            </Button>
            <Button type="primary" disabled={!file || busy !== null} loading={busy === 'import'} onClick={() => void send(false)}>
              导入
            </Button>
          </Space>
        </Space>
      </Card>
      {outcome?.kind === 'checked' && (
        <Alert type="info" showIcon title="检查通过，尚未导入" description={`导入后将：${counts(outcome.summary)}。确认无误后请点「导入」。`} />
      )}
      {outcome?.kind === 'done' && (
        <Alert type="success" showIcon title="导入完成" description={`${counts(outcome.summary)}。可在「单位」「人员」「群」页查看。`} />
      )}
      {outcome?.kind === 'failed' && <Alert type="error" showIcon title={outcome.message} />}
      {outcome?.kind === 'refused' && (
        <>
          <Alert
            type="error"
            showIcon
            title={
              outcome.dryRun
                ? `检查发现 ${outcome.problems.length} 处问题，这个文件现在不能导入`
                : `导入未执行：发现 ${outcome.problems.length} 处问题，文件中的数据一条也没有写入`
            }
            description={`请按下表逐行修改 Excel 文件，保存后重新选择文件，先点「检查，不导入」确认无误再导入。${outcome.message.startsWith('导入未执行：发现') ? '' : `（${outcome.message}）`}`}
          />
          <Table<ImportProblem & { key: number }>
            size="small"
            bordered
            aria-label="导入问题"
            dataSource={outcome.problems.map((p, key) => ({ ...p, key }))}
            pagination={outcome.problems.length > 50 ? { pageSize: 50 } : false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: '工作表', dataIndex: 'sheet', width: 80, render: (s: string) => s || '整个文件' },
              { title: '行', dataIndex: 'row', width: 80, render: (r: number) => <span style={{ whiteSpace: 'nowrap' }}>{r ? `第 ${r} 行` : '—'}</span> },
              { title: '列', dataIndex: 'field', width: 110, render: (f?: string) => f ?? '—' },
              { title: '问题', key: 'problem', render: (_: unknown, p) => problemText(p), onCell: () => ({ style: { minWidth: phone ? 200 : 260 } }) },
              { title: '怎样改', key: 'fix', render: (_: unknown, p) => fixFor(p), onCell: () => ({ style: { minWidth: phone ? 180 : 220 } }) },
            ]}
          />
        </>
      )}
    </Space>
  );
}
