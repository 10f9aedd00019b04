/** The MySQL/MariaDB server the suite runs against; each test file creates and drops its own database there. */
export const TEST_SERVER_URL = (process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

export function serverUrl(): URL {
  const u = new URL(TEST_SERVER_URL);
  u.pathname = '';
  return u;
}

export function databaseUrl(name: string): string {
  const u = serverUrl();
  u.pathname = `/${name}`;
  return u.toString();
}
