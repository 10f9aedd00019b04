import { DemoClock } from '../../src/shared/clock';
import { ADMIN_TOKEN, startTestApp } from '../support/test-app';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Issue 6 §6: the demo clock an admin moves or speeds up; absent in a normal service. */
describe('demo clock', () => {
  it('is refused when the service runs on a normal clock', async () => {
    const t = await startTestApp();
    try {
      const r = await t.http().post('/api/demo/clock').set(admin).send({ advanceMinutes: 60 }).expect(404);
      expect(r.body.code).toBe('DEMO.OFF');
    } finally {
      await t.close();
    }
  });

  it('moves forward (never back) and speeds up, for admins only', async () => {
    const clock = new DemoClock();
    const t = await startTestApp({ clock });
    try {
      const before = clock.now().getTime();
      const r = await t.http().post('/api/demo/clock').set(admin).send({ advanceMinutes: 600, speed: 1440 }).expect(200);
      expect(r.body.speed).toBe(1440);
      const after = clock.now().getTime();
      expect(after - before).toBeGreaterThanOrEqual(600 * 60_000);
      expect(after - before).toBeLessThan(600 * 60_000 + 1440 * 5_000); // at most 5 s of real time at ×1440
      await t.http().post('/api/demo/clock').set(admin).send({ advanceMinutes: -5 }).expect(400);
      await t.http().post('/api/demo/clock').send({ advanceMinutes: 5 }).expect(401);
    } finally {
      await t.close();
    }
  });
});
