import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { setUpApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app.config';
import { type OpenApiDocument, renderApiTypes } from './api-types.render';

/**
 * `npm run api:types`: web/src/api.gen.ts from the service's /api/docs-json. With a URL (`npm run api:types --
 * http://localhost:3000`) it reads that running service; without one it starts the service itself on a throwaway
 * SQLite file (no chat platform switched on), as test/http/api-types.test.ts compares it.
 */
export const API_GEN = join(__dirname, '..', 'web', 'src', 'api.gen.ts');

/**
 * The file's text for a document: rendered, then formatted as the repository's prettier formats web/ (format:check).
 * Prettier runs as its own process: its CommonJS entry loads itself by a dynamic import, which jest's CommonJS refuses.
 */
export function apiGenText(doc: OpenApiDocument): string {
  const prettier = join(__dirname, '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  return execFileSync(process.execPath, [prettier, '--stdin-filepath', API_GEN], { input: renderApiTypes(doc), encoding: 'utf8', cwd: join(__dirname, '..') });
}

async function documentFromUrl(base: string): Promise<OpenApiDocument> {
  const res = await fetch(`${base.replace(/\/+$/, '')}/api/docs-json`);
  if (!res.ok) throw new Error(`${base}/api/docs-json answered HTTP ${res.status}`);
  return (await res.json()) as OpenApiDocument;
}

async function documentFromOwnService(): Promise<OpenApiDocument> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-api-types-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'duban.sqlite')}`,
    DUBAN_ADMIN_TOKEN: 'api-types-0123456789',
    DUBAN_DEMO_SEED: 'false',
    DUBAN_REMINDER_TICK_MS: '0',
  });
  const app = await NestFactory.create(AppModule.register(config), { logger: ['error'] });
  setUpApp(app);
  await app.listen(0, '127.0.0.1');
  try {
    return await documentFromUrl(await app.getUrl());
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const doc = url ? await documentFromUrl(url) : await documentFromOwnService();
  writeFileSync(API_GEN, apiGenText(doc));
  console.log(`web/src/api.gen.ts: ${Object.keys(doc.components?.schemas ?? {}).length} schemas, ${Object.keys(doc.paths ?? {}).length} paths`);
}

if (require.main === module)
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
