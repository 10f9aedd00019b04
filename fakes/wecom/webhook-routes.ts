import { createHash } from 'node:crypto';
import type { FakeContext, RouteTable } from './context';
import { forcedFailure } from './context';
import { badParam, byteLength, isPlainObject, ok, wecomError } from './errors';
import { SlidingWindow } from './limits';

const LIMITS: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096 };

/**
 * Group webhook robots: `POST /cgi-bin/webhook/send?key=`, send-only, 20 messages a minute per robot (45009 past it:
 * unverified), unknown key → 93000 (unverified). A too-long markdown answers exactly like the real capture:
 * `markdown.content exceed max length 4096. invalid Request Parameter, hint: …`.
 */
export function webhookRoutes(ctx: FakeContext): RouteTable {
  const keys = new Set((ctx.opts.webhooks ?? []).map((w) => w.key));
  const window = new SlidingWindow(ctx.clock, 60_000);

  return {
    'POST /cgi-bin/webhook/send': (req) => {
      const ip = req.remoteAddress;
      const key = req.query.get('key') ?? '';
      if (!keys.has(key)) return wecomError(93000, ip);
      const forced = forcedFailure(ctx, req);
      if (forced) return forced;
      const b = req.body;
      if (!isPlainObject(b) || typeof b.msgtype !== 'string') return wecomError(47001, ip);
      const part = b[b.msgtype];
      if (!isPlainObject(part)) return badParam(ip, `${b.msgtype} missing`);
      switch (b.msgtype) {
        case 'text':
        case 'markdown':
        case 'markdown_v2':
          if (typeof part.content !== 'string' || !part.content) return wecomError(44004, ip);
          // unverified for text: whether it is cut or refused past 2048 bytes; the fake refuses like markdown.
          if (byteLength(part.content) > LIMITS[b.msgtype]) return badParam(ip, `${b.msgtype}.content exceed max length ${LIMITS[b.msgtype]}`);
          break;
        case 'news': {
          const n = Array.isArray(part.articles) ? part.articles.length : 0;
          if (n < 1 || n > 8) return badParam(ip, 'news.articles count must be 1..8');
          break;
        }
        case 'template_card':
          // Webhook cards carry no buttons: only the two notice kinds.
          if (part.card_type !== 'text_notice' && part.card_type !== 'news_notice') return badParam(ip, 'template_card.card_type invalid');
          break;
        case 'image': {
          // PLATFORMS.md: image{base64, md5} ≤ 2 MB, JPG or PNG. unverified: the errcodes for each refusal.
          if (typeof part.base64 !== 'string' || !part.base64 || typeof part.md5 !== 'string') return badParam(ip, 'image.base64 or image.md5 missing');
          const data = Buffer.from(part.base64, 'base64');
          if (data.length > 2 * 1024 * 1024) return wecomError(40009, ip, 'image size exceed max 2MB');
          if (createHash('md5').update(data).digest('hex') !== part.md5.toLowerCase()) return badParam(ip, 'image.md5 not match');
          const png = data.subarray(0, 4).toString('latin1') === '\x89PNG';
          if (!png && !(data[0] === 0xff && data[1] === 0xd8)) return badParam(ip, 'image must be JPG or PNG');
          break;
        }
        case 'file':
        case 'voice':
          break;
        default:
          return wecomError(40008, ip);
      }
      if (window.count(key) >= ctx.opts.webhookPerMinute) return wecomError(45009, ip);
      window.add(key);
      ctx.world.toWebhook(key, { via: 'webhook', at: ctx.clock(), ...b });
      return ok();
    },
  };
}
