/**
 * npm run login-link -- 姓名   (DATABASE_URL and DUBAN_PUBLIC_URL as for the service; default the embedded SQLite file)
 * Prints a one-time console sign-in link for a person — what `/登录` sent to the bot answers — for a machine with no
 * DingTalk or WeCom at hand (the demo organisation after `npm start`). Single use, valid 10 minutes.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/app.data-source';
import { SessionService } from '../src/auth/session.service';
import { TokenService } from '../src/auth/token.service';
import { loadConfig } from '../src/config/app.config';
import { DirectoryCache } from '../src/org/directory-cache';
import { Person } from '../src/org/person.entity';
import { SystemClock } from '../src/shared/clock';

async function main(): Promise<number> {
  const name = process.argv.slice(2).join(' ').trim();
  const config = loadConfig({ ...process.env, DUBAN_ADMIN_TOKEN: process.env.DUBAN_ADMIN_TOKEN || 'login-link-script-placeholder' });
  const db = new DataSource({ ...dataSourceOptions(config.databaseUrl), migrationsRun: false, synchronize: false, logging: false });
  await db.initialize();
  try {
    const people = await db.getRepository(Person).find({ order: { id: 'ASC' } });
    if (!name) {
      console.error('用法：npm run login-link -- 姓名');
      console.error(`可选人员：${people.map((p) => p.name).join('、') || '（尚无人员：先运行 npm start 载入演示组织，或导入通讯录）'}`);
      return 2;
    }
    const person = people.find((p) => p.name === name);
    if (!person) {
      console.error(`没有名为「${name}」的人员。可选人员：${people.map((p) => p.name).join('、') || '（尚无人员）'}`);
      return 1;
    }
    if (!person.active) {
      console.error(`「${name}」已停用，不能登录；请管理员先在组织管理中启用。`);
      return 1;
    }
    const sessions = new SessionService(db, new TokenService(db, config, new SystemClock(), new DirectoryCache(db)), new SystemClock(), config);
    const link = sessions.loginLink(await sessions.issueLoginCode(person.id));
    console.log(`${person.name}的登录链接（10分钟内有效，只能使用一次）：`);
    console.log(link);
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
