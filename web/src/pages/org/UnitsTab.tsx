import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Divider, Form, Grid, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { api, messageOf } from '../../api';
import ChangeLog from './ChangeLog';
import { type Person, showErrors, type Unit, useIsAdmin, useList } from './org';

/**
 * 单位: the units, adding one (督查室), changing its name or code, retiring (停用) one that handles no open item and
 * bringing it back, and an office's 分管领导 (administrator: a privileged binding, grant rules).
 */
export default function UnitsTab() {
  const units = useList<Unit>('/api/units');
  const leaders = useList<Person>('/api/people?role=leader');
  const admin = useIsAdmin();
  const phone = Grid.useBreakpoint().md === false;
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [leaderSaving, setLeaderSaving] = useState<number | null>(null);
  const [editing, setEditing] = useState<Unit | null>(null);
  const [switching, setSwitching] = useState<number | null>(null);
  const { modal } = App.useApp();

  /** 停用 / 启用: a refusal (the unit still handles open items) is shown whole, with what to do first. */
  const setActive = async (unit: Unit, active: boolean) => {
    setSwitching(unit.id);
    try {
      await api<Unit>(`/api/units/${unit.id}/${active ? 'reactivate' : 'deactivate'}`, { method: 'POST' });
      message.success(active ? `已恢复启用「${unit.name}」。` : `已停用「${unit.name}」：它不再作为新事项的承办单位，历史事项仍然保留。`);
      units.reload();
    } catch (e) {
      modal.error({ title: active ? '未能恢复启用' : '暂不能停用', content: messageOf(e), okText: '知道了' });
    } finally {
      setSwitching(null);
    }
  };

  const add = async (v: { code: string; name: string }) => {
    setSaving(true);
    setFormError(null);
    try {
      const u = await api<Unit>('/api/units', { method: 'POST', body: { code: v.code.trim(), name: v.name.trim() } });
      form.resetFields();
      message.success(`已添加单位「${u.name}」（编码 ${u.code}），现在可以为它添加人员和群。`);
      units.reload();
    } catch (e) {
      setFormError(showErrors(form, e, { 'ORG.UNIT_CODE_TAKEN': 'code', 'ORG.UNIT_NAME_TAKEN': 'name' }));
    } finally {
      setSaving(false);
    }
  };

  const setLeader = async (unit: Unit, leaderId: number | null) => {
    setLeaderSaving(unit.id);
    try {
      await api<Unit>(`/api/units/${unit.id}/coordinating-leader`, { method: 'PUT', body: { coordinatingLeaderId: leaderId } });
      message.success(leaderId ? `已设置「${unit.name}」的分管领导。` : `已取消「${unit.name}」的分管领导。`);
      units.reload();
    } catch (e) {
      message.error(e instanceof Error ? e.message : '设置未成功，请重试。');
    } finally {
      setLeaderSaving(null);
    }
  };

  const leaderName = (id: number | null) => (id === null ? '—' : (leaders.data.find((p) => p.id === id)?.name ?? `人员 ${id}`));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="添加单位">
        <Form form={form} layout={phone ? 'vertical' : 'inline'} name="addUnit" onFinish={add} style={{ rowGap: 8 }} aria-label="添加单位">
          <Form.Item
            name="code"
            label="单位编码"
            rules={[
              { required: true, message: '请填写单位编码' },
              { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '编码只能用字母、数字、下划线或短横线，最多 32 位（如 FGW）' },
            ]}
          >
            <Input placeholder="如 FGW" style={{ width: phone ? '100%' : 140 }} maxLength={32} />
          </Form.Item>
          <Form.Item name="name" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}>
            <Input placeholder="如 市发展改革委" style={{ width: phone ? '100%' : 220 }} maxLength={100} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              添加单位
            </Button>
          </Form.Item>
        </Form>
        {formError && <Alert style={{ marginTop: 12 }} type="error" showIcon title={formError} />}
      </Card>
      {units.error && <Alert type="error" showIcon title={units.error} action={<Button onClick={units.reload}>重试</Button>} />}
      <Table<Unit>
        rowKey="id"
        size="middle"
        loading={units.loading}
        dataSource={units.data}
        pagination={units.data.length > 50 ? { pageSize: 50, showTotal: (t) => `共 ${t} 个单位` } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '还没有单位：请在上方添加，或到「导入」页用 Excel 批量导入。' }}
        columns={[
          { title: '编码', dataIndex: 'code', width: 100 },
          {
            title: '名称',
            dataIndex: 'name',
            render: (n: string, u) => (
              <Space size={4} wrap>
                {n}
                {!u.active && <Tag>已停用</Tag>}
              </Space>
            ),
          },
          {
            title: '分管领导',
            key: 'leader',
            width: phone ? 160 : 220,
            render: (_: unknown, u) =>
              admin ? (
                <Select
                  allowClear
                  size="small"
                  placeholder="未设置"
                  aria-label={`${u.name}的分管领导`}
                  style={{ width: '100%' }}
                  loading={leaderSaving === u.id}
                  disabled={leaderSaving === u.id}
                  value={u.coordinatingLeaderId ?? undefined}
                  options={leaders.data.map((p) => ({ value: p.id, label: p.name }))}
                  notFoundContent="还没有持领导角色的人员"
                  onChange={(v?: number) => void setLeader(u, v ?? null)}
                />
              ) : (
                leaderName(u.coordinatingLeaderId)
              ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 150,
            render: (_: unknown, u) => (
              <Space size={4}>
                <Button size="small" aria-label={`修改${u.name}`} onClick={() => setEditing(u)}>
                  修改
                </Button>
                {u.active ? (
                  <Popconfirm
                    title={`停用「${u.name}」？`}
                    description="停用后不再作为新事项的承办单位；还有未办结事项的单位不能停用。"
                    okText="停用"
                    cancelText="取消"
                    onConfirm={() => setActive(u, false)}
                  >
                    <Button size="small" danger loading={switching === u.id} aria-label={`停用${u.name}`}>
                      停用
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" loading={switching === u.id} aria-label={`启用${u.name}`} onClick={() => void setActive(u, true)}>
                    启用
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <EditUnit
        unit={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          units.reload();
        }}
      />
      {!admin && <Typography.Text type="secondary">科室的分管领导（事项逾期未反馈时报请其协调）由管理员设置。</Typography.Text>}
    </Space>
  );
}

/** 修改单位: name and code (Excel imports find a unit by its code), with the refusals next to their fields and the change record. */
function EditUnit({ unit, onClose, onSaved }: { unit: Unit | null; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<{ code: string; name: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { message } = App.useApp();
  useEffect(() => setFormError(null), [unit]);
  const save = async (v: { code: string; name: string }) => {
    if (!unit) return;
    setSaving(true);
    setFormError(null);
    try {
      const u = await api<Unit>(`/api/units/${unit.id}`, { method: 'PUT', body: { code: v.code.trim(), name: v.name.trim() } });
      message.success(`已保存「${u.name}」。`);
      onSaved();
    } catch (e) {
      setFormError(showErrors(form, e, { 'ORG.UNIT_CODE_TAKEN': 'code', 'ORG.UNIT_NAME_TAKEN': 'name', 'ORG.NAME_REQUIRED': 'name' }));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={unit !== null}
      title={unit ? `修改单位：${unit.name}` : '修改单位'}
      onCancel={onClose}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="editUnit"
        initialValues={unit ? { code: unit.code, name: unit.name } : undefined}
        onFinish={save}
        aria-label="修改单位"
      >
        <Form.Item
          name="code"
          label="单位编码"
          extra="Excel 导入按编码对应单位，改后请用新编码。"
          rules={[
            { required: true, message: '请填写单位编码' },
            { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: '编码只能用字母、数字、下划线或短横线，最多 32 位（如 FGW）' },
          ]}
        >
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="name" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
      {formError && <Alert type="error" showIcon title={formError} />}
      {unit && (
        <>
          <Divider titlePlacement="start">变更记录</Divider>
          <ChangeLog key={`${unit.id}:${unit.code}:${unit.name}`} path={`/api/units/${unit.id}/changes`} />
        </>
      )}
    </Modal>
  );
}
