import { startTestApp, ADMIN_TOKEN, TestApp } from '../support/test-app';

/** `npm start` on an empty database: the demo organisation with sample items that fill the console's pages. */
describe('the demo organisation (npm start on an empty database)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: 'sqlite', now: new Date('2026-03-02T01:00:00Z'), env: { DUBAN_DEMO_SEED: 'true' } });
  });
  afterAll(() => t?.close());

  it('has items on the 台账 and a key task on the 挂图作战 wall shared by three units', async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const ledger = await t.http().get('/api/ledger').set(auth).expect(200);
    expect(ledger.body.total).toBe(3);
    const wall = await t.http().get('/api/wall?board=key_task').set(auth).expect(200);
    expect(JSON.stringify(wall.body)).toContain('建成城市数字经济产业园一期');
    expect(JSON.stringify(wall.body)).toContain('市住房城乡建设局');
  });
});
