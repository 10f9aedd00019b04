import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { api, query } from '../../api';
import PersonDrawer from './PersonDrawer';
import {
  options,
  PEOPLE_STATUS,
  type PeoplePage,
  type PeopleStatus,
  type Person,
  PLATFORMS,
  type Role,
  ROLES,
  showErrors,
  type Unit,
  UNIT_ROLES,
  useFetched,
  useIsAdmin,
  useList,
} from './org';

const PAGE_SIZE = 20;

interface NewPerson {
  name: string;
  mobile?: string;
  unitId?: number;
  roles?: Role[];
  dingtalk?: string;
  wecom?: string;
}

/**
 * 人员: find people — searched and paged by the service (a city has thousands of contacts), in post, retired or all —,
 * add one with a chat account and roles, and open a person to change or retire them and manage accounts, roles and tokens.
 */
export default function PeopleTab() {
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState<number | undefined>();
  const [status, setStatus] = useState<PeopleStatus>('active');
  const [page, setPage] = useState(1);
  const people = useFetched<PeoplePage>(`/api/people${query({ q, unitId, status, page, pageSize: PAGE_SIZE })}`, {
    total: 0,
    page: 1,
    pageSize: PAGE_SIZE,
    items: [],
  });
  const units = useList<Unit>('/api/units');
  const admin = useIsAdmin();
  const phone = Grid.useBreakpoint().md === false;
  const { message } = App.useApp();
  const [form] = Form.useForm<NewPerson>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const unitName = (id: number | null) => (id === null ? '—' : (units.data.find((u) => u.id === id)?.name ?? `单位 ${id}`));
  const roleOptions = options(ROLES);

  const add = async (v: NewPerson) => {
    setSaving(true);
    setFormError(null);
    const identities = [
      ...(v.dingtalk?.trim() ? [{ platform: 'dingtalk', externalUserId: v.dingtalk.trim() }] : []),
      ...(v.wecom?.trim() ? [{ platform: 'wecom', externalUserId: v.wecom.trim() }] : []),
    ];
    const roles = (v.roles ?? []).map((role) => (UNIT_ROLES.includes(role) ? { role, unitId: v.unitId } : { role }));
    try {
      const p = await api<Person>('/api/people', {
        method: 'POST',
        body: { name: v.name.trim(), ...(v.mobile?.trim() ? { mobile: v.mobile.trim() } : {}), ...(v.unitId ? { unitId: v.unitId } : {}), roles, identities },
      });
      form.resetFields();
      message.success(
        `已添加「${p.name}」。${p.identities.length ? '此人现在可以在钉钉或企业微信中使用督办机器人。' : '还需绑定钉钉或企业微信账号，此人才能在群里办理事项。'}`,
      );
      people.reload();
    } catch (e) {
      const field = e instanceof Error && e.message.includes('企业微信') ? 'wecom' : 'dingtalk';
      setFormError(
        showErrors(
          form,
          e,
          { 'ORG.IDENTITY_TAKEN': field, 'ORG.PRIVILEGED_ROLE': 'roles', 'ORG.UNIT_REQUIRED': 'unitId', 'ORG.UNKNOWN_UNIT': 'unitId' },
          { identities: 'dingtalk', externalUserId: 'dingtalk' },
        ),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="添加人员">
        <Form form={form} name="addPerson" layout="vertical" onFinish={add} aria-label="添加人员">
          <div style={{ display: 'grid', gridTemplateColumns: phone ? '1fr' : 'repeat(3, minmax(0, 1fr))', columnGap: 16 }}>
            <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
              <Input maxLength={50} placeholder="如 张三" />
            </Form.Item>
            <Form.Item name="mobile" label="手机号" rules={[{ pattern: /^1\d{10}$/, message: '手机号应为 1 开头的 11 位数字' }]}>
              <Input maxLength={11} inputMode="numeric" placeholder="选填" />
            </Form.Item>
            <Form.Item
              name="unitId"
              label="所在单位"
              dependencies={['roles']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v) =>
                    v || !(getFieldValue('roles') as Role[] | undefined)?.some((r) => UNIT_ROLES.includes(r))
                      ? Promise.resolve()
                      : Promise.reject(new Error('联络员、负责人须选择所在单位')),
                }),
              ]}
            >
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="选择单位"
                options={units.data.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
            <Form.Item name="roles" label="角色" extra={admin ? undefined : '领导、立项主体、督查员、管理员只能由管理员授予'}>
              <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="选择角色" options={roleOptions} />
            </Form.Item>
            <Form.Item name="dingtalk" label="钉钉账号（userId）">
              <Input maxLength={128} placeholder="选填，如 zhangsan01" />
            </Form.Item>
            <Form.Item name="wecom" label="企业微信账号（userid）">
              <Input maxLength={128} placeholder="选填，如 ZhangSan" />
            </Form.Item>
          </div>
          {formError && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={formError} />}
          <Button type="primary" htmlType="submit" loading={saving}>
            添加人员
          </Button>
        </Form>
      </Card>
      <Space wrap style={{ width: '100%' }}>
        <Input.Search
          allowClear
          placeholder="姓名、手机号或钉钉/企业微信账号"
          aria-label="查找人员"
          enterButton="查找"
          style={{ width: phone ? '100%' : 340 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="全部单位"
          style={{ width: phone ? '100%' : 200 }}
          value={unitId}
          onChange={(v?: number) => {
            setUnitId(v);
            setPage(1);
          }}
          options={units.data.map((u) => ({ value: u.id, label: u.name }))}
          aria-label="按单位筛选"
        />
        <Select
          style={{ width: phone ? '100%' : 120 }}
          value={status}
          onChange={(v: PeopleStatus) => {
            setStatus(v);
            setPage(1);
          }}
          options={options(PEOPLE_STATUS)}
          aria-label="在职状态"
        />
      </Space>
      {people.error && <Alert type="error" showIcon title={people.error} action={<Button onClick={people.reload}>重试</Button>} />}
      <Table<Person>
        rowKey="id"
        size="middle"
        loading={people.loading}
        dataSource={people.data.items}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: people.data.total,
          hideOnSinglePage: true,
          showSizeChanger: false,
          size: phone ? 'small' : undefined,
          showTotal: (t) => `共 ${t} 人`,
          onChange: setPage,
        }}
        locale={{
          emptyText:
            q || unitId || status !== 'active'
              ? '没有找到符合条件的人员，请换个关键词或筛选条件再查。'
              : '还没有人员：请在上方添加，或到「导入」页用 Excel 批量导入。',
        }}
        columns={[
          {
            title: '姓名',
            dataIndex: 'name',
            render: (n: string, p) => (
              <Space orientation="vertical" size={0}>
                <Space size={4}>
                  <Typography.Link onClick={() => setOpen(p.id)}>{n}</Typography.Link>
                  {!p.active && <Tag>已停用</Tag>}
                </Space>
                {phone && <Typography.Text type="secondary">{unitName(p.unitId)}</Typography.Text>}
              </Space>
            ),
          },
          { title: '手机号', dataIndex: 'mobile', responsive: ['md'], render: (m: string | null) => m ?? '—' },
          { title: '单位', dataIndex: 'unitId', responsive: ['md'], render: unitName },
          {
            title: '角色',
            key: 'roles',
            render: (_: unknown, p) =>
              p.roles.length ? (
                p.roles.map((r) => <Tag key={`${r.role}${r.unitId}`}>{ROLES[r.role]}</Tag>)
              ) : (
                <Typography.Text type="secondary">无</Typography.Text>
              ),
          },
          {
            title: '钉钉 / 企业微信',
            key: 'ids',
            responsive: ['lg'],
            render: (_: unknown, p) =>
              p.identities.length
                ? p.identities.map((i) => <div key={`${i.platform}${i.corpId}${i.externalUserId}`}>{`${PLATFORMS[i.platform]}：${i.externalUserId}`}</div>)
                : '未绑定',
          },
          {
            title: '',
            key: 'open',
            width: 72,
            render: (_: unknown, p) => (
              <Button size="small" onClick={() => setOpen(p.id)}>
                管理
              </Button>
            ),
          },
        ]}
      />
      <PersonDrawer personId={open} units={units.data} onClose={() => setOpen(null)} onChanged={people.reload} />
    </Space>
  );
}
