/**
 * Configuration is read and checked once, at boot (STYLE: nothing else reads process.env).
 * A bad value stops start-up with a sentence that names the variable.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface AppConfig {
  port: number;
  databaseUrl: string;
  adminToken: string;
  /** true when DUBAN_ADMIN_TOKEN was not set and a one-off token was generated for this run. */
  adminTokenGenerated: boolean;
  demoSeed: boolean;
  numberPrefix: string;
  publicBaseUrl: string;
  /** Issue 15: DUBAN_PUBLIC_URL was set (not the localhost default): chat messages may carry links into the console. */
  publicUrlGiven: boolean;
  /**
   * Issue 14: signs the 查看详情 links in chat (the item's mobile page, /m/items/…). DUBAN_LINK_SECRET, else derived from
   * DUBAN_ADMIN_TOKEN — with neither set, links made before a restart stop working after it.
   */
  linkSecret: string;
  /** null when DingTalk is not configured: the service runs without it. */
  dingtalk: DingTalkConfig | null;
  /** null when WeCom is not configured. */
  wecom: WeComConfig | null;
  /** How often the outbox relay looks for due messages (ms). */
  outboxPollMs: number;
  /** How often reminders are planned and dispatched (ms); 0 = off. */
  reminderTickMs: number;
  /** How long a relay owns the outbox rows it claimed; a crashed instance's rows come back after it. */
  outboxLeaseMs: number;
}

export interface WeComConfig {
  corpId: string;
  /** The self-built app (one-to-one cards to leaders, the app chat); null when only the AI bot is set up. */
  app: { agentId: number; secret: string; token: string; encodingAESKey: string } | null;
  /** The 智能机器人 (group @-commands and card clicks); null when only the app is set up. */
  bot: { botId: string; secret: string; mode: 'ws' | 'http'; token: string; encodingAESKey: string } | null;
  apiBase: string;
  aibotWsUrl: string;
  /** Issue 15: where WeCom's web authorisation page is (WECOM_OAUTH_BASE, https://open.weixin.qq.com; a fake in tests). */
  oauthBase: string;
}

export interface DingTalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  /** Interactive card template built in DingTalk's card builder; without it cards fall back to sampleActionCard. */
  cardTemplateId: string | null;
  mode: 'stream' | 'http';
  /** apiSecret for card callbacks over HTTP (x-ddpaas-signature); defaults to the app secret. */
  cardCallbackSecret: string;
  apiBase: string;
  oapiBase: string;
  corpId: string;
  /** Issue 15: the JSAPI (dingtalk.open.js) the console loads inside DingTalk for 免登 (DINGTALK_JSAPI_URL). */
  jsapiUrl: string;
}

export class ConfigError extends Error {}

const bool = (name: string, raw: string | undefined, dflt: boolean): boolean => {
  if (raw === undefined || raw === '') return dflt;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}".`);
  const databaseUrl = env.DATABASE_URL?.trim() || 'sqlite:./data/duban.sqlite';
  if (!/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with sqlite:, mysql:// or mariadb://, got "${databaseUrl.replace(/:[^:@/]*@/, ':***@')}".`);
  }
  const given = env.DUBAN_ADMIN_TOKEN?.trim();
  if (given !== undefined && given !== '' && given.length < 16) throw new ConfigError('DUBAN_ADMIN_TOKEN must be at least 16 characters long.');
  const numberPrefix = (env.DUBAN_NUMBER_PREFIX ?? 'DB').trim().toUpperCase();
  if (!/^[A-Z]{1,8}$/.test(numberPrefix)) throw new ConfigError(`DUBAN_NUMBER_PREFIX must be 1–8 Latin letters, got "${env.DUBAN_NUMBER_PREFIX}".`);
  const adminToken = given || randomBytes(24).toString('base64url');
  const linkSecret = env.DUBAN_LINK_SECRET?.trim();
  if (linkSecret !== undefined && linkSecret !== '' && linkSecret.length < 16) throw new ConfigError('DUBAN_LINK_SECRET must be at least 16 characters long.');
  return {
    port,
    databaseUrl,
    adminToken,
    linkSecret: linkSecret || createHmac('sha256', adminToken).update('duban item page links').digest('base64url'),
    adminTokenGenerated: !given,
    demoSeed: bool('DUBAN_DEMO_SEED', env.DUBAN_DEMO_SEED, true),
    numberPrefix,
    publicBaseUrl: (env.DUBAN_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, ''),
    publicUrlGiven: !!env.DUBAN_PUBLIC_URL?.trim(),
    dingtalk: loadDingTalk(env),
    wecom: loadWeCom(env),
    outboxPollMs: positiveInt('DUBAN_OUTBOX_POLL_MS', env.DUBAN_OUTBOX_POLL_MS, 1000),
    reminderTickMs: env.DUBAN_REMINDER_TICK_MS === '0' ? 0 : positiveInt('DUBAN_REMINDER_TICK_MS', env.DUBAN_REMINDER_TICK_MS, 60_000),
    outboxLeaseMs: positiveInt('DUBAN_OUTBOX_LEASE_MS', env.DUBAN_OUTBOX_LEASE_MS, 60_000),
  };
}

