import { List, Typography } from 'antd';
import { when } from '../../format';
import { type OrgChange, useList } from './org';

/** 变更记录: who changed a unit, person or group, when and what — newest first (`path`: …/changes; give it a new `key` to read again). */
export default function ChangeLog({ path }: { path: string }) {
  const changes = useList<OrgChange>(path);
  if (changes.error) return <Typography.Text type="danger">{changes.error}</Typography.Text>;
  return (
    <List
      size="small"
      loading={changes.loading}
      dataSource={changes.data}
      locale={{ emptyText: '还没有修改过' }}
      renderItem={(c) => (
        <List.Item>
          <List.Item.Meta title={c.summary} description={`${when(c.at)} · ${c.byName}`} />
        </List.Item>
      )}
    />
  );
}
