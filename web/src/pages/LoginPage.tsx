import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Result, Spin, Typography } from 'antd';
import { api, ApiError, type Me, messageOf } from '../api';
import { navigate, safeNext, useLocation } from '../router';
import { useSession } from '../session';
import {
  detectPlatform,
  PLATFORM_NAMES,
  type Platform,
  PlatformFailure,
  type Platforms,
  signInWithDingTalk,
  wecomFailureText,
  wecomStartUrl,
} from './login/platform';

/** Why signing in by the platform did not work, and whether the person can do anything but ask the 督查室. */
interface Failure {
  platform: Platform;
  title: string;
  text: string;
  /** false: the account is not (or cannot be) registered — a page saying whom to ask, no point retrying. */
  retry: boolean;
  /** The platform's user id the 督查室 needs to register the person. */
  userId?: string | null;
}

const NOT_REGISTERED_TEXT = '请把下面的用户ID和您的姓名、单位发给督查室（或本单位联络员）。登记后重新打开本页面，即可自动登录。';

/**
 * 登录. Inside DingTalk (its browser, or `?dd=1`) the page signs in by 免登; inside WeCom (its browser) through WeCom's
 * web authorisation — no password either way. Otherwise, or when that fails: the one-time link from the bot's /登录
 * (`?code=`) signs in by itself, or a token (the admin's bootstrap token, or a person's). Afterwards, back to where the
 * person was going (`?next=`).
 */
export default function LoginPage() {
  const place = useLocation();
  const { me, setMe } = useSession();
  const code = place.search.get('code');
  const rawNext = place.search.get('next');
  const next = safeNext(rawNext);
  const wecomReturn = place.search.get('signin');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [auto, setAuto] = useState<Platform | null>(null);
  const [failure, setFailure] = useState<Failure | null>(() => {
    if (!wecomReturn) return null;
    const f = wecomFailureText(wecomReturn, place.search.get('uid'));
    return { platform: 'wecom', title: f.title, text: f.text, retry: f.registered, userId: place.search.get('uid') };
  });
  const tried = useRef<string | null>(null);
  const triedPlatform = useRef(false);

  useEffect(() => {
    if (me && !code) navigate(next, { replace: true });
  }, [me, code, next]);

  // Inside DingTalk or WeCom: sign in by the platform, once, unless it just failed.
  useEffect(() => {
    if (me || code || wecomReturn || triedPlatform.current) return;
    const platform = detectPlatform(navigator.userAgent, place.search, rawNext ?? '');
    if (!platform) return;
    triedPlatform.current = true;
    setAuto(platform);
    void (async () => {
      try {
        const p = await api<Platforms>('/api/session/platforms');
        if (platform === 'wecom') {
          if (!p.wecom) throw new PlatformFailure('督办系统尚未开通企业微信自动登录。');
          window.location.assign(wecomStartUrl(next));
          return; // the page leaves for WeCom's authorisation and comes back signed in
        }
        if (!p.dingtalk) throw new PlatformFailure('督办系统尚未开通钉钉自动登录。');
        const m = await signInWithDingTalk(p.dingtalk);
        setMe(m);
        navigate(next, { replace: true });
      } catch (e) {
        const notRegistered = e instanceof ApiError && e.code === 'SESSION.NOT_REGISTERED';
        setFailure({
          platform,
          title: notRegistered ? `您的${PLATFORM_NAMES[platform]}账号还没有登记到督办系统` : `未能通过${PLATFORM_NAMES[platform]}自动登录`,
          text: notRegistered ? NOT_REGISTERED_TEXT : e instanceof PlatformFailure ? e.message : messageOf(e),
          retry: !notRegistered,
          userId: notRegistered ? (/用户ID：([^）]+)）/.exec(e.message)?.[1] ?? null) : null,
        });
        setAuto(null);
      }
    })();
  }, [me, code, wecomReturn, place.search, rawNext, next, setMe]);

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

  const retryPlatform = () => {
    if (!failure) return;
    if (failure.platform === 'wecom') {
      window.location.assign(wecomStartUrl(next));
      return;
    }
    triedPlatform.current = false;
    setFailure(null);
    // Back to this page without the failure: the effect above tries again.
    navigate(`/登录?next=${encodeURIComponent(next)}&dd=1`, { replace: true });
  };

  const frame = (children: ReactNode) => (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, boxSizing: 'border-box' }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Typography.Title level={3} style={{ color: '#b71c1c', marginTop: 0 }}>
          督查督办
        </Typography.Title>
        {children}
      </Card>
    </div>
  );

  if (auto)
    return frame(
      <div style={{ textAlign: 'center', padding: 24 }}>
        <Spin />
        <p>正在通过{PLATFORM_NAMES[auto]}登录，无需输入密码…</p>
      </div>,
    );

  // Not registered (or not a member): nothing to type here — whom to ask and what to give them.
  if (failure && !failure.retry)
    return frame(
      <Result
        status="info"
        title={failure.title}
        subTitle={failure.text}
        style={{ padding: '16px 0' }}
        extra={
          failure.userId ? (
            <div>
              您的{PLATFORM_NAMES[failure.platform]}用户ID：
              <Typography.Text code copyable={{ tooltips: ['复制', '已复制'] }}>
                {failure.userId}
              </Typography.Text>
            </div>
          ) : undefined
        }
      />,
    );

  return frame(
    <>
      {code && busy && (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
          <p>正在通过登录链接登录…</p>
        </div>
      )}
      {failure && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={failure.title}
          description={
            <>
              <div>{failure.text}</div>
              <div style={{ marginTop: 8 }}>也可以在{PLATFORM_NAMES[failure.platform]}里向督办机器人发送「/登录」，点开回复的链接登录；或在下面输入令牌。</div>
              <Button size="small" style={{ marginTop: 8 }} onClick={retryPlatform}>
                重新用{PLATFORM_NAMES[failure.platform]}登录
              </Button>
            </>
          }
        />
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
          {!failure && (
            <Typography.Paragraph type="secondary">
              在钉钉或企业微信里打开督办系统会自动登录。也可以向督办机器人发送「/登录」，点开回复的链接即可登录（链接 10
              分钟内有效，只能用一次）。管理员也可以输入令牌登录。
            </Typography.Paragraph>
          )}
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
    </>,
  );
}
