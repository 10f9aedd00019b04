import { ADMIN_TOKEN, startTestApp } from '../support/test-app';
import { StubSimulator } from '../support/stub-simulator';

/**
 * Issue 16: the chat simulator's endpoints exist only in demo mode (AppModule given a SimulatorPort); the session then
 * says `demo: true` so the console offers its page. Bad input is refused in Chinese.
 */
describe('the demo chat simulator endpoints', () => {
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  it('do not exist without the port (404), and the session says nothing of a demo', async () => {
    const t = await startTestApp();
    try {
      for (const path of ['/api/demo/sim/status', '/api/demo/sim/chats', '/api/demo/sim/events']) await t.http().get(path).set(admin).expect(404);
      await t.http().post('/api/demo/sim/say').set(admin).send({ chatId: 'x', userId: 'y', text: 'z' }).expect(404);
      const me = await t.http().get('/api/session').set(admin).expect(200);
      expect(me.body.demo).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('with the port: status, chats, the stream, acting; refusals in Chinese', async () => {
    const sim = new StubSimulator();
    const t = await startTestApp({ simulator: sim });
    try {
      expect((await t.http().get('/api/session').set(admin).expect(200)).body.demo).toBe(true);
      expect((await t.http().get('/api/demo/sim/status').set(admin).expect(200)).body).toMatchObject({ on: true, speed: 1 });
      expect((await t.http().get('/api/demo/sim/chats').set(admin).expect(200)).body).toEqual(sim.chats());
      await t
        .http()
        .get(`/api/demo/sim/chats/${encodeURIComponent('dingtalk:group:cidSTUB')}/messages`)
        .set(admin)
        .expect(200, { messages: [], cards: [] });
      const none = await t.http().get('/api/demo/sim/chats/nope/messages').set(admin).expect(404);
      expect(none.body.message).toMatch(/没有这个聊天/);
      // The stub's stream ends at once (as the real one does when the demo stops): a complete 200.
      await t.http().get('/api/demo/sim/events').set(admin).expect(200);

      await t
        .http()
        .post('/api/demo/sim/say')
        .set(admin)
        .send({ chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', text: ' /帮助 ' })
        .expect(200, { ok: true });
      expect(sim.acted).toEqual([{ type: 'text', chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', text: '/帮助' }]);
      const empty = await t.http().post('/api/demo/sim/say').set(admin).send({ chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', text: '  ' }).expect(400);
      expect(empty.body).toMatchObject({ code: 'DEMO.EMPTY_TEXT', field: 'text' });
      const missing = await t.http().post('/api/demo/sim/click').set(admin).send({ chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub' }).expect(400);
      expect(missing.body.message).toMatch(/^输入有误：.*卡片/);
      const refused = await t
        .http()
        .post('/api/demo/sim/click')
        .set(admin)
        .send({ chatId: 'other', userId: 'dt-stub', cardId: 'c', action: 'sign' })
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'DEMO.REFUSED', field: 'chatId', message: expect.stringMatching(/没有这个聊天/) });
      const badInput = await t
        .http()
        .post('/api/demo/sim/click')
        .set(admin)
        .send({ chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', cardId: 'c', action: 'report', input: { content: 5 } })
        .expect(400);
      expect(badInput.body.message).toMatch(/只能填写文字/);
    } finally {
      await t.close();
    }
  });
});
