import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setUpApp } from '../../src/app.setup';
import { FixedClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app.config';
import { createTestDatabase } from './test-db';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  clock: FixedClock;
  http: () => ReturnType<typeof request>;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * The whole service on its own fresh MariaDB database, migrated by the service itself as at `npm start`,
 * with a clock the test moves. `overrides` swaps a provider for a test double of a real class (fault injection).
 */
export async function startTestApp(
  opts: { now?: Date; overrides?: { provide: Type<unknown>; useClass: Type<unknown> }[]; database?: 'mariadb' | 'sqlite' } = {},
): Promise<TestApp> {
  // CI runs everything on MariaDB; a few suites also run on the embedded SQLite file `npm start` uses.
  const database =
    opts.database === 'sqlite'
      ? { url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'duban-test-')), 'duban.sqlite')}`, drop: async () => undefined }
      : await createTestDatabase();
  const clock = new FixedClock(opts.now ?? new Date('2026-03-02T01:00:00Z'));
  const config = loadConfig({ DATABASE_URL: database.url, DUBAN_ADMIN_TOKEN: ADMIN_TOKEN, DUBAN_DEMO_SEED: 'false' });
  let builder = Test.createTestingModule({ imports: [AppModule.register(config, clock)] });
  for (const o of opts.overrides ?? []) builder = builder.overrideProvider(o.provide).useClass(o.useClass);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  setUpApp(app);
  await app.init();
  return {
    app,
    db: app.get(DataSource),
    clock,
    http: () => request(app.getHttpServer()),
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
