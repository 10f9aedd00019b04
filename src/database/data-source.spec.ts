import { connectionOptions } from './data-source';

describe('connectionOptions (DATABASE_URL → TypeORM)', () => {
  it('issue 17: MySQL/MariaDB without a stack trace per query; ?socket= names the Unix socket, ?pool= the pool size', () => {
    const o = connectionOptions('mysql://root@localhost/duban?socket=/run/mysqld/mysqld.sock&pool=4', []) as unknown as Record<string, unknown>;
    expect(o).toMatchObject({ type: 'mysql', database: 'duban', trace: false, socketPath: '/run/mysqld/mysqld.sock', extra: { connectionLimit: 4 } });
    // Several statements in one round trip (a chat event's writes and its COMMIT).
    expect(o).toMatchObject({ multipleStatements: true });
    expect(connectionOptions('mysql://root@127.0.0.1:3306/duban', [])).not.toHaveProperty('socketPath');
  });
});
