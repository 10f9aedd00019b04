import request from 'supertest';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 (defect 9, API part): hostile input on every HTTP entry point of the slice — oversized bodies, deeply nested
 * JSON, garbage, XML with a DOCTYPE, unknown content types and charsets, bad numeric query parameters. Each one is
 * refused with a 4xx and a Chinese `{ code, message }` (never a 500, never an English body-parser message), anonymous
 * requests before any expensive work, and the service still answers /health afterwards.
 */
const CJK = /[\u4e00-\u9fff]/;
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };

type Method = 'get' | 'post' | 'put';
interface Case {
  name: string;
  method: Method;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number | number[];
}

const big = (bytes: number) => JSON.stringify({ title: 'x'.repeat(bytes) });
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const DOCTYPE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>';

/** JSON entry points: anonymous and signed in (the admin token passes every role check). */
const JSON_ROUTES: { method: Method; path: string }[] = [
  { method: 'post', path: '/api/items' },
  { method: 'put', path: '/api/bulletins/TB2026-0001/draft' },
  { method: 'post', path: '/api/bulletins' },
  { method: 'post', path: '/api/import' },
  { method: 'post', path: '/api/accountability/clues' },
  { method: 'put', path: '/api/settings/deadline' },
];

function jsonCases(): Case[] {
  const out: Case[] = [];
  for (const r of JSON_ROUTES) {
    for (const [who, headers] of [
      ['anonymous', {}],
      ['admin', ADMIN],
    ] as const) {
      const h = (extra: Record<string, string>) => ({ ...headers, ...extra });
      const authed = who === 'admin';
      // The import takes uploads: an anonymous caller is refused there before the body is read at all.
      const st = (status: number | number[]): number | number[] => (!authed && r.path === '/api/import' && !Array.isArray(status) ? 401 : status);
      out.push(
        {
          name: `${who} ${r.method} ${r.path}: 3 MB of JSON`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: big(3 * 1024 * 1024),
          status: st(413),
        },
        {
          name: `${who} ${r.method} ${r.path}: arrays nested 5,000 deep`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: nested(5000),
          status: st(400),
        },
        {
          name: `${who} ${r.method} ${r.path}: objects nested 200 deep`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: nestedObject(200),
          status: st(400),
        },
        {
          name: `${who} ${r.method} ${r.path}: truncated JSON`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: '{"title": "推进',
          status: st(400),
        },
        {
          name: `${who} ${r.method} ${r.path}: binary garbage as JSON`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: '\u00ff\u00fe\u0000{\u0080\u0081garbage',
          status: st(400),
        },
        {
          name: `${who} ${r.method} ${r.path}: XML with a DOCTYPE`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/xml' }),
          body: DOCTYPE,
          status: st(authed ? 415 : [401, 415]),
        },
        {
          name: `${who} ${r.method} ${r.path}: unknown content type`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/x-evil' }),
          body: 'a=b',
          status: st(authed ? 415 : [401, 415]),
        },
        {
          name: `${who} ${r.method} ${r.path}: unsupported charset`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json; charset=ebcdic' }),
          body: '{}',
          status: st(415),
        },
        {
          name: `${who} ${r.method} ${r.path}: unknown content encoding`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json', 'Content-Encoding': 'br-evil' }),
          body: '{}',
          status: st(415),
        },
        {
          name: `${who} ${r.method} ${r.path}: a JSON string, not an object`,
          method: r.method,
          path: r.path,
          headers: h({ 'Content-Type': 'application/json' }),
          body: '"x"',
          status: st(authed ? 400 : [400, 401]),
        },
      );
    }
  }
  return out;
}

/** Numeric query parameters: every one is checked (400 with a Chinese sentence), never passed on as NaN. */
const QUERY_ROUTES = [
  '/api/people?unitId=',
  '/api/groups?unitId=',
  '/api/accountability/clues?unitId=',
  '/api/ledger?unitId=',
  '/api/items?unitId=',
  '/api/calendar/coverage?from=',
];
const BAD_NUMBERS = ['x', '1e999', '-1', '1.5', '99999999999999999999', '%00', '1;DROP%20TABLE%20item'];
function queryCases(): Case[] {
  return QUERY_ROUTES.flatMap((p) => BAD_NUMBERS.map((v) => ({ name: `GET ${p}${v}`, method: 'get' as const, path: `${p}${v}`, headers: ADMIN, status: 400 })));
}

/** Numeric path parameters (ids, years): the same rule. */
const PATH_ROUTES = ['/api/people/', '/api/accountability/documents/', '/api/scores/units/', '/api/items/by-id/'];
const BAD_IDS = ['x', '1e999', '99999999999999999999', '-1', '0x10', '1.5'];
function pathCases(): Case[] {
  return PATH_ROUTES.flatMap((p) =>
    BAD_IDS.map((v) => ({ name: `GET ${p}${v}`, method: 'get' as const, path: `${p}${encodeURIComponent(v)}`, headers: ADMIN, status: [400, 404] })),
  );
}

