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
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
