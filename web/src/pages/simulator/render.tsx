import { Component, type ReactNode, useState } from 'react';
import { Button, Input, Tag } from 'antd';
import type { SimCard, SimClick, SimMessage, SimPlatform } from './types';

/** What a phone shows of each record the fakes keep (fakes/dingtalk robot-routes, card-routes; fakes/wecom message-routes, aibot-replies). */

export const COLORS: Record<SimPlatform, { main: string; header: string; mine: string; page: string; name: string }> = {
  dingtalk: { main: '#1677ff', header: '#1677ff', mine: '#d4e6ff', page: '#f2f4f7', name: '钉钉' },
  wecom: { main: '#07c160', header: '#2bae67', mine: '#a9ea7a', page: '#ededed', name: '企业微信' },
};

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** **bold**, ![alt](picture), [text](url) and WeCom's <@userid> / <font> inside one line. */
function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|<@([^>]+)>|<\/?font[^>]*>|!\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<strong key={`${key}-${n++}`}>{m[1]}</strong>);
    else if (m[2] !== undefined)
      out.push(
        <a key={`${key}-${n++}`} href={/^https?:\/\//.test(m[3]) ? m[3] : undefined} target="_blank" rel="noreferrer">
          {m[2]}
        </a>,
      );
    else if (m[4] !== undefined) out.push(<span key={`${key}-${n++}`} style={{ color: '#1677ff' }}>{`@${m[4]}`}</span>);
    // A picture in DingTalk markdown (the 通报's chart): shown as the phone shows it.
    else if (m[6] !== undefined)
      out.push(<img key={`${key}-${n++}`} src={m[6]} alt={m[5] || '图片'} style={{ display: 'block', maxWidth: '100%', margin: '4px 0' }} />);
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A small, safe markdown: headings, lists, bold, links; never HTML. */
export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/ {2}\n/g, '\n').split('\n');
  return (
    <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {lines.map((line, i) => {
        const h = /^#{1,6}\s+(.*)$/.exec(line);
        if (h)
          return (
            <div key={i} style={{ fontWeight: 600, fontSize: 15 }}>
              {inline(h[1], `h${i}`)}
            </div>
          );
        const li = /^\s*[-*]\s+(.*)$/.exec(line);
        if (li)
          return (
            <div key={i} style={{ paddingLeft: 12 }}>
              {['• ', ...inline(li[1], `l${i}`)]}
            </div>
          );
        if (line.startsWith('> '))
          return (
            <div key={i} style={{ color: '#888', borderLeft: '3px solid #ddd', paddingLeft: 6 }}>
              {inline(line.slice(2), `q${i}`)}
            </div>
          );
        return <div key={i}>{line ? inline(line, `p${i}`) : '\u00a0'}</div>;
      })}
    </div>
  );
}

const KIND_LABELS: Record<string, string> = {
  assignment: '交办',
  review: '办结审核',
  approval: '审定',
  decision: '待决定',
  extension: '延期申请',
};

interface DingButton {
  id: string;
  label: string;
  style?: string;
  input?: { key: string; placeholder?: string };
}

