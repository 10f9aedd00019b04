import type { INestApplication } from '@nestjs/common';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { NextFunction, Request, Response } from 'express';

/** Where `npm run build:web` puts the console: web/dist of the repository (dist/ and src/ both sit one level below it). */
export const DEFAULT_WEB_DIST = resolve(__dirname, '..', 'web', 'dist');

/** The service's own paths: never answered with the console's page, so they keep their JSON 404. */
const SERVICE_PATHS = /^\/(api|public|m|callbacks|health|docs)(\/|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>督查督办</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3em auto; max-width: 36em; line-height: 1.7; padding: 0 1em">
<h1 style="font-size: 1.3em">督查督办</h1>
<p>控制台尚未构建，请运行 npm run build:web（或 npm start，它会先构建），然后刷新本页。</p>
<p>接口仍可使用：<a href="/api/docs">/api/docs</a>。</p>
</body></html>`;

/**
 * Issue 15: the console (web/dist, built by Vite) at / on the same origin as /api. Hashed files under /assets are
 * cached for a year; index.html is revalidated every time, so a new build shows at the next load. Client-side routes
 * (/登录, /台账, /items/DB2026-0001…) fall back to index.html, but only for GET/HEAD, outside the service's own paths,
 * and not for a missing file (a path whose last segment has a dot, or anything under /assets).
 */
export function serveConsole(app: INestApplication, dist: string = DEFAULT_WEB_DIST): void {
  const index = join(dist, 'index.html');
  const files = express.static(dist, {
    index: false,
    redirect: false,
    setHeaders: (res, path) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', path.startsWith(join(dist, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVICE_PATHS.test(req.path)) return next();
    if (sendGzipped(req, res, dist, gzipped)) return;
    files(req, res, () => {
      const last = req.path.slice(req.path.lastIndexOf('/') + 1);
      if (req.path.startsWith('/assets/') || last.includes('.')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (!existsSync(index)) {
        res.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
        return;
      }
      res.sendFile(index, { headers: { 'Content-Type': 'text/html; charset=utf-8' }, cacheControl: false, lastModified: true }, (err) => {
        if (err) next(err);
      });
    });
  });
}

const COMPRESSIBLE = /^\/assets\/[\w.-]+\.(js|css|svg)$/;
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

/**
 * The service has no compression middleware: the console's scripts (≈800 KB) are sent gzip-compressed (≈260 KB) to a
 * browser that accepts it, compressed once per file and kept in memory (hashed names: a file never changes).
 */
function sendGzipped(req: Request, res: Response, dist: string, cache: Map<string, { mtimeMs: number; body: Buffer }>): boolean {
  const m = COMPRESSIBLE.exec(req.path);
  if (!m || req.acceptsEncodings('gzip', 'identity') !== 'gzip') return false;
  const file = join(dist, req.path);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return false;
  }
  let hit = cache.get(file);
  if (!hit || hit.mtimeMs !== mtimeMs) {
    hit = { mtimeMs, body: gzipSync(readFileSync(file), { level: 9 }) };
    cache.set(file, hit);
  }
  res.setHeader('Content-Type', TYPES[m[1]]);
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', String(hit.body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : hit.body);
  return true;
}
