import { useState } from 'react';
import { Card, Select, Table } from 'antd';
import { type ScoreTable, tableRows } from './model';

/** 分值表: what each event is worth, read-only, with every saved version. */
export default function ScoreTableCard({ versions }: { versions: ScoreTable[] }) {
  const latest = versions[versions.length - 1];
  const [version, setVersion] = useState<number | null>(null);
  const shown = versions.find((v) => v.version === version) ?? latest;
  if (!shown) return null;
  return (
    <Card
      size="small"
      title="分值表"
      extra={
        versions.length > 1 ? (
          <Select
            size="small"
            aria-label="分值表版本"
            value={shown.version}
            onChange={setVersion}
            style={{ width: 130 }}
            options={versions.map((v) => ({ value: v.version, label: `第${v.version}版${v === latest ? '（现行）' : ''}` }))}
          />
        ) : (
          `第${shown.version}版（现行）`
        )
      }
    >
      <Table
        rowKey="what"
        size="small"
        pagination={false}
        dataSource={tableRows(shown)}
        columns={[
          { title: '事项', dataIndex: 'what' },
          { title: '分值', dataIndex: 'points', width: 140, align: 'right' },
        ]}
      />
    </Card>
  );
}
