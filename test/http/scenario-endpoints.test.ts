import { ADMIN_TOKEN, startTestApp } from '../support/test-app';
import { StubSimulator } from '../support/stub-simulator';

/**
 * Issue 16 §5: the guided scenarios' endpoints exist only in demo mode (AppModule given a SimulatorPort), offer the
 * three scenarios with captions a visitor reads, and refuse in Chinese what cannot be played.
 */
describe('the demo scenario endpoints', () => {
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  it('do not exist without the port (404)', async () => {
    const t = await startTestApp();
    try {
      for (const path of ['/api/demo/scenarios', '/api/demo/scenarios/status', '/api/demo/scenarios/events']) await t.http().get(path).set(admin).expect(404);
      await t.http().post('/api/demo/scenarios/bulletin/start').set(admin).send({}).expect(404);
      await t.http().post('/api/demo/scenarios/stop').set(admin).send({}).expect(404);
    } finally {
      await t.close();
    }
  });

  it('with the port: the three scenarios, their progress, and refusals in Chinese', async () => {
    const t = await startTestApp({ simulator: new StubSimulator() });
    try {
      const list = (await t.http().get('/api/demo/scenarios').set(admin).expect(200)).body as { id: string; title: string; steps: string[] }[];
      expect(list.map((s) => s.id)).toEqual(['walk', 'overdue', 'bulletin']);
      const captions = list.flatMap((s) => [s.title, ...s.steps]);
      expect(captions.length).toBeGreaterThan(20);
      // What a visitor reads: Chinese, no rule ids, no field names.
      expect(captions.filter((c) => /\b[A-Z]\d+\b|[a-z]{3,}[A-Z]|_[a-z]/.test(c))).toEqual([]);

      expect((await t.http().get('/api/demo/scenarios/status').set(admin).expect(200)).body).toEqual({ state: 'idle', step: 0, total: 0, done: [] });
      // The stub's simulator stream ends at once, and the scenarios' stream with it: a complete answer with the progress.
      const events = await t.http().get('/api/demo/scenarios/events').set(admin).expect(200);
      expect(events.text).toContain('event: progress');

      const none = await t.http().post('/api/demo/scenarios/nope/start').set(admin).send({}).expect(404);
      expect(none.body).toMatchObject({ code: 'DEMO.NO_SCENARIO', message: expect.stringMatching(/没有这个演示场景/) });
      // Not the demo's chats (the stub has one group): nothing is played, and the visitor is told how to get them.
      const missing = await t.http().post('/api/demo/scenarios/bulletin/start').set(admin).send({}).expect(409);
      expect(missing.body).toMatchObject({ code: 'DEMO.SCENARIO_CHATS_MISSING', message: expect.stringMatching(/npm run demo/) });
      expect((await t.http().post('/api/demo/scenarios/stop').set(admin).send({}).expect(200)).body.state).toBe('idle');
    } finally {
      await t.close();
    }
  });
});
