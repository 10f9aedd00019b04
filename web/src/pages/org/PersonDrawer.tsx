import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Divider, Drawer, Empty, Form, Grid, Input, List, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { api, messageOf } from '../../api';
import { when } from '../../format';
import ChangeLog from './ChangeLog';
import { options, type Person, type Platform, PLATFORMS, type Role, ROLES, showErrors, type Token, type Unit, UNIT_ROLES, useIsAdmin } from './org';

/**
 * One person: their own facts (name, mobile, unit — edit), retiring someone who left and bringing them back, their chat
 * accounts (add, remove one bound by mistake), their roles (edit, with the grant rules' refusals), for the
 * administrator personal tokens, and the change record.
 */
export default function PersonDrawer({ personId, units, onClose, onChanged }: { personId: number | null; units: Unit[]; onClose(): void; onChanged(): void }) {
  const phone = Grid.useBreakpoint().md === false;
  const admin = useIsAdmin();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setPerson(null);
    setError(null);
    if (personId === null) return;
    const ctl = new AbortController();
    api<Person>(`/api/people/${personId}`, { signal: ctl.signal })
      .then(setPerson)
      .catch((e: unknown) => (e as Error).name !== 'AbortError' && setError(messageOf(e)));
    return () => ctl.abort();
  }, [personId]);

  const changed = (p: Person) => {
    setPerson(p);
    onChanged();
  };
  const unitName = (id: number | null) => (id === null ? '—' : (units.find((u) => u.id === id)?.name ?? `单位 ${id}`));

  return (
    <Drawer open={personId !== null} onClose={onClose} size={phone ? '100%' : 560} title={person ? person.name : '人员'} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} />}
      {!person && !error && <Spin />}
      {person && (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="手机号">{person.mobile ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="所在单位">{unitName(person.unitId)}</Descriptions.Item>
            <Descriptions.Item label="状态">{person.active ? '在职' : <Tag color="default">已停用</Tag>}</Descriptions.Item>
          </Descriptions>
          <Divider titlePlacement="start">钉钉 / 企业微信账号</Divider>
          <Identities person={person} onChanged={changed} />
          <Divider titlePlacement="start">角色</Divider>
          <Roles person={person} units={units} onChanged={changed} />
          <Divider titlePlacement="start">基本信息</Divider>
          <Basics person={person} units={units} onChanged={changed} />
          {admin && (
            <>
              <Divider titlePlacement="start">个人令牌</Divider>
              <Tokens key={String(person.active)} person={person} />
            </>
          )}
          <Divider titlePlacement="start">变更记录</Divider>
          <ChangeLog key={JSON.stringify(person)} path={`/api/people/${person.id}/changes`} />
        </>
      )}
    </Drawer>
  );
}

