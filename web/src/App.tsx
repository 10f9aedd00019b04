import { lazy, Suspense, useEffect, useState } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { type Me, whenUnauthorized } from './api';
import { ROUTES, type Route, visibleTo } from './routes';
import { match, navigate, useLocation } from './router';
import { ROLE_LABELS, useSession } from './session';

const LoginPage = lazy(() => import('./pages/LoginPage'));

/** The route answering this path, with its parameters (aliases included). */
function routeFor(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES)
    for (const p of [route.path, ...(route.aliases ?? [])]) {
      const params = match(p, path);
      if (params) return { route, params };
    }
  return null;
}

type MenuEntry = { key: string; label: string; children?: MenuEntry[] };

function menuFor(me: Me | null | undefined): MenuEntry[] {
  const entries: MenuEntry[] = [];
  for (const r of ROUTES) {
    if (!r.menu || !visibleTo(r, me)) continue;
    const entry = { key: r.path, label: r.menu };
    if (!r.group) {
      entries.push(entry);
      continue;
    }
    let group = entries.find((e) => e.key === `group:${r.group}`);
    if (!group) entries.push((group = { key: `group:${r.group}`, label: r.group, children: [] }));
    group.children!.push(entry);
  }
  return entries;
}

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

/** Who a page is for, in words: 「督查室、立项主体」; the administrator's own pages say 管理员. */
function audience(route: Route): string {
  return route.roles.length ? [...route.roles.map((r) => ROLE_LABELS[r] ?? r), '管理员'].join('、') : '管理员';
}

function page(path: string, me: Me | null | undefined) {
  const found = routeFor(path);
  if (found && !visibleTo(found.route, me)) {
    // Reached by its address without the role (an old link, a shared bookmark): say so, rather than a form that fails.
    const mine = me?.roles.length ? me.roles.map((r) => ROLE_LABELS[r] ?? r).join('、') : '未分配角色';
    return (
      <Result
        status="403"
        title="此页面不在您的职责范围内"
        subTitle={`此页面供${audience(found.route)}使用，您当前的身份是${mine}。如确需使用，请联系督查室或管理员调整您的角色。`}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            回到工作台
          </Button>
        }
      />
    );
  }
  if (found) {
    const Page = found.route.page;
    return <Page key={path} {...found.params} />;
  }
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
  const found = routeFor(place.path);
  const selected = found?.route.path ?? place.path;
  const items = menuFor(me);
  const groups = items.filter((e) => e.children).map((e) => e.key);
  useEffect(() => {
    const r = routeFor(place.path);
    const name = r?.params.number
      ? `${r.route.path.startsWith('/items') ? '事项' : (r.route.menu ?? ROUTES.find((x) => x.menu && r.route.path.startsWith(x.path))?.menu ?? '')} ${r.params.number}`
      : (r?.route.menu ?? '');
    document.title = name ? `${name} · 督查督办` : '督查督办';
  }, [place.path]);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={groups}
      items={items}
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
          <Suspense fallback={<Loading />}>{page(place.path, me)}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