/** The public links and the raw upload: anonymous garbage. */
function otherCases(): Case[] {
  return [
    {
      name: 'anonymous 11 MB upload of an A2 document (refused before it is read)',
      method: 'post',
      path: '/api/accountability/clues/WZ2026-0001/documents',
      headers: { 'Content-Type': 'application/pdf' },
      body: Buffer.alloc(11 * 1024 * 1024, 1),
      status: 401,
    },
    {
      name: 'an 11 MB upload of an A2 document with a made-up token',
      method: 'post',
      path: '/api/accountability/clues/WZ2026-0001/documents',
      headers: { Authorization: 'Bearer made-up-token-0123456789', 'Content-Type': 'application/pdf' },
      body: Buffer.alloc(11 * 1024 * 1024, 1),
      status: 401,
    },
    {
      name: 'signed-in 11 MB upload of an A2 document',
      method: 'post',
      path: '/api/accountability/clues/WZ2026-0001/documents',
      headers: { ...ADMIN, 'Content-Type': 'application/pdf' },
      body: Buffer.alloc(11 * 1024 * 1024, 1),
      status: 413,
    },
    {
      name: 'anonymous 11 MB .xlsx upload',
      method: 'post',
      path: '/api/import',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
      body: Buffer.concat([Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'), Buffer.alloc(11 * 1024 * 1024, 1)]),
      status: 401,
    },
    {
      name: 'signed-in 11 MB .xlsx upload',
      method: 'post',
      path: '/api/import',
      headers: { ...ADMIN, 'Content-Type': 'multipart/form-data; boundary=x' },
      body: Buffer.concat([
        Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'),
        Buffer.alloc(11 * 1024 * 1024, 1),
        Buffer.from('\r\n--x--\r\n'),
      ]),
      status: 413,
    },
    {
      name: 'signed-in multipart cut off in the middle',
      method: 'post',
      path: '/api/import',
      headers: { ...ADMIN, 'Content-Type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK',
      status: 400,
    },
    {
      name: 'signed-in multipart with two files',
      method: 'post',
      path: '/api/import',
      headers: { ...ADMIN, 'Content-Type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\r\n--x\r\nContent-Disposition: form-data; name="other"; filename="b.xlsx"\r\n\r\nPK\r\n--x--\r\n',
      status: 400,
    },
    {
      name: 'signed-in multipart without a boundary',
      method: 'post',
      path: '/api/import',
      headers: { ...ADMIN, 'Content-Type': 'multipart/form-data' },
      body: 'garbage',
      status: 400,
    },
    { name: 'public page, a token of 5,000 characters', method: 'get', path: `/public/bulletins/${'A'.repeat(5000)}`, status: 404 },
    { name: 'public chart, a token with %00', method: 'get', path: '/public/bulletins/%00/chart.png', status: 404 },
    { name: 'public page, a token with a bad escape', method: 'get', path: '/public/bulletins/%E0%A4%A', status: [400, 404] },
    {
      name: 'health with a 3 MB JSON body',
      method: 'post',
      path: '/health',
      headers: { 'Content-Type': 'application/json' },
      body: big(3 * 1024 * 1024),
      status: 413,
    },
    {
      name: 'DingTalk callback, 3 MB of JSON',
      method: 'post',
      path: '/callbacks/dingtalk',
      headers: { 'Content-Type': 'application/json' },
      body: big(3 * 1024 * 1024),
      status: 413,
    },
    {
      name: 'DingTalk callback, arrays nested 5,000 deep',
      method: 'post',
      path: '/callbacks/dingtalk',
      headers: { 'Content-Type': 'application/json' },
      body: nested(5000),
      status: 400,
    },
    {
      name: 'WeCom app callback, 2 MB of XML',
      method: 'post',
      path: '/callbacks/wecom/app',
      headers: { 'Content-Type': 'text/xml' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x41),
      status: 413,
    },
  ];
}

describe('hostile input on the HTTP API is refused in Chinese, never with a 500 (issue 11, defect 9)', () => {
  let t: TestApp;
  let http: () => ReturnType<typeof request>;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
  });
  afterAll(() => t?.close());

  const cases = [...jsonCases(), ...queryCases(), ...pathCases(), ...otherCases()];

  it(`${cases.length} hostile requests: each a 4xx with a Chinese { code, message }`, async () => {
    const wrong: string[] = [];
    // What the service logs at ERROR meanwhile: a client's mistake is not the service's error (no stack at ERROR).
    const errors: string[] = [];
    const warnings: string[] = [];
    t.app.useLogger({ log: () => undefined, warn: (m: unknown) => void warnings.push(String(m)), error: (m: unknown) => void errors.push(String(m)) });
    for (const c of cases) {
      let req = http()[c.method](c.path);
      for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
      const res = c.body !== undefined ? await req.send(c.body) : await req;
      const allowed = Array.isArray(c.status) ? c.status : [c.status];
      const body = res.body as { code?: unknown; message?: unknown };
      const problems: string[] = [];
      if (!allowed.includes(res.status)) problems.push(`status ${res.status}, expected ${allowed.join('/')}`);
      if (typeof body?.code !== 'string' || typeof body?.message !== 'string') problems.push(`body ${String(res.text).slice(0, 120)}`);
      else if (!CJK.test(body.message) || /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/.test(body.message)) problems.push(`message not Chinese: ${body.message}`);
      if (problems.length) wrong.push(`${c.name}: ${problems.join('; ')}`);
    }
    expect(wrong).toEqual([]);
    expect(errors).toEqual([]);
    expect(warnings.some((w) => w.includes('bad_request_body'))).toBe(true); // the body-parser refusals, at WARN
    await http().get('/health').expect(200);
  });

  it('legitimate requests still pass: a JSON body of normal size with a charset, and an empty POST without a content type', async () => {
    await http()
      .put('/api/settings/deadline')
      .set(ADMIN)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{}')
      .expect((r) => expect(r.status).toBeLessThan(500));
    const r = await http().post('/api/bulletins/TB2026-0001/submit').set(ADMIN);
    expect(r.status).toBe(404);
    await http().get('/api/people?unitId=1').set(ADMIN).expect(200);
    await http().get('/api/groups').set(ADMIN).expect(200);
  });
});
