/**
 * Configuration is read and checked once, at boot (STYLE: nothing else reads process.env).
 * A bad value stops start-up with a sentence that names the variable.
 */
import { randomBytes } from 'node:crypto';

export interface AppConfig {
  port: number;
  databaseUrl: string;
  adminToken: string;
  /** true when DUBAN_ADMIN_TOKEN was not set and a one-off token was generated for this run. */
  adminTokenGenerated: boolean;
  demoSeed: boolean;
  numberPrefix: string;
  publicBaseUrl: string;
  /** null when DingTalk is not configured: the service runs without it. */
  dingtalk: DingTalkConfig | null;
  /** How often the outbox relay looks for due messages (ms). */
  outboxPollMs: number;
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
  return {
    port,
    databaseUrl,
    adminToken: given || randomBytes(24).toString('base64url'),
    adminTokenGenerated: !given,
    demoSeed: bool('DUBAN_DEMO_SEED', env.DUBAN_DEMO_SEED, true),
    numberPrefix,
    publicBaseUrl: (env.DUBAN_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dingtalk: loadDingTalk(env),
    outboxPollMs: positiveInt('DUBAN_OUTBOX_POLL_MS', env.DUBAN_OUTBOX_POLL_MS, 1000),
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
  if (!id || !secret) throw new ConfigError('DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET must be set together (the app\'s AppKey and AppSecret).');
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
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