function Identities({ person, onChanged }: { person: Person; onChanged(p: Person): void }) {
  const [form] = Form.useForm<{ platform: Platform; externalUserId: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { message } = App.useApp();
  const add = async (v: { platform: Platform; externalUserId: string }) => {
    setSaving(true);
    setFormError(null);
    try {
      const p = await api<Person>(`/api/people/${person.id}/identities`, {
        method: 'POST',
        body: { identities: [{ platform: v.platform, externalUserId: v.externalUserId.trim() }] },
      });
      form.resetFields(['externalUserId']);
      message.success(`已绑定${PLATFORMS[v.platform]}账号 ${v.externalUserId.trim()}。`);
      onChanged(p);
    } catch (e) {
      setFormError(
        showErrors(form, e, { 'ORG.IDENTITY_TAKEN': 'externalUserId', 'ORG.PRIVILEGED_IDENTITY': 'externalUserId' }, { identities: 'externalUserId' }),
      );
    } finally {
      setSaving(false);
    }
  };
  const remove = async (identityId: number, what: string) => {
    setFormError(null);
    try {
      const p = await api<Person>(`/api/people/${person.id}/identities/${identityId}`, { method: 'DELETE' });
      message.success(`已解除${what}。`);
      onChanged(p);
    } catch (e) {
      setFormError(messageOf(e));
    }
  };
  return (
    <>
      {person.identities.length ? (
        <Space wrap style={{ marginBottom: 12 }}>
          {person.identities.map((i) => (
            <Space.Compact key={i.id}>
              <Tag color={i.platform === 'dingtalk' ? 'blue' : 'green'} style={{ marginInlineEnd: 0, display: 'flex', alignItems: 'center' }}>
                {PLATFORMS[i.platform]}：{i.externalUserId}
                {i.corpId ? `（企业 ${i.corpId}）` : ''}
              </Tag>
              <Popconfirm
                title={`解除${PLATFORMS[i.platform]}账号 ${i.externalUserId}？`}
                description="解除后，这个账号在群里的操作不再算作此人的。"
                okText="解除"
                cancelText="取消"
                onConfirm={() => remove(i.id, `${PLATFORMS[i.platform]}账号 ${i.externalUserId}`)}
              >
                <Button size="small" danger aria-label={`解除${PLATFORMS[i.platform]}账号 ${i.externalUserId}`}>
                  解除
                </Button>
              </Popconfirm>
            </Space.Compact>
          ))}
        </Space>
      ) : (
        <Typography.Paragraph type="secondary">还没有绑定账号：绑定后，此人在钉钉或企业微信里的操作才能认出是谁。</Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" initialValues={{ platform: 'dingtalk' }} name="bindIdentity" onFinish={add} aria-label="绑定账号">
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="platform" noStyle>
            <Select style={{ width: 120 }} options={options(PLATFORMS)} aria-label="平台" />
          </Form.Item>
          <Form.Item name="externalUserId" noStyle rules={[{ required: true, whitespace: true, message: '请填写账号' }]}>
            <Input placeholder="钉钉 userId 或企业微信 userid" maxLength={128} aria-label="账号" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            绑定
          </Button>
        </Space.Compact>
        <Form.Item shouldUpdate noStyle>
          {() => {
            const errs = form.getFieldError('externalUserId');
            return errs.length ? <Typography.Text type="danger">{errs.join('；')}</Typography.Text> : null;
          }}
        </Form.Item>
      </Form>
      {formError && <Alert style={{ marginTop: 8 }} type="error" showIcon title={formError} />}
    </>
  );
}

function Roles({ person, units, onChanged }: { person: Person; units: Unit[]; onChanged(p: Person): void }) {
  const [form] = Form.useForm<{ roles: Role[]; unitId?: number }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const admin = useIsAdmin();
  const { message } = App.useApp();
  const initial = {
    roles: [...new Set(person.roles.map((r) => r.role))],
    unitId: person.roles.find((r) => r.unitId !== null)?.unitId ?? person.unitId ?? undefined,
  };
  useEffect(() => form.setFieldsValue(initial), [person]);
  const save = async (v: { roles: Role[]; unitId?: number }) => {
    setSaving(true);
    setFormError(null);
    try {
      const p = await api<Person>(`/api/people/${person.id}/roles`, {
        method: 'PUT',
        body: { roles: (v.roles ?? []).map((role) => (UNIT_ROLES.includes(role) ? { role, unitId: v.unitId } : { role })) },
      });
      message.success(`已保存「${p.name}」的角色。`);
      onChanged(p);
    } catch (e) {
      setFormError(showErrors(form, e, { 'ORG.PRIVILEGED_ROLE': 'roles', 'ORG.UNIT_REQUIRED': 'unitId', 'ORG.UNKNOWN_UNIT': 'unitId' }));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={initial} name="personRoles" onFinish={save} aria-label="人员角色">
      <Form.Item name="roles" label="角色" extra={admin ? undefined : '领导、立项主体、督查员、管理员只能由管理员授予或调整。'}>
        <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="没有角色" options={options(ROLES)} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.roles !== b.roles}>
        {({ getFieldValue }) =>
          (getFieldValue('roles') as Role[] | undefined)?.some((r) => UNIT_ROLES.includes(r)) ? (
            <Form.Item name="unitId" label="联络员、负责人所属单位" rules={[{ required: true, message: '联络员、负责人须选择所属单位' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="选择单位"
                options={units.filter((u) => u.active || person.roles.some((r) => r.unitId === u.id)).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          ) : null
        }
      </Form.Item>
      {formError && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={formError} />}
      <Button type="primary" htmlType="submit" loading={saving}>
        保存角色
      </Button>
    </Form>
  );
}

function Tokens({ person }: { person: Person }) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const load = () =>
    api<Token[]>(`/api/people/${person.id}/tokens`)
      .then(setTokens)
      .catch((e: unknown) => setError(messageOf(e)));
  useEffect(() => {
    setIssued(null);
    void load();
  }, [person.id]);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const issue = () =>
    run(async () => {
      const t = await api<{ id: number; token: string }>(`/api/people/${person.id}/tokens`, {
        method: 'POST',
        body: label.trim() ? { label: label.trim() } : {},
      });
      setIssued(t.token);
      setLabel('');
    });
  const revoke = (id: number) =>
    run(async () => {
      await api(`/api/tokens/${id}/revoke`, { method: 'POST' });
      message.success('令牌已吊销，持有它的人不能再用它登录。');
    });
  const revokeAll = () =>
    run(async () => {
      const r = await api<{ revoked: number }>(`/api/people/${person.id}/tokens/revoke`, { method: 'POST' });
      message.success(`已吊销 ${r.revoked} 个令牌。`);
    });
  const live = (tokens ?? []).filter((t) => !t.revokedAt);
  return (
    <>
      <Typography.Paragraph type="secondary">个人令牌用于在本系统登录或调用接口。令牌只在签发时显示一次，请当面交给本人。</Typography.Paragraph>
      {issued && (
        <Alert
          style={{ marginBottom: 12 }}
          type="success"
          showIcon
          title="令牌已签发：请现在复制并交给本人，关闭后不会再显示。"
          description={
            <Typography.Paragraph
              copyable={{ text: issued, tooltips: ['复制', '已复制'] }}
              code
              style={{ marginBottom: 0, wordBreak: 'break-all' }}
              data-testid="issued-token"
            >
              {issued}
            </Typography.Paragraph>
          }
          closable={{ onClose: () => setIssued(null) }}
        />
      )}
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input placeholder="用途（选填），如 办公电脑" maxLength={100} value={label} onChange={(e) => setLabel(e.target.value)} aria-label="令牌用途" />
        <Button type="primary" loading={busy} onClick={() => void issue()}>
          签发令牌
        </Button>
      </Space.Compact>
      {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={error} />}
      {tokens === null ? (
        <Spin />
      ) : tokens.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有签发过令牌" />
      ) : (
        <List
          size="small"
          bordered
          dataSource={tokens}
          renderItem={(t) => (
            <List.Item
              actions={
                t.revokedAt
                  ? []
                  : [
                      <Popconfirm key="r" title="吊销后此令牌立即失效，确定吊销？" okText="吊销" cancelText="取消" onConfirm={() => revoke(t.id)}>
                        <Button size="small" danger disabled={busy}>
                          吊销
                        </Button>
                      </Popconfirm>,
                    ]
              }
            >
              <List.Item.Meta
                title={t.label || '未注明用途'}
                description={t.revokedAt ? `${when(t.createdAt)} 签发，${when(t.revokedAt)} 已吊销` : `${when(t.createdAt)} 签发，有效`}
              />
            </List.Item>
          )}
        />
      )}
      {live.length > 1 && (
        <Popconfirm
          title={`吊销「${person.name}」的全部 ${live.length} 个令牌？（离岗、手机遗失时）`}
          okText="全部吊销"
          cancelText="取消"
          onConfirm={() => revokeAll()}
        >
          <Button danger style={{ marginTop: 12 }} disabled={busy}>
            全部吊销
          </Button>
        </Popconfirm>
      )}
    </>
  );
}

interface BasicsForm {
  name: string;
  mobile?: string;
  unitId?: number;
}

/** 基本信息: name, mobile and unit (a contact's unit roles move with them), and 停用 / 恢复启用. */
function Basics({ person, units, onChanged }: { person: Person; units: Unit[]; onChanged(p: Person): void }) {
  const [form] = Form.useForm<BasicsForm>();
  const [saving, setSaving] = useState(false);
  const [switching, setSwitching] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const { message, modal } = App.useApp();
  const initial = { name: person.name, mobile: person.mobile ?? undefined, unitId: person.unitId ?? undefined };
  useEffect(() => form.setFieldsValue({ name: person.name, mobile: person.mobile ?? undefined, unitId: person.unitId ?? undefined }), [person, form]);
  const save = async (v: BasicsForm) => {
    setSaving(true);
    setFormError(null);
    try {
      const p = await api<Person>(`/api/people/${person.id}`, {
        method: 'PUT',
        body: { name: v.name.trim(), mobile: v.mobile?.trim() ? v.mobile.trim() : null, unitId: v.unitId ?? null },
      });
      message.success(`已保存「${p.name}」的基本信息。`);
      onChanged(p);
    } catch (e) {
      setFormError(
        showErrors(form, e, { 'ORG.UNIT_RETIRED': 'unitId', 'ORG.UNKNOWN_UNIT': 'unitId', 'ORG.UNIT_REQUIRED': 'unitId', 'ORG.NAME_REQUIRED': 'name' }),
      );
    } finally {
      setSaving(false);
    }
  };
  const setActive = async (active: boolean) => {
    setSwitching(true);
    try {
      const p = await api<Person>(`/api/people/${person.id}/${active ? 'reactivate' : 'deactivate'}`, { method: 'POST' });
      message.success(active ? `已恢复启用「${p.name}」。如需登录，请重新签发令牌或发送登录链接。` : `已停用「${p.name}」：其登录和令牌已失效，不再接收提醒。`);
      onChanged(p);
    } catch (e) {
      modal.error({ title: active ? '未能恢复启用' : '暂不能停用', content: messageOf(e), okText: '知道了' });
    } finally {
      setSwitching(false);
    }
  };
  return (
    <>
      <Form form={form} layout="vertical" initialValues={initial} name="personBasics" onFinish={save} aria-label="基本信息">
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="mobile" label="手机号" rules={[{ pattern: /^1\d{10}$/, message: '手机号应为 1 开头的 11 位数字' }]}>
          <Input maxLength={11} inputMode="numeric" placeholder="选填" />
        </Form.Item>
        <Form.Item name="unitId" label="所在单位" extra="调整单位后，此人在原单位的联络员、负责人角色随之调整到新单位。">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择单位"
            options={units.filter((u) => u.active || u.id === person.unitId).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        {formError && <Alert style={{ marginBottom: 12 }} type="error" showIcon title={formError} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存基本信息
          </Button>
          {person.active ? (
            <Popconfirm
              title={`停用「${person.name}」？`}
              description="用于离岗人员：其登录和令牌立即失效，不再接收提醒，也不再出现在人员选项中；已办理的记录保留。"
              okText="停用"
              cancelText="取消"
              onConfirm={() => setActive(false)}
            >
              <Button danger loading={switching}>
                停用此人
              </Button>
            </Popconfirm>
          ) : (
            <Button loading={switching} onClick={() => void setActive(true)}>
              恢复启用
            </Button>
          )}
        </Space>
      </Form>
    </>
  );
}
