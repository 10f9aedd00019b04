import { Button, Card, Dropdown, Space, Typography } from 'antd';
import { PRIMARY, type OfferedAction } from './actions';

/**
 * The buttons this person may press now: at the desk a row at the top of the page; on a phone a bar fixed to the bottom
 * of the screen with the main one or two and 更多 for the rest. Nothing at all for a person with nothing to do.
 */
export function ActionBar({ actions, phone, onPick }: { actions: OfferedAction[]; phone: boolean; onPick(a: OfferedAction): void }) {
  if (actions.length === 0) return null;
  if (!phone)
    return (
      <Card size="small" title="可办理" styles={{ body: { paddingBlock: 12 } }}>
        <Space wrap>
          {actions.map((a, i) => (
            <Button key={a.action} type={i === 0 ? 'primary' : 'default'} onClick={() => onPick(a)} title={a.hint}>
              {a.label}
            </Button>
          ))}
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {actions[0].hint}
        </Typography.Paragraph>
      </Card>
    );
  const main = [...actions].sort((x, y) => rank(x) - rank(y)).slice(0, actions.length > 2 ? 1 : 2);
  const rest = actions.filter((a) => !main.includes(a));
  return (
    <>
      {/* room for the bar, so it never hides the end of the page */}
      <div style={{ height: 64 }} />
      <div
        role="toolbar"
        aria-label="可办理"
        style={{
          position: 'fixed',
          left: 0,
          right: 0,
          bottom: 0,
          zIndex: 100,
          display: 'flex',
          gap: 8,
          padding: '10px 12px calc(10px + env(safe-area-inset-bottom))',
          background: '#fff',
          borderTop: '1px solid #f0f0f0',
          boxShadow: '0 -2px 8px rgba(0,0,0,0.06)',
        }}
      >
        {main.map((a, i) => (
          <Button key={a.action} size="large" type={i === 0 ? 'primary' : 'default'} style={{ flex: 1 }} onClick={() => onPick(a)}>
            {a.label}
          </Button>
        ))}
        {rest.length > 0 && (
          <Dropdown
            trigger={['click']}
            placement="topRight"
            menu={{ items: rest.map((a) => ({ key: a.action, label: a.label })), onClick: ({ key }) => onPick(rest.find((a) => a.action === key)!) }}
          >
            <Button size="large" style={{ flex: 1 }}>
              更多（{rest.length}）
            </Button>
          </Dropdown>
        )}
      </div>
    </>
  );
}

const rank = (a: OfferedAction) => {
  const i = PRIMARY.indexOf(a.action);
  return i < 0 ? PRIMARY.length : i;
};
