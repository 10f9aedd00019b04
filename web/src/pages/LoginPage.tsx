import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { api, ApiError, type Me, messageOf } from '../api';
import { navigate, safeNext, useLocation } from '../router';
import { useSession } from '../session';

/**
 * 登录: the one-time link from the bot's /登录 (`?code=`) signs in by itself; otherwise a token (the admin's bootstrap
 * token, or a person's). Afterwards, back to where the person was going (`?next=`).
 */
export default function LoginPage() {
  const place = useLocation();
  const { me, setMe } = useSession();
  const code = place.search.get('code');
  const next = safeNext(place.search.get('next'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const tried = useRef<string | null>(null);

  useEffect(() => {
    if (me && !code) navigate(next, { replace: true });
  }, [me, code, next]);

  useEffect(() => {
    if (!code || tried.current === code) return;
    tried.current = code;
    setBusy(true);
    api<Me>('/api/session/link', { method: 'POST', body: { code }, quiet401: true })
      .then((m) => {
        setMe(m);
        navigate(next, { replace: true });
      })
      .catch((e: unknown) => setLinkError(messageOf(e)))
      .finally(() => setBusy(false));
  }, [code, next, setMe]);

  const submit = async ({ token }: { token: string }) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const m = await api<Me>('/api/session', { method: 'POST', body: { token: token.trim() }, quiet401: true });
      setMe(m);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? e.message || '令牌无效或已失效，请核对后重新输入。' : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, boxSizing: 'border-box' }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Typography.Title level={3} style={{ color: '#b71c1c', marginTop: 0 }}>
          督查督办
        </Typography.Title>
        {code && busy && (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
            <p>正在通过登录链接登录…</p>
          </div>
        )}
        {linkError && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="登录链接未能使用"
            description={`${linkError} 可在钉钉或企业微信里向督办机器人发送「/登录」取得新的链接，或在下面输入令牌。`}
          />
        )}
        {(!code || linkError) && (
          <>
            <Typography.Paragraph type="secondary">
              在钉钉或企业微信里向督办机器人发送「/登录」，点开回复的链接即可登录（链接 10 分钟内有效，只能用一次）。管理员也可以输入令牌登录。
            </Typography.Paragraph>
            <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
              <Form.Item
                label="令牌"
                name="token"
                rules={[{ required: true, whitespace: true, message: '请输入令牌' }]}
                validateStatus={error ? 'error' : undefined}
                help={error ?? undefined}
              >
                <Input.Password autoComplete="current-password" placeholder="管理令牌或个人令牌" onChange={() => setError(null)} />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} disabled={busy}>
                登录
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
