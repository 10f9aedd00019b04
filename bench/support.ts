import { createConnection } from 'mysql2/promise';

export const BENCH_SERVER = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/** KEEP=1 (any value but empty or 0): the benches leave their databases behind, to look at afterwards. */
export const KEEP = Boolean(process.env.KEEP) && process.env.KEEP !== '0';

/**
 * A fresh utf8mb4 database for one benchmark run; `pool` sets the service's connection pool. `drop()` drops it —
 * or, with KEEP=1, says where it stays — and always closes the admin connection, or the bench would never exit.
 */
export async function benchDatabase(prefix: string, pool: number): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const u = new URL(BENCH_SERVER);
  const name = `${prefix}_${Date.now()}`;
  const admin = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  u.pathname = `/${name}`;
  u.searchParams.set('pool', String(pool));
  return {
    name,
    url: u.toString(),
    drop: async () => {
      try {
        if (KEEP) console.log(`[bench] KEEP=1: database ${name} kept`);
        else await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await admin.end();
      }
    },
  };
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
