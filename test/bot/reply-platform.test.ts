import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { OffsetClock } from '../../src/shared/clock';
import { OrgService } from '../../src/org/org.service';
import { startTestApp } from '../support/test-app';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';

/**
 * A person bound on both platforms writes to the bot one to one on WeCom: the answer comes back where they wrote,
 * not on the first platform the deployment switched on (it went to their DingTalk chat — seen in the outage test).
 */
describe('a one-to-one answer goes back on the platform the person wrote on', () => {
  it('WeCom app chat → WeCom, never DingTalk', async () => {
    const ding = await FakeDingTalk.start({
      clientId: 'dingboth',
      clientSecret: 'dingboth-secret-0123456789',
      robotCode: 'dingboth',
      cardTemplateIds: ['tpl'],
    });
    const wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    const t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      env: {
        ...wecomEnv(wx),
        DINGTALK_CLIENT_ID: 'dingboth',
        DINGTALK_CLIENT_SECRET: 'dingboth-secret-0123456789',
        DINGTALK_MODE: 'http',
        DINGTALK_API_BASE: ding.apiBase,
        DINGTALK_OAPI_BASE: ding.oapiBase,
      },
    });
    try {
      wx.setAppCallbackUrl(AGENT.agentId, `${t.url}/callbacks/wecom/app`);
      await t.get(OrgService).createPerson({
        name: '两栖领导',
        roles: [{ role: 'leader' }],
        identities: [
          { platform: 'dingtalk', externalUserId: 'dt-both' },
          { platform: 'wecom', externalUserId: 'wx-both' },
        ],
      });
      const sent = await wx.appText({ agentId: AGENT.agentId, userId: 'wx-both', text: '/帮助' });
      expect(sent.status).toBe(200);
      await wx.waitFor(() => wx.userMessages('wx-both').length > 0);
      await new Promise((r) => setTimeout(r, 300));
      expect(JSON.stringify(ding.received.map((c) => c.body))).not.toContain('dt-both');
      // Asked again, answered again: the same words twice are two answers, not a repeat for WeCom to drop (its
      // duplicate check compares contents, so it would swallow every second identical answer within half an hour).
      await wx.appText({ agentId: AGENT.agentId, userId: 'wx-both', text: '/帮助' });
      await wx.waitFor(() => wx.userMessages('wx-both').length === 2);
    } finally {
      await t.close();
      await ding.stop();
      await wx.stop();
    }
  });
});
