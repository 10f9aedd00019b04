import { applyUpdate, clickableKeys } from './cards';
import type { Answer, CallbackSender } from './callback-sender';
import type { FakeContext } from './context';
import { CallbackCrypto } from './crypto';
import { isPlainObject } from './errors';
import { appCardEventXml, appEnvelope, appTextXml, msgId64 } from './people';
import type { AgentConfig, CardRecord } from './types';
import { parseXml } from './xml';

/**
 * A self-built app's callbacks: what a member types in the app's own chat and clicks on the app's cards, as
 * encrypted XML POSTed to the app's URL (receiveid = corpid), and the URL verification GET.
 * A passive reply in the answer takes effect: `update_button` (ReplaceName) or `update_template_card` on the clicked
 * card, `text` / `markdown` to the member.
 */
export class AppCallbacks {
  readonly urls = new Map<number, string>();

  constructor(
    private readonly ctx: FakeContext,
    private readonly sender: CallbackSender,
  ) {
    for (const a of ctx.opts.agents) if (a.callbackUrl) this.urls.set(a.agentId, a.callbackUrl);
  }

  agent(agentId: number): AgentConfig {
    const agent = this.ctx.opts.agents.find((a) => a.agentId === agentId);
    if (!agent) throw new Error(`fake WeCom: no app ${agentId}`);
    return agent;
  }

  url(agentId: number): string {
    const url = this.urls.get(agentId);
    if (!url) throw new Error(`fake WeCom: app ${agentId} has no callback URL (setAppCallbackUrl)`);
    return url;
  }

  crypto(agent: AgentConfig): CallbackCrypto {
    return new CallbackCrypto(agent.token, agent.encodingAESKey, this.ctx.opts.corpId);
  }

  text(p: { agentId: number; userId: string; text: string; msgId?: string }): Promise<Answer & { msgId: string }> {
    const agent = this.agent(p.agentId);
    const msgId = p.msgId ?? msgId64();
    const xml = appTextXml(this.ctx, { ...p, msgId });
    return this.post(agent, xml, (reply) => this.passiveReply(agent, p.userId, reply)).then((a) => ({ ...a, msgId }));
  }

  cardClick(p: { agentId: number; userId: string; taskId: string; eventKey: string }): Promise<Answer & { responseCode: string }> {
    const agent = this.agent(p.agentId);
    const card = this.ctx.cardBook.cards.get(p.taskId);
    if (!card || card.via !== 'app' || card.agentId !== p.agentId) throw new Error(`fake WeCom: app ${p.agentId} sent no card ${p.taskId}`);
    const to = card.touser.split('|');
    if (!to.includes(p.userId) && !to.includes('@all')) throw new Error(`fake WeCom: card ${p.taskId} was not sent to ${p.userId}`);
    if (!clickableKeys(card).includes(p.eventKey)) throw new Error(`fake WeCom: card ${p.taskId} has no button ${p.eventKey} to click`);
    const responseCode = this.ctx.cardBook.issueCode(card.taskId);
    const xml = appCardEventXml(this.ctx, card, { userId: p.userId, eventKey: p.eventKey, responseCode });
    return this.post(agent, xml, (reply) => this.passiveReply(agent, p.userId, reply, card)).then((a) => ({ ...a, responseCode }));
  }

  verify(agentId: number): Promise<Answer & { expected: string; ok: boolean }> {
    const agent = this.agent(agentId);
    return this.sender.verify('app', this.url(agentId), this.crypto(agent));
  }

  /** A POST whose msg_signature was not made with the app's token. Default body: a real-looking envelope. */
  forged(agentId: number, body?: string): Promise<Answer> {
    const agent = this.agent(agentId);
    const sealed = this.crypto(agent).seal(appTextXml(this.ctx, { agentId, userId: 'forger', text: '/办结 forged', msgId: msgId64() }), '0', '0');
    const xml = body ?? appEnvelope(this.ctx.opts.corpId, sealed.encrypt, agentId);
    return this.sender.forged('app', this.url(agentId), xml, 'text/xml');
  }

  private post(agent: AgentConfig, xml: string, onAnswer: (reply: string) => void): Promise<Answer> {
    return this.sender.deliver({
      kind: 'app',
      url: this.url(agent.agentId),
      plaintext: xml,
      crypto: this.crypto(agent),
      wrap: (encrypt) => ({ body: appEnvelope(this.ctx.opts.corpId, encrypt, agent.agentId), contentType: 'text/xml' }),
      onAnswer,
    });
  }

  /** Empty (or "success", unverified) = plain ack; else an encrypted XML reply. */
  private passiveReply(agent: AgentConfig, userId: string, text: string, card?: CardRecord): void {
    if (!text.trim() || text.trim() === 'success') return;
    const outer = parseXml(text);
    if (!outer || typeof outer.Encrypt !== 'string') throw new Error('passive reply is not encrypted XML');
    const inner = parseXml(this.crypto(agent).open(String(outer.MsgSignature), String(outer.TimeStamp), String(outer.Nonce), outer.Encrypt));
    if (!inner) throw new Error('passive reply plaintext is not XML');
    const now = this.ctx.clock();
    switch (inner.MsgType) {
      case 'update_button': {
        const name = isPlainObject(inner.Button) ? inner.Button.ReplaceName : undefined;
        if (card && typeof name === 'string') {
          applyUpdate(card, { at: now, via: 'passive-reply', replaceName: name, userids: [userId] });
          this.ctx.world.cardChanged(card.taskId);
        }
        break;
      }
      case 'update_template_card':
        if (card && isPlainObject(inner.TemplateCard)) {
          applyUpdate(card, { at: now, via: 'passive-reply', templateCard: inner.TemplateCard, userids: [userId] });
          this.ctx.world.cardChanged(card.taskId);
        }
        break;
      case 'text':
        this.ctx.world.toUser(userId, {
          via: 'app-passive-reply',
          agentId: agent.agentId,
          at: now,
          msgtype: 'text',
          text: { content: String(inner.Content ?? '') },
        });
        break;
      case 'markdown':
        this.ctx.world.toUser(userId, {
          via: 'app-passive-reply',
          agentId: agent.agentId,
          at: now,
          msgtype: 'markdown',
          markdown: { content: String(inner.Content ?? '') },
        });
        break;
      default:
        this.ctx.world.note({ kind: 'passive-reply-ignored', msgType: inner.MsgType });
    }
  }
}
