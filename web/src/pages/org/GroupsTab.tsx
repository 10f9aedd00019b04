import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Divider, Form, Grid, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { api, messageOf } from '../../api';
import ChangeLog from './ChangeLog';
import { type Group, options, type Platform, PLATFORMS, type Purpose, PURPOSES, showErrors, type Unit, useList } from './org';

interface NewGroup {
  platform: Platform;
  externalId: string;
  name: string;
  unitId?: number;
  purpose: Purpose;
  webhookUrl?: string;
  webhookSecret?: string;
}

/** 群: the chat groups the bot speaks in — each unit's own group, the 通报 and 督查 groups; changed or removed when they move or were bound by mistake. */
export default function GroupsTab() {
  const groups = useList<Group>('/api/groups');
  const units = useList<Unit>('/api/units');
  const phone = Grid.useBreakpoint().md === false;
  const { message } = App.useApp();
  const [form] = Form.useForm<NewGroup>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const unitName = (id: number | null) => (id === null ? '—' : (units.data.find((u) => u.id === id)?.name ?? `单位 ${id}`));
  const [editing, setEditing] = useState<Group | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);

  const remove = async (g: Group) => {
    setRemoving(g.id);
    try {
      const r = await api<{ unitLeftWithoutGroup: boolean }>(`/api/groups/${g.id}`, { method: 'DELETE' });
      message.success(
        `已移除「${g.name}」，机器人不再往该群发消息。${r.unitLeftWithoutGroup ? `${unitName(g.unitId)}已没有单位群，此后的通知改为一对一发给其联络员和负责人。` : ''}`,
      );
      groups.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setRemoving(null);
    }
  };

  const add = async (v: NewGroup) => {
    setSaving(true);
    setFormError(null);
    const opt = (s?: string) => (s?.trim() ? s.trim() : undefined);
    try {
      const g = await api<Group>('/api/groups', {
        method: 'POST',
        body: {
          platform: v.platform,
          externalId: v.externalId.trim(),
          name: v.name.trim(),
          purpose: v.purpose,
          ...(v.unitId ? { unitId: v.unitId } : {}),
          ...(opt(v.webhookUrl) ? { webhookUrl: opt(v.webhookUrl) } : {}),
          ...(opt(v.webhookSecret) ? { webhookSecret: opt(v.webhookSecret) } : {}),
        },
      });
      form.resetFields();
      message.success(`已登记${PLATFORMS[g.platform]}群「${g.name}」，督办机器人将在此群发送${PURPOSES[g.purpose]}消息。`);
      groups.reload();
    } catch (e) {
      setFormError(showErrors(form, e, { 'ORG.GROUP_TAKEN': 'externalId', 'ORG.UNIT_REQUIRED': 'unitId', 'ORG.UNKNOWN_UNIT': 'unitId' }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="登记群">
        <Form form={form} layout="vertical" initialValues={{ platform: 'dingtalk', purpose: 'unit' }} name="addGroup" onFinish={add} aria-label="登记群">
          <div style={{ display: 'grid', gridTemplateColumns: phone ? '1fr' : 'repeat(3, minmax(0, 1fr))', columnGap: 16 }}>
            <Form.Item name="platform" label="平台" rules={[{ required: true, message: '请选择平台' }]}>
              <Select options={options(PLATFORMS)} />
            </Form.Item>
            <Form.Item
              name="externalId"
              label="群标识"
              extra="钉钉群的 openConversationId，或企业微信群的 chatid"
              rules={[{ required: true, whitespace: true, message: '请填写群标识' }]}
            >
              <Input maxLength={128} placeholder="如 cid0000000000" />
            </Form.Item>
            <Form.Item name="name" label="群名称" rules={[{ required: true, whitespace: true, message: '请填写群名称' }]}>
              <Input maxLength={100} placeholder="如 发改委督办群" />
            </Form.Item>
            <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请选择用途' }]}>
              <Select options={options(PURPOSES)} />
            </Form.Item>
            <Form.Item
              name="unitId"
              label="所属单位"
              dependencies={['purpose']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v) => (v || getFieldValue('purpose') !== 'unit' ? Promise.resolve() : Promise.reject(new Error('单位群须选择所属单位'))),
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
            <Form.Item
              name="webhookUrl"
              label="机器人 Webhook 地址"
              extra="选填；保存后不再显示"
              rules={[{ type: 'url', message: '请填写以 http:// 或 https:// 开头的完整地址' }]}
            >
              <Input maxLength={500} placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" />
            </Form.Item>
            <Form.Item name="webhookSecret" label="机器人加签密钥" extra="选填，钉钉自定义机器人的 SEC 开头密钥；保存后不再显示">
              <Input.Password maxLength={128} autoComplete="off" />
            </Form.Item>
          </div>
          {formError && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={formError} />}
          <Button type="primary" htmlType="submit" loading={saving}>
            登记群
          </Button>
        </Form>
      </Card>
      {groups.error && <Alert type="error" showIcon title={groups.error} action={<Button onClick={groups.reload}>重试</Button>} />}
      <Table<Group>
        rowKey="id"
        size="middle"
        loading={groups.loading}
        dataSource={groups.data}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个群` }}
        locale={{ emptyText: '还没有登记群：请在上方登记，或到「导入」页用 Excel 批量导入。' }}
        columns={[
          { title: '群名称', dataIndex: 'name' },
          { title: '平台', dataIndex: 'platform', render: (p: Platform) => <Tag color={p === 'dingtalk' ? 'blue' : 'green'}>{PLATFORMS[p]}</Tag> },
          { title: '用途', dataIndex: 'purpose', render: (p: Purpose) => PURPOSES[p] },
          { title: '所属单位', dataIndex: 'unitId', render: unitName },
          { title: '群标识', dataIndex: 'externalId', responsive: ['md'] },
          { title: '机器人', dataIndex: 'hasWebhook', responsive: ['lg'], render: (h: boolean) => (h ? '已配置' : '未配置') },
          {
            title: '操作',
            key: 'actions',
            width: 150,
            render: (_: unknown, g) => (
              <Space size={4}>
                <Button size="small" aria-label={`修改${g.name}`} onClick={() => setEditing(g)}>
                  修改
                </Button>
                <Popconfirm
                  title={`移除「${g.name}」？`}
                  description="移除后机器人不再往该群发消息；单位没有其他单位群时，通知改为一对一发给其联络员和负责人。"
                  okText="移除"
                  cancelText="取消"
                  onConfirm={() => remove(g)}
                >
                  <Button size="small" danger loading={removing === g.id} aria-label={`移除${g.name}`}>
                    移除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <EditGroup
        group={editing}
        units={units.data}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          groups.reload();
        }}
      />
    </Space>
  );
}

interface GroupForm {
  name: string;
  purpose: Purpose;
  unitId?: number;
  webhookUrl?: string;
  webhookSecret?: string;
  dropWebhook?: boolean;
}

/** 修改群: name, purpose, unit and robot (a new address or secret replaces the old; neither is ever shown back). */
function EditGroup({ group, units, onClose, onSaved }: { group: Group | null; units: Unit[]; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<GroupForm>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { message } = App.useApp();
  useEffect(() => setFormError(null), [group]);
  const save = async (v: GroupForm) => {
    if (!group) return;
    setSaving(true);
    setFormError(null);
    const opt = (s?: string) => (s?.trim() ? s.trim() : undefined);
    try {
      const g = await api<Group>(`/api/groups/${group.id}`, {
        method: 'PUT',
        body: {
          name: v.name.trim(),
          purpose: v.purpose,
          unitId: v.unitId ?? null,
          ...(v.dropWebhook ? { webhookUrl: null } : opt(v.webhookUrl) ? { webhookUrl: opt(v.webhookUrl) } : {}),
          ...(!v.dropWebhook && opt(v.webhookSecret) ? { webhookSecret: opt(v.webhookSecret) } : {}),
        },
      });
      message.success(`已保存「${g.name}」。`);
      onSaved();
    } catch (e) {
      setFormError(
        showErrors(form, e, { 'ORG.UNIT_REQUIRED': 'unitId', 'ORG.UNKNOWN_UNIT': 'unitId', 'ORG.UNIT_RETIRED': 'unitId', 'ORG.NAME_REQUIRED': 'name' }),
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={group !== null}
      title={group ? `修改群：${group.name}` : '修改群'}
      onCancel={onClose}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {group && (
        <p style={{ marginTop: 0 }}>
          {PLATFORMS[group.platform]}群 {group.externalId}（平台和群标识不能修改；如绑错了群，请移除后重新登记）
        </p>
      )}
      <Form
        form={form}
        layout="vertical"
        name="editGroup"
        initialValues={group ? { name: group.name, purpose: group.purpose, unitId: group.unitId ?? undefined } : undefined}
        onFinish={save}
        aria-label="修改群"
      >
        <Form.Item name="name" label="群名称" rules={[{ required: true, whitespace: true, message: '请填写群名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请选择用途' }]}>
          <Select options={options(PURPOSES)} />
        </Form.Item>
        <Form.Item name="unitId" label="所属单位">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="不属于任何单位"
            options={units.filter((u) => u.active || u.id === group?.unitId).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item
          name="webhookUrl"
          label="新的机器人 Webhook 地址"
          extra={group?.hasWebhook ? '已配置；不填则不变' : '选填'}
          rules={[{ type: 'url', message: '请填写以 http:// 或 https:// 开头的完整地址' }]}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="webhookSecret" label="新的加签密钥" extra="不填则不变">
          <Input.Password maxLength={128} autoComplete="off" />
        </Form.Item>
        {group?.hasWebhook && (
          <Form.Item name="dropWebhook" valuePropName="checked">
            <Checkbox>删除机器人 Webhook（连同加签密钥）</Checkbox>
          </Form.Item>
        )}
      </Form>
      {formError && <Alert type="error" showIcon title={formError} />}
      {group && (
        <>
          <Divider titlePlacement="start">变更记录</Divider>
          <ChangeLog key={JSON.stringify(group)} path={`/api/groups/${group.id}/changes`} />
        </>
      )}
    </Modal>
  );
}
