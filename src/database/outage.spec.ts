import { DatabaseTimeoutError, isDatabaseUnavailable, OutageLog, withDatabaseTimeout } from './outage';

describe('a database outage is told apart from other failures', () => {
  it.each([
    ['connect refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' })],
    ['connection lost', Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' })],
    ['closed connection', new Error("Can't add new command when connection is in closed state")],
    ['wrapped by TypeORM', { message: 'Query failed', driverError: { code: 'ER_SERVER_SHUTDOWN', errno: 1053 } }],
    ['gone away by errno', { message: 'x', errno: 2006 }],
    ['our own timeout', new DatabaseTimeoutError(2000)],
  ])('%s is the database being away', (_, e) => expect(isDatabaseUnavailable(e)).toBe(true));

  it.each([
    ['a duplicate key', { message: 'Duplicate entry', code: 'ER_DUP_ENTRY', errno: 1062 }],
    ['a deadlock', { message: 'Deadlock found', code: 'ER_LOCK_DEADLOCK', errno: 1213 }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not', (_, e) => expect(isDatabaseUnavailable(e)).toBe(false));

  it('an outage is logged once, then sparingly, and once when the database is back', () => {
    const lines: string[] = [];
    const log = new OutageLog({ warn: (m: string) => lines.push(m), log: (m: string) => lines.push(m) } as never, 'test');
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 100; i++) expect(log.failed(down)).toBe(true);
    expect(log.failed(new Error('a bug'))).toBe(false);
    log.succeeded();
    log.succeeded();
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(['database_unavailable', 'database_available_again']);
    expect(JSON.parse(lines[1]).notLogged).toBe(99);
  });

  it('a query that does not answer in time is a DatabaseTimeoutError', async () => {
    await expect(withDatabaseTimeout(new Promise(() => undefined), 10)).rejects.toBeInstanceOf(DatabaseTimeoutError);
    await expect(withDatabaseTimeout(Promise.resolve(1), 1000)).resolves.toBe(1);
  });
});
