import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import type { SimulatorPort } from '../../src/demo/simulator.port';
import { setUpApp } from '../../src/app.setup';
import { Clock, FixedClock, OffsetClock } from '../../src/shared/clock';
import { awakeAllDay } from './awake';
import { loadConfig } from '../../src/config/app.config';
import { createMigratedTestDatabase, createTestDatabase } from './test-db';
import { lap } from './timings';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  /** The fixed clock (unless the test brought its own). */
  clock: FixedClock;
  /** Base URL when started with `listen`. */
  url: string;
  databaseUrl: string;
  http: () => ReturnType<typeof request>;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * The whole service on its own fresh MariaDB database, migrated by the service itself as at `npm start`,
 * with a clock the test moves. `overrides` swaps a provider for a test double of a real class (fault injection).
 */
export async function startTestApp(
  opts: {
    now?: Date;
    /**
     * A clock of the test's own (e.g. an OffsetClock that follows real time, for tests that talk to the fakes). On an
     * OffsetClock the default policy's quiet hours and quiet days are switched off (awakeAllDay): what such a test
     * checks must not depend on the hour it runs.
     */
    clock?: Clock;
    overrides?: { provide: Type<unknown>; useClass: Type<unknown> }[];
    database?: 'mariadb' | 'sqlite';
    /** Extra configuration, as environment variables (DINGTALK_*, DUBAN_OUTBOX_POLL_MS…). */
    env?: Record<string, string>;
    /** Listen on a real port (for platform callbacks over real sockets). */
    listen?: boolean;
    /** Join another test app's database (a second service instance); it is not dropped by this one. */
    attachTo?: TestApp;
    /** An explicit database URL (e.g. on a private server the test kills); the test owns it, so it is not dropped. */
    databaseUrl?: string;
    /** Where the service logs (default: errors only, to the console) — e.g. a recorder a test counts lines in. */
    logger?: LoggerService;
    /** Where the built console is (issue 15; default web/dist of the repository). */
    webDist?: string;
    /** Issue 16: the demo's chat simulator (demo mode); without it its endpoints do not exist. */
    simulator?: SimulatorPort;
    /**
     * MariaDB only. By default ('template') the service starts on a copy of the schema the migrations build
     * (test-db.ts, built once per migration set) and its own migration run at start finds none pending; 'migrate'
     * starts on an empty database and the service migrates it from nothing, as a first deployment does. Migrating
     * took 3–5 s of every test file's start on a quiet machine (three times that under load); the copy about 1 s.
     * The migrations themselves are tested in test/database/migrations.test.ts, up and down on both databases.
     */
    schema?: 'migrate' | 'template';
  } = {},
): Promise<TestApp> {
  const started = Date.now();
  // CI runs everything on MariaDB; a few suites also run on the embedded SQLite file `npm start` uses.
  const database = opts.attachTo
    ? { url: opts.attachTo.databaseUrl, drop: async () => undefined }
    : opts.databaseUrl
      ? { url: opts.databaseUrl, drop: async () => undefined }
      : opts.database === 'sqlite'
        ? { url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'duban-test-')), 'duban.sqlite')}`, drop: async () => undefined }
        : opts.schema === 'migrate'
          ? await createTestDatabase()
          : await createMigratedTestDatabase();
  const fixed = new FixedClock(opts.now ?? new Date('2026-03-02T01:00:00Z'));
  const clock = opts.clock ?? fixed;
  const config = loadConfig({ DATABASE_URL: database.url, DUBAN_ADMIN_TOKEN: ADMIN_TOKEN, DUBAN_DEMO_SEED: 'false', DUBAN_REMINDER_TICK_MS: '0', ...opts.env });
  let builder = Test.createTestingModule({ imports: [AppModule.register(config, clock, { simulator: opts.simulator })] });
  for (const o of opts.overrides ?? []) builder = builder.overrideProvider(o.provide).useClass(o.useClass);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: opts.logger ?? ['error'] });
  setUpApp(app, { webDist: opts.webDist });
  if (opts.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const t: TestApp = {
    app,
    db: app.get(DataSource),
    clock: opts.clock instanceof FixedClock ? opts.clock : fixed,
    url: opts.listen ? await app.getUrl() : '',
    databaseUrl: database.url,
    http: () => request(app.getHttpServer()),
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
  if (opts.clock instanceof OffsetClock) await awakeAllDay(t);
  lap('service started on a fresh database, migrated', started);
  return t;
}