/** The interactive card as the demo template lays out its variables (README "Card template"). */
function DingCard({ card, me, onClick, busy }: { card: SimCard; me?: string; onClick: (c: Omit<SimClick, 'chatId'>) => void; busy: boolean }) {
  const p = card.params ?? {};
  const mine = me ? (card.privateParams?.[me] ?? {}) : {};
  const buttons = ((parseJson(mine.buttons ?? p.buttons ?? '[]') as DingButton[] | undefined) ?? []).filter((b) => b && b.id);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const rows: [string, string | undefined][] = [
    ['期限', p.deadline ? `${p.deadline}${p.timeLeft ? `（${p.timeLeft}）` : ''}` : undefined],
    ['主办', p.leadUnit],
    ['协办', p.coUnits],
    ['来源', p.source],
    ['申请延期至', p.proposed],
    ['申请状态', p.requestStatus],
    ['评定', p.rating],
    ['审核要点', p.criteria],
  ];
  return (
    <div data-card={card.id} style={{ background: '#fff', borderRadius: 8, overflow: 'hidden', border: '1px solid #e3e8ef', width: '100%' }}>
      <div style={{ background: '#e8f1ff', padding: '6px 10px', fontSize: 12, color: '#1677ff' }}>督办 · {KIND_LABELS[p.kind] ?? '卡片'}</div>
      <div style={{ padding: '8px 10px' }}>
        <div style={{ fontWeight: 600 }}>
          {p.number} {p.title}
        </div>
        {p.stateLabel && (
          <Tag color="blue" style={{ marginTop: 4 }} data-state>
            {p.stateLabel}
          </Tag>
        )}
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} style={{ fontSize: 13, marginTop: 2 }}>
              <span style={{ color: '#888' }}>{k}：</span>
              {v}
            </div>
          ))}
        {p.facts && <Markdown text={p.facts} />}
        {p.content && <div style={{ fontSize: 13, marginTop: 4, color: '#333' }}>办理要求：{p.content}</div>}
        {p.summary && <div style={{ fontSize: 13, marginTop: 4 }}>{p.summary}</div>}
        {p.detailUrl && (
          <a href={p.detailUrl} target="_blank" rel="noreferrer" style={{ fontSize: 13 }}>
            查看详情
          </a>
        )}
        {mine.notice && <div style={{ marginTop: 6, fontSize: 12, color: '#d46b08' }}>{mine.notice}</div>}
      </div>
      {buttons.length > 0 && (
        <div style={{ borderTop: '1px solid #eef1f5', padding: 8, display: 'flex', flexDirection: 'column', gap: 6 }}>
          {buttons.map((b) => (
            <div key={b.id} style={{ display: 'flex', gap: 6 }}>
              {b.input && (
                <Input
                  size="small"
                  aria-label={`${b.label}的输入框`}
                  placeholder={b.input.placeholder ?? '请输入'}
                  value={inputs[b.id] ?? ''}
                  onChange={(e) => setInputs({ ...inputs, [b.id]: e.target.value })}
                />
              )}
              <Button
                size="small"
                block={!b.input}
                type={b.style === 'primary' ? 'primary' : 'default'}
                danger={b.style === 'danger'}
                style={b.style === 'primary' ? { background: '#1677ff' } : undefined}
                disabled={busy}
                onClick={() => onClick({ cardId: card.id, action: b.id, input: b.input ? { [b.input.key]: inputs[b.id] ?? '' } : undefined })}
              >
                {b.label}
              </Button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** A WeCom template_card (button_interaction, text_notice …) as members see it now. */
function WeComCard({
  card,
  fallback,
  onClick,
  busy,
}: {
  card?: SimCard;
  fallback: Record<string, unknown>;
  onClick: (c: Omit<SimClick, 'chatId'>) => void;
  busy: boolean;
}) {
  const c = card?.templateCard ?? fallback;
  const title = obj(c.main_title);
  const buttons = card?.replacedName !== undefined ? [] : list(c.button_list);
  const id = card?.id ?? str(c.task_id);
  return (
    <div data-card={id} style={{ background: '#fff', borderRadius: 6, overflow: 'hidden', border: '1px solid #e5e5e5', width: '100%' }}>
      <div style={{ padding: '8px 10px' }}>
        <div style={{ fontSize: 12, color: '#888' }}>{str(obj(c.source).desc) || '督办'}</div>
        <div style={{ fontWeight: 600, marginTop: 2 }}>{str(title.title)}</div>
        {str(title.desc) && <div style={{ fontSize: 12, color: '#888' }}>{str(title.desc)}</div>}
        {str(c.sub_title_text) && <div style={{ fontSize: 13, marginTop: 6, whiteSpace: 'pre-wrap' }}>{str(c.sub_title_text)}</div>}
        {list(c.horizontal_content_list).map((h, i) => (
          <div key={i} style={{ fontSize: 13, marginTop: 2, display: 'flex', gap: 8 }}>
            <span style={{ color: '#888', minWidth: 56 }}>{str(h.keyname)}</span>
            {h.type === 1 ? (
              <a href={str(h.url)} target="_blank" rel="noreferrer">
                {str(h.value)}
              </a>
            ) : (
              <span data-state={str(h.keyname) === '状态' ? true : undefined}>{str(h.value)}</span>
            )}
          </div>
        ))}
      </div>
      {card?.replacedName !== undefined && (
        <div style={{ borderTop: '1px solid #eee', padding: 8, textAlign: 'center', color: '#999' }}>{card.replacedName}</div>
      )}
      {buttons.length > 0 && (
        <div style={{ borderTop: '1px solid #eee', padding: 8, display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          {buttons.map((b) => (
            <Button
              key={str(b.key) || str(b.text)}
              size="small"
              type={b.style === 1 ? 'primary' : 'default'}
              danger={b.style === 3}
              style={b.style === 1 ? { background: '#07c160' } : undefined}
              disabled={busy || b.type === 1}
              onClick={() => onClick({ cardId: id, action: str(b.key) })}
            >
              {str(b.text)}
            </Button>
          ))}
        </div>
      )}
      {c.card_type === 'text_notice' && obj(c.card_action).url !== undefined && (
        <div style={{ borderTop: '1px solid #eee', padding: 8, fontSize: 13 }}>
          <a href={str(obj(c.card_action).url)} target="_blank" rel="noreferrer">
            查看详情 ›
          </a>
        </div>
      )}
    </div>
  );
}

/** DingTalk robot and session messages: sampleMarkdown, sampleText, sampleActionCard, and custom-robot bodies. */
function DingBody({ body }: { body: Record<string, unknown> }) {
  if (typeof body.msgKey === 'string') {
    // The fake keeps msgParam parsed (robot-routes checkMessage); a string is parsed here.
    const p = obj(typeof body.msgParam === 'string' ? parseJson(body.msgParam) : body.msgParam);
    if (body.msgKey === 'sampleActionCard')
      return (
        <div style={{ background: '#fff', borderRadius: 8, border: '1px solid #e3e8ef', overflow: 'hidden', width: '100%' }}>
          <div style={{ padding: '8px 10px' }}>
            <Markdown text={str(p.text)} />
          </div>
          <div style={{ borderTop: '1px solid #eef1f5', padding: 8, textAlign: 'center' }}>
            <a href={str(p.singleURL)} target="_blank" rel="noreferrer">
              {str(p.singleTitle) || '查看详情'}
            </a>
          </div>
        </div>
      );
    if (body.msgKey === 'sampleMarkdown') return <Markdown text={str(p.text)} />;
    return <Markdown text={str(p.content ?? p.text ?? JSON.stringify(p))} />;
  }
  const part = obj(body[str(body.msgtype)]);
  if (body.msgtype === 'actionCard')
    return (
      <div>
        <Markdown text={str(part.text)} />
        {list(part.btns).map((b, i) => (
          <div key={i}>
            <a href={str(b.actionURL)}>{str(b.title)}</a>
          </div>
        ))}
      </div>
    );
  return <Markdown text={str(part.text ?? part.content)} />;
}

function WeComBody({ body }: { body: Record<string, unknown> }) {
  const type = str(body.msgtype);
  const part = obj(body[type]);
  if (type === 'image') return <span style={{ color: '#888' }}>[图片]</span>;
  if (type === 'file') return <span style={{ color: '#888' }}>[文件]</span>;
  if (type === 'textcard') return <Markdown text={`**${str(part.title)}**\n${str(part.description)}`} />;
  return <Markdown text={str(part.content ?? obj(body.stream).content)} />;
}

/** A line for the chat list: what the last message says. */
export function preview(m: SimMessage): string {
  if (m.from === 'person') return `${m.sender?.name ?? ''}：${m.body.msgtype === 'click' ? `点击了「${str(m.body.label)}」` : str(obj(m.body.text).content)}`;
  if (m.cardId || m.body.msgtype === 'template_card' || m.body.msgKey === 'sampleActionCard') return '[卡片]';
  const p = m.body.msgKey ? obj(typeof m.body.msgParam === 'string' ? parseJson(m.body.msgParam) : m.body.msgParam) : obj(m.body[str(m.body.msgtype)]);
  return str(p.title ?? p.content ?? p.text ?? obj(m.body.stream).content).slice(0, 40);
}

export function isCardMessage(m: SimMessage, platform: SimPlatform): boolean {
  return !!m.cardId || (platform === 'wecom' && m.body.msgtype === 'template_card') || m.body.msgKey === 'sampleActionCard';
}

/** One message in a chat pane: the bot on the left, a person on the right, a click as a note in the middle. */
export function MessageView(props: {
  message: SimMessage;
  platform: SimPlatform;
  card?: SimCard;
  me?: string;
  busy: boolean;
  onClick: (c: Omit<SimClick, 'chatId'>) => void;
}) {
  const { message: m, platform, card } = props;
  const colors = COLORS[platform];
  const time = m.at.slice(5, 16).replace('T', ' ');
  if (m.from === 'person' && m.body.msgtype === 'click') {
    const input = Object.values(obj(m.body.input)).map(str).filter(Boolean);
    return (
      <div style={{ textAlign: 'center', fontSize: 12, color: '#999', margin: '6px 0' }}>
        {m.sender?.name} 点击了「{str(m.body.label)}」{input.length ? `，填写：${input.join('；')}` : ''} · {time}
      </div>
    );
  }
  const mine = m.from === 'person';
  const wide = isCardMessage(m, platform);
  let content: ReactNode;
  if (mine) content = <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{str(obj(m.body.text).content)}</div>;
  else if (platform === 'dingtalk' && card) content = <DingCard card={card} me={props.me} onClick={props.onClick} busy={props.busy} />;
  else if (platform === 'wecom' && m.body.msgtype === 'template_card')
    content = <WeComCard card={card} fallback={obj(m.body.template_card)} onClick={props.onClick} busy={props.busy} />;
  else if (platform === 'dingtalk') content = <DingBody body={m.body} />;
  else content = <WeComBody body={m.body} />;
  const avatar = (
    <div
      style={{
        width: 30,
        height: 30,
        flex: '0 0 30px',
        borderRadius: platform === 'dingtalk' ? '50%' : 4,
        background: mine ? '#8c8c8c' : colors.main,
        color: '#fff',
        fontSize: 13,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
      }}
    >
      {mine ? (m.sender?.name ?? '我').slice(0, 1) : '督'}
    </div>
  );
  return (
    <div
      data-seq={m.seq}
      data-from={m.from}
      style={{ display: 'flex', flexDirection: mine ? 'row-reverse' : 'row', gap: 6, margin: '8px 0', alignItems: 'flex-start' }}
    >
      {avatar}
      <div
        style={{
          maxWidth: wide ? '88%' : '78%',
          minWidth: wide ? '78%' : undefined,
          display: 'flex',
          flexDirection: 'column',
          alignItems: mine ? 'flex-end' : 'flex-start',
        }}
      >
        <div style={{ fontSize: 11, color: '#999', marginBottom: 2 }}>
          {mine ? m.sender?.name : '督办助手'} · {time}
        </div>
        {wide ? (
          content
        ) : (
          <div
            className="sim-bubble"
            style={{
              background: mine ? colors.mine : '#fff',
              padding: '6px 10px',
              borderRadius: platform === 'dingtalk' ? 10 : 4,
              fontSize: 14,
              lineHeight: 1.5,
              boxShadow: '0 1px 1px rgba(0,0,0,0.04)',
            }}
          >
            {content}
          </div>
        )}
      </div>
    </div>
  );
}

/** One message the page cannot draw shows as a line saying so, instead of taking the whole page down. */
export class MessageBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <div style={{ color: '#999', fontSize: 12, margin: '6px 0' }}>（这条消息无法显示）</div> : this.props.children;
  }
}
