import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OrgService } from '../../src/org/org.service';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** `npm run login-link -- 姓名`: a one-time sign-in link for a machine without DingTalk or WeCom (the demo after `npm start`). */
describe('the login-link script (issue 15)', () => {
  let t: TestApp;
  const script = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/login-link.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, DUBAN_PUBLIC_URL: 'http://duban.example.gov.cn' },
    });

  beforeAll(async () => {
    t = await startTestApp({ now: new Date() });
    await t.get(OrgService).createPerson({ name: '王督查', roles: [{ role: 'supervisor' }] });
  });
  afterAll(() => t?.close());

  it('prints a link that signs the person in once', async () => {
    const { stdout } = await script('王督查');
    expect(stdout).toContain('王督查的登录链接（10分钟内有效，只能使用一次）');
    const link = new URL(/https?:\/\/\S+/.exec(stdout)![0]);
    expect(link.origin).toBe('http://duban.example.gov.cn');
    expect(decodeURIComponent(link.pathname)).toBe('/登录');
    const code = link.searchParams.get('code')!;
    const first = await t.http().post('/api/session/link').send({ code });
    expect(first.status).toBe(200);
    expect(first.body.name).toBe('王督查');
    expect((await t.http().post('/api/session/link').send({ code })).status).toBe(401);
  }, 60_000);

  it('names the people there are when the name is unknown', async () => {
    const failed = await script('张三').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('没有名为「张三」的人员。可选人员：王督查');
  }, 60_000);
});
