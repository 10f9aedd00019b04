import { randomBytes } from 'node:crypto';
import type { FakeContext } from './context';
import { seconds } from './context';
import { encrypt, nonce, signature, type CallbackCrypto } from './crypto';
import type { Timers } from './timers';
import type { CallbackAttempt } from './types';

const VERIFY_TIMEOUT_MS = 1000;

export interface Delivery {
  kind: 'app' | 'bot';
  url: string;
  plaintext: string;
  crypto: CallbackCrypto;
  /** The POST body around the ciphertext: XML envelope (apps) or {"encrypt"} (bot). */
  wrap: (encrypted: string) => { body: string; contentType: string };
  /** Called once with the first 200 answer, so a passive reply can take effect. */
  onAnswer?: (body: string) => void;
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * POSTs encrypted callbacks the way WeCom does: `?msg_signature&timestamp&nonce`, the receiver must answer HTTP 200
 * within callbackTimeoutMs, else the same request is sent again after callbackRetryDelayMs, three tries in all
 * (unverified: whether a retry is re-signed; the fake resends the identical request, so MsgId is the dedupe key).
 */
export class CallbackSender {
  constructor(
    private readonly ctx: FakeContext,
    private readonly timers: Timers,
  ) {}

  /** Resolves with the first attempt's answer; retries run on in the background. */
  async deliver(d: Delivery): Promise<Answer> {
    const timestamp = String(seconds(this.ctx));
    const n = nonce();
    const sealed = d.crypto.seal(d.plaintext, timestamp, n);
    const url = new URL(d.url);
    url.searchParams.set('msg_signature', sealed.signature);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', n);
    const { body, contentType } = d.wrap(sealed.encrypt);
    let answered = false;

    const attempt = async (number: number): Promise<Answer> => {
      const answer = await this.request(d, url.toString(), 'POST', number, body, contentType);
      if (answer.status === 200) {
        if (!answered) {
          answered = true;
          try {
            d.onAnswer?.(answer.body);
          } catch (e) {
            this.ctx.world.note({ kind: 'passive-reply-error', error: e instanceof Error ? e.message : String(e) });
          }
        }
      } else if (number < 3) {
        this.timers.later(this.ctx.opts.callbackRetryDelayMs, () => void attempt(number + 1));
      } else {
        this.ctx.world.drop({ reason: 'callback-given-up', callbackKind: d.kind, url: d.url, attempts: number, at: this.ctx.clock() });
      }
      return answer;
    };
    return attempt(1);
  }

  /**
   * URL verification: GET with an encrypted echostr; the receiver must answer the plaintext, nothing else (no quotes,
   * BOM or newline), within 1 s. `ok` says whether WeCom would have accepted the URL.
   */
  async verify(kind: 'app' | 'bot', urlText: string, crypto: CallbackCrypto): Promise<Answer & { expected: string; ok: boolean }> {
    const expected = randomBytes(8).readBigUInt64BE(0).toString(); // like the samples' 1616140317555161061
    const echostr = encrypt(crypto.encodingAESKey, expected, crypto.receiveId);
    const timestamp = String(seconds(this.ctx));
    const n = nonce();
    const url = new URL(urlText);
    url.searchParams.set('msg_signature', signature(crypto.token, timestamp, n, echostr));
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', n);
    url.searchParams.set('echostr', echostr);
    const answer = await this.request({ kind, url: urlText, plaintext: expected }, url.toString(), 'GET', 1, undefined, undefined, VERIFY_TIMEOUT_MS);
    return { ...answer, expected, ok: answer.status === 200 && answer.body === expected };
  }

  /** A POST signed with the wrong token: what a forger would send. */
  async forged(kind: 'app' | 'bot', urlText: string, body: string, contentType: string): Promise<Answer> {
    const url = new URL(urlText);
    const timestamp = String(seconds(this.ctx));
    const n = nonce();
    url.searchParams.set('msg_signature', signature('forged-token', timestamp, n, body));
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', n);
    return this.request({ kind, url: urlText, plaintext: body }, url.toString(), 'POST', 1, body, contentType);
  }

  private async request(
    d: Pick<Delivery, 'kind' | 'url' | 'plaintext'>,
    url: string,
    method: 'GET' | 'POST',
    number: number,
    body?: string,
    contentType?: string,
    timeoutMs = this.ctx.opts.callbackTimeoutMs,
  ): Promise<Answer> {
    const abort = new AbortController();
    const timer = this.timers.later(Math.min(timeoutMs, this.ctx.opts.callbackTimeoutMs), () => abort.abort());
    let answer: Answer;
    try {
      const res = await fetch(url, { method, body, headers: contentType ? { 'Content-Type': contentType } : {}, signal: abort.signal });
      answer = { status: res.status, body: await res.text() };
    } catch {
      answer = { status: 0, body: '' }; // no answer in time, or the receiver is not there
    } finally {
      this.timers.cancel(timer);
    }
    const record: CallbackAttempt = {
      kind: d.kind,
      url: d.url,
      method,
      attempt: number,
      plaintext: d.plaintext,
      status: answer.status,
      responseBody: answer.body,
      at: this.ctx.clock(),
    };
    this.ctx.world.callbacks.push(record);
    const { kind: callbackKind, ...rest } = record;
    this.ctx.world.note({ kind: 'callback', callbackKind, ...rest });
    return answer;
  }
}
