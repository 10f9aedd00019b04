import { randomBytes } from 'node:crypto';
import { applyBotCardUpdate, applyBotReply, type BotOrigin } from './aibot-replies';
import type { Answer, CallbackSender } from './callback-sender';
import type { FakeContext, RouteTable } from './context';
import { forcedFailure } from './context';
import { CallbackCrypto } from './crypto';
import { badParam, isPlainObject, ok, wecomError } from './errors';

/**
 * The AI bot in API mode: messages and events POSTed as `{"encrypt"}` (receiveid ""), a passive reply in the answer
 * (`{encrypt, msgsignature, timestamp, nonce}`), and `response_url` for one later reply within an hour.
 */
export class AiBotHttp {
  private readonly responseUrls = new Map<string, { origin: BotOrigin; issuedAt: number; used: boolean }>();

  constructor(
    private readonly ctx: FakeContext,
    private readonly sender: CallbackSender,
  ) {}

  crypto(): CallbackCrypto {
    const bot = this.ctx.opts.aibot!;
    return new CallbackCrypto(bot.token, bot.encodingAESKey, '');
  }

  /** POST one message or event to the bot's callback URL. */
  deliver(url: string, body: Record<string, unknown>, origin: BotOrigin): Promise<Answer> {
    const full = { ...body };
    if (origin.kind === 'msg') {
      const code = randomBytes(24).toString('base64url');
      this.responseUrls.set(code, { origin, issuedAt: this.ctx.clock(), used: false });
      full.response_url = `${this.ctx.apiBase}/cgi-bin/aibot/response?response_code=${code}`;
    }
    return this.sender.deliver({
      kind: 'bot',
      url,
      plaintext: JSON.stringify(full),
      crypto: this.crypto(),
      wrap: (encrypt) => ({ body: JSON.stringify({ encrypt }), contentType: 'application/json' }),
      onAnswer: (text) => this.passiveReply(text, origin),
    });
  }

  /** An empty 200 is a plain ack; otherwise the encrypted JSON reply takes effect like a long-connection reply. */
  private passiveReply(text: string, origin: BotOrigin): void {
    if (!text.trim()) return;
    const outer: unknown = JSON.parse(text);
    if (!isPlainObject(outer) || typeof outer.encrypt !== 'string') throw new Error('passive reply without encrypt');
    const plain = this.crypto().open(String(outer.msgsignature), String(outer.timestamp), String(outer.nonce), outer.encrypt);
    const reply: unknown = JSON.parse(plain);
    const problem =
      isPlainObject(reply) && reply.response_type === 'update_template_card'
        ? applyBotCardUpdate(this.ctx, origin, reply, 'passive-reply')
        : applyBotReply(this.ctx, origin, reply, 'bot-passive-reply');
    if (problem) this.ctx.world.note({ kind: 'passive-reply-refused', problem });
  }

  routes(): RouteTable {
    return {
      // unverified: the errcode for a used or expired response_url.
      'POST /cgi-bin/aibot/response': (req) => {
        const forced = forcedFailure(this.ctx, req);
        if (forced) return forced;
        const entry = this.responseUrls.get(req.query.get('response_code') ?? '');
        if (!entry) return badParam(req.remoteAddress, 'response_code invalid');
        if (entry.used) return badParam(req.remoteAddress, 'response_code has been used');
        if (this.ctx.clock() - entry.issuedAt >= this.ctx.opts.responseUrlTtlMs) return badParam(req.remoteAddress, 'response_code expired');
        if (!isPlainObject(req.body)) return wecomError(47001, req.remoteAddress);
        if (req.body.msgtype !== 'markdown' && req.body.msgtype !== 'template_card') return wecomError(40008, req.remoteAddress);
        const problem = applyBotReply(this.ctx, entry.origin, req.body, 'bot-response-url');
        if (problem) return badParam(req.remoteAddress, problem);
        entry.used = true;
        return ok();
      },
    };
  }
}
