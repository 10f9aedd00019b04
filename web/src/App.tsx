import { lazy, Suspense, useEffect, useState } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { whenUnauthorized } from './api';
import { match, navigate, useLocation } from './router';
import { ROLE_LABELS, useSession } from './session';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const DeskPage = lazy(() => import('./pages/DeskPage'));
const LedgerPage = lazy(() => import('./pages/LedgerPage'));
const ItemPage = lazy(() => import('./pages/ItemPage'));

const MENU = [
  { key: '/', label: '工作台' },
  { key: '/台账', label: '台账' },
];

const LOGIN_PATHS = ['/登录', '/login'];

function signInHref(place: { path: string; search: URLSearchParams }): string {
  const here = place.path + (place.search.toString() ? `?${place.search}` : '');
  return here === '/' ? '/登录' : `/登录?next=${encodeURIComponent(here)}`;
}

export function App() {
  const place = useLocation();
  const { me, error, retry, setMe } = useSession();

  // A lost session (401 from any call): to sign-in, then back here.
  useEffect(() => {
    whenUnauthorized(() => {
      const l = window.location;
      if (LOGIN_PATHS.includes(decodeURIComponent(l.pathname))) return;
      setMe(null);
      const here = decodeURIComponent(l.pathname) + l.search;
      navigate(`/登录?next=${encodeURIComponent(here)}`, { replace: true });
    });
  }, [setMe]);

  const onLogin = LOGIN_PATHS.includes(place.path);
  useEffect(() => {
    if (me === null && !onLogin) navigate(signInHref(place), { replace: true });
  }, [me, onLogin, place]);

  if (error)
    return (
      <Result
        status="warning"
        title="暂时连不上督办服务"
        subTitle={error}
        extra={
          <Button type="primary" onClick={retry}>
            重试
          </Button>
        }
      />
    );
  if (onLogin) {
    document.title = '登录 · 督查督办';
    return (
      <Suspense fallback={<Loading />}>
        <LoginPage />
      </Suspense>
    );
  }
  if (!me) return <Loading />;
  return <Shell />;
}

function Loading() {
  return (
    <div style={{ padding: 80, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

function page(path: string) {
  if (path === '/') return <DeskPage />;
  if (path === '/台账' || path === '/ledger') return <LedgerPage />;
  const item = match('/items/:number', path);
  if (item) return <ItemPage number={item.number} />;
  return (
    <Result
      status="404"
      title="没有这个页面"
      subTitle="地址可能输错了，或页面已移动。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          回到工作台
        </Button>
      }
    />
  );
}

function Shell() {
  const place = useLocation();
  const { me, signOut } = useSession();
  const screens = Grid.useBreakpoint();
  const desk = screens.md !== false; // ≥ 768 px (until measured, assume the desk)
  const [drawer, setDrawer] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const selected = place.path === '/ledger' ? '/台账' : place.path;
  useEffect(() => {
    const item = match('/items/:number', place.path);
    const name = item ? `事项 ${item.number}` : (MENU.find((m) => m.key === selected)?.label ?? '');
    document.title = name ? `${name} · 督查督办` : '督查督办';
  }, [place.path, selected]);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={MENU}
      onClick={({ key }) => {
        setDrawer(false);
        navigate(key);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );
  const leave = async () => {
    setLeaving(true);
    try {
      await signOut();
    } finally {
      setLeaving(false);
      navigate('/登录', { replace: true });
    }
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {desk && (
        <Layout.Sider width={200} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 24px', fontWeight: 600, fontSize: 18, color: '#b71c1c' }}>督查督办</div>
          {menu}
        </Layout.Sider>
      )}
      {!desk && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={220} title="督查督办" styles={{ body: { padding: 0 } }}>
          {menu}
        </Drawer>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: desk ? '0 24px' : '0 12px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Space>
            {!desk && (
              <Button aria-label="打开菜单" onClick={() => setDrawer(true)}>
                菜单
              </Button>
            )}
            {!desk && <span style={{ fontWeight: 600, color: '#b71c1c' }}>督查督办</span>}
          </Space>
          <Space size={desk ? 'middle' : 'small'}>
            <Typography.Text strong>{me?.name}</Typography.Text>
            {desk && me && me.roles.length > 0 && <Typography.Text type="secondary">{me.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}</Typography.Text>}
            <Button onClick={leave} loading={leaving} disabled={leaving}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: desk ? 24 : 12 }}>
          <Suspense fallback={<Loading />}>{page(place.path)}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
