import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 15: the console (web/dist) is served at / by the service itself; client routes fall back to index.html, the service's own paths keep their JSON 404. */
describe('the console at /', () => {
  let t: TestApp;
  const dist = mkdtempSync(join(tmpdir(), 'duban-web-'));
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>督办</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    t = await startTestApp({ database: 'sqlite', webDist: dist });
  });
  afterAll(() => t.close());

  it('serves index.html at / and at client routes, never cached', async () => {
    for (const path of ['/', '/ledger', '/items/DB2026-0001', `/${encodeURIComponent('登录')}?code=abc`, `/${encodeURIComponent('台账')}`]) {
      const r = await t.http().get(path).set('Accept', 'text/html').expect(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.text).toContain('<div id="root">');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long cache; a missing asset is a 404, not the page', async () => {
    const r = await t.http().get('/assets/index-AbC123.js').expect(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http().get('/assets/index-gone.js').expect(404);
    await t.http().get('/favicon.ico').expect(404);
  });

  it('sends the scripts gzip-compressed to a browser that accepts it, and plain to one that does not', async () => {
    const gz = await t.http().get('/assets/index-AbC123.js').set('Accept-Encoding', 'gzip, deflate, br').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['vary']).toMatch(/Accept-Encoding/);
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.text).toBe('console.log(1)'); // supertest inflates it
    const plain = await t.http().get('/assets/index-AbC123.js').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('console.log(1)');
  });

  it('no file outside web/dist is reachable', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json']) {
      const r = await t.http().get(path);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain('"name"');
    }
  });

  it('leaves /api, /public, /m, /callbacks, /health and /docs to the service (JSON 404, not the page)', async () => {
    for (const path of ['/api/nothing-here', '/public/nothing', '/m/nothing', '/callbacks/nothing', '/health/nothing', '/docs/nothing']) {
      const r = await t.http().get(path).set('Accept', 'text/html');
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(r.body.code).toBeDefined();
    }
    await t.http().get('/health').expect(200);
  });

  it('a POST to a client route is not answered with the page', async () => {
    const r = await t.http().post('/ledger').send({});
    expect(r.status).toBe(404);
  });
});

describe('the console not built yet', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: 'sqlite', webDist: join(mkdtempSync(join(tmpdir(), 'duban-web-')), 'missing') });
  });
  afterAll(() => t.close());

  it('/ says in Chinese how to build it', async () => {
    const r = await t.http().get('/').set('Accept', 'text/html');
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(r.text).toContain('控制台尚未构建，请运行 npm run build:web');
  });
});
