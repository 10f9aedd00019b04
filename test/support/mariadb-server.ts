import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

const SERVER_BINARIES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'];
const INSTALL_BINARIES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/scripts/mariadb-install-db'];

/** Small InnoDB so a private server installs and starts in about a second (the data directory is ~80 MB). */
const SMALL = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M', '--innodb-data-file-path=ibdata1:4M:autoextend'];

const firstExisting = (paths: string[]): string => {
  const found = paths.find((p) => existsSync(p));
  if (!found) throw new Error(`none of ${paths.join(', ')} exists: install mariadb-server to run this test`);
  return found;
};

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Every server still running when the test process leaves is killed with it (a failed test must not leave one behind). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * A MariaDB server of the test's own: a fresh data directory, its own port on 127.0.0.1, socket and pid file, so a
 * test can kill it (SIGKILL, as a crash or a pulled plug would) and start it again on the same data (InnoDB recovery)
 * without touching the shared test server.
 */
export class PrivateMariaDb {
  private proc: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** The server URL (no database): `mariadb://root@127.0.0.1:<port>`. */
  get url(): string {
    return `mariadb://root@127.0.0.1:${this.port}`;
  }

  /** The URL of one database on it. */
  databaseUrl(name: string): string {
    return `${this.url}/${name}`;
  }

  static async start(): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'duban-mariadb-'));
    const install = spawnSync(
      firstExisting(INSTALL_BINARIES),
      ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArg(), ...SMALL],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (install.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr || install.stdout}`);
    }
    const server = new PrivateMariaDb(dir, await freePort());
    await server.launch();
    return server;
  }

  private async launch(): Promise<void> {
    const args = [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.dir, 'mysqld.sock')}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      `--log-error=${join(this.dir, 'error.log')}`,
      '--skip-name-resolve',
      '--performance-schema=OFF',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--max-connections=200',
      ...userArg(),
      ...SMALL,
    ];
    const proc = spawn(firstExisting(SERVER_BINARIES), args, { stdio: 'ignore' });
    this.proc = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`mariadbd exited at start:\n${this.errorLog().slice(-2000)}`);
      if (await this.answers()) return;
      if (Date.now() > deadline) throw new Error(`mariadbd did not answer on port ${this.port} within 30 s:\n${this.errorLog().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Whether the server answers a query now. */
  async answers(): Promise<boolean> {
    try {
      const c = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
      try {
        await c.query('SELECT 1');
        return true;
      } finally {
        await c.end().catch(() => undefined);
      }
    } catch {
      return false;
    }
  }

  /** A statement as root (e.g. CREATE DATABASE). */
  async query(sql: string): Promise<unknown> {
    const c = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      const [rows] = await c.query(sql);
      return rows;
    } finally {
      await c.end();
    }
  }

  /** A fresh utf8mb4 database on this server; its URL. */
  async createDatabase(name = `duban_outage_${process.pid}`): Promise<string> {
    await this.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return this.databaseUrl(name);
  }

  /** SIGKILL: no shutdown, no flush — the server is simply gone (connections see their sockets reset). */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      proc.kill('SIGCONT'); // a frozen server dies as soon as it runs again
      await exited;
    }
  }

  /** SIGSTOP: the server still holds its port and sockets but answers nothing (a hung host or a full disk looks like this). */
  freeze(): void {
    const pid = this.proc?.pid;
    this.proc?.kill('SIGSTOP');
    // The signal stops the server's threads a moment later, not at once: a query already on its way could still be
    // answered (seen once under load — /health said "up" right after the freeze). Wait until the kernel says stopped.
    const stopped = () => {
      try {
        return / T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^\d+ \(.*\)/, ''));
      } catch {
        return true;
      }
    };
    for (let i = 0; pid && i < 200 && !stopped(); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }

  /** SIGCONT after freeze(). */
  thaw(): void {
    this.proc?.kill('SIGCONT');
  }

  /** Start again on the same data directory and port (InnoDB crash recovery runs first). */
  async restart(): Promise<void> {
    if (this.proc) throw new Error('the private MariaDB is still running');
    await this.launch();
  }

  get alive(): boolean {
    return this.proc !== null;
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Kill the server and remove its data directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** mariadbd refuses to run as root unless told to. */
function userArg(): string[] {
  return process.getuid?.() === 0 ? ['--user=root'] : [];
}