function positiveInt(name: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive whole number, got "${raw}".`);
  return n;
}

/** DingTalk is on when its app credentials are set; partial settings are a mistake worth stopping for. */
function loadDingTalk(env: NodeJS.ProcessEnv): DingTalkConfig | null {
  const id = env.DINGTALK_CLIENT_ID?.trim();
  const secret = env.DINGTALK_CLIENT_SECRET?.trim();
  if (!id && !secret) return null;
  if (!id || !secret) throw new ConfigError("DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET must be set together (the app's AppKey and AppSecret).");
  const mode = (env.DINGTALK_MODE ?? 'stream').trim();
  if (mode !== 'stream' && mode !== 'http') throw new ConfigError(`DINGTALK_MODE must be stream or http, got "${mode}".`);
  const url = (name: string, dflt: string) => {
    const v = (env[name] ?? dflt).trim().replace(/\/+$/, '');
    if (!/^https?:\/\//.test(v)) throw new ConfigError(`${name} must be an http(s) URL, got "${v}".`);
    return v;
  };
  return {
    clientId: id,
    clientSecret: secret,
    robotCode: env.DINGTALK_ROBOT_CODE?.trim() || id, // an app robot's robotCode is usually the app's own key
    cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID?.trim() || null,
    mode,
    cardCallbackSecret: env.DINGTALK_CARD_CALLBACK_SECRET?.trim() || secret,
    apiBase: url('DINGTALK_API_BASE', 'https://api.dingtalk.com'),
    oapiBase: url('DINGTALK_OAPI_BASE', 'https://oapi.dingtalk.com'),
    corpId: env.DINGTALK_CORP_ID?.trim() ?? '',
    jsapiUrl: url('DINGTALK_JSAPI_URL', 'https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.12/dingtalk.open.js'),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** WeCom is on when WECOM_CORP_ID is set, with the app, the AI bot, or both. */
function loadWeCom(env: NodeJS.ProcessEnv): WeComConfig | null {
  const corpId = env.WECOM_CORP_ID?.trim();
  const anySet = ['WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_BOT_ID', 'WECOM_BOT_SECRET'].some((k) => env[k]?.trim());
  if (!corpId) {
    if (anySet) throw new ConfigError('WECOM_CORP_ID must be set when any other WECOM_ variable is (the corp id, 企业ID).');
    return null;
  }
  const need = (name: string) => {
    const v = env[name]?.trim();
    if (!v) throw new ConfigError(`${name} must be set for WeCom.`);
    return v;
  };
  const aesKey = (name: string) => {
    const v = need(name);
    if (!/^[A-Za-z0-9+/]{43}$/.test(v)) throw new ConfigError(`${name} must be the 43-character EncodingAESKey from the WeCom admin console.`);
    return v;
  };
  const url = (name: string, dflt: string) => (env[name] ?? dflt).trim().replace(/\/+$/, '');
  const app = env.WECOM_AGENT_ID?.trim()
    ? { agentId: Number(need('WECOM_AGENT_ID')), secret: need('WECOM_SECRET'), token: need('WECOM_TOKEN'), encodingAESKey: aesKey('WECOM_ENCODING_AES_KEY') }
    : null;
  if (app && !Number.isInteger(app.agentId)) throw new ConfigError("WECOM_AGENT_ID must be the app's numeric AgentId.");
  const mode = (env.WECOM_BOT_MODE ?? 'ws').trim();
  if (mode !== 'ws' && mode !== 'http') throw new ConfigError(`WECOM_BOT_MODE must be ws or http, got "${mode}".`);
  const bot = env.WECOM_BOT_ID?.trim()
    ? {
        botId: need('WECOM_BOT_ID'),
        secret: mode === 'ws' ? need('WECOM_BOT_SECRET') : (env.WECOM_BOT_SECRET?.trim() ?? ''),
        mode: mode as 'ws' | 'http',
        token: mode === 'http' ? need('WECOM_BOT_TOKEN') : (env.WECOM_BOT_TOKEN?.trim() ?? ''),
        encodingAESKey: mode === 'http' ? aesKey('WECOM_BOT_ENCODING_AES_KEY') : (env.WECOM_BOT_ENCODING_AES_KEY?.trim() ?? ''),
      }
    : null;
  if (!app && !bot) throw new ConfigError('WeCom needs WECOM_AGENT_ID (the self-built app) or WECOM_BOT_ID (the 智能机器人), or both.');
  return {
    corpId,
    app,
    bot,
    apiBase: url('WECOM_API_BASE', 'https://qyapi.weixin.qq.com'),
    aibotWsUrl: url('WECOM_AIBOT_WS_URL', 'wss://openws.work.weixin.qq.com'),
    oauthBase: url('WECOM_OAUTH_BASE', 'https://open.weixin.qq.com'),
  };
}
