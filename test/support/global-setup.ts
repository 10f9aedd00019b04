import { createConnection } from 'mysql2/promise';
import { serverUrl, TEST_SERVER_URL } from './db-url';

/** Runs once before the database tests: stop at once, in one sentence, if there is no server to test against. */
export default async function globalSetup(): Promise<void> {
  const u = serverUrl();
  try {
    const conn = await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      connectTimeout: 5000,
    });
    // Leftovers of an aborted earlier run: databases are named duban_t_<pid>_<n>; drop those whose process is gone.
    const [rows] = await conn.query("SHOW DATABASES LIKE 'duban\\_t\\_%'");
    for (const r of rows as Record<string, string>[]) {
      const name = Object.values(r)[0];
      const pid = Number(name.split('_')[2]);
      if (!alive(pid)) await conn.query(`DROP DATABASE \`${name}\``);
    }
    await conn.end();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `No MySQL/MariaDB server answers at ${TEST_SERVER_URL} (${reason}): start one (e.g. \`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd\`) or set TEST_DATABASE_URL, then run npm test again.`,
    );
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
