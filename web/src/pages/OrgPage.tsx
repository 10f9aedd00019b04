import { Grid, Tabs, Typography } from 'antd';
import { query } from '../api';
import { navigate, useLocation } from '../router';
import GroupsTab from './org/GroupsTab';
import ImportTab from './org/ImportTab';
import PeopleTab from './org/PeopleTab';
import UnitsTab from './org/UnitsTab';

const TABS = [
  { key: 'units', label: '单位', children: <UnitsTab /> },
  { key: 'people', label: '人员', children: <PeopleTab /> },
  { key: 'groups', label: '群', children: <GroupsTab /> },
  { key: 'import', label: '导入', children: <ImportTab /> },
];

/** P1–P3: 组织 — units, people (chat accounts, roles, tokens), chat groups and the Excel import; the tab is kept in the address. */
export default function OrgPage() {
  const place = useLocation();
  const phone = Grid.useBreakpoint().md === false;
  const tab = TABS.some((t) => t.key === place.search.get('tab')) ? place.search.get('tab')! : 'units';
  return (
    <>
      <Typography.Title level={4} style={{ margin: 0 }}>
        组织
      </Typography.Title>
      <Tabs
        activeKey={tab}
        size={phone ? 'small' : 'middle'}
        destroyOnHidden
        onChange={(k) => navigate(`${place.path}${query({ tab: k === 'units' ? undefined : k })}`, { replace: true })}
        items={TABS}
      />
    </>
  );
}
