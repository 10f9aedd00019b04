import type { SimAction, SimEvent, SimulatorPort } from '../../src/demo/simulator.port';
import { SimRefusal } from '../../src/demo/simulator.port';

/**
 * Issue 16: a SimulatorPort with one group and nothing behind it, for tests of who may reach the simulator's endpoints
 * (the real one, scripts/demo/fakes-simulator.ts, needs both platform fakes). Its live stream ends at once, so a
 * caller reading it gets a complete answer; what it was asked to do is kept in `acted`.
 */
export class StubSimulator implements SimulatorPort {
  readonly acted: SimAction[] = [];
  private readonly chat = {
    id: 'dingtalk:group:cidSTUB',
    platform: 'dingtalk' as const,
    kind: 'group' as const,
    title: '演示群',
    members: [{ userId: 'dt-stub', name: '演示人员' }],
  };

  chats() {
    return [this.chat];
  }
  messages(chatId: string) {
    return chatId === this.chat.id ? [] : undefined;
  }
  cards() {
    return [];
  }
  subscribe(listener: (e: SimEvent) => void): () => void {
    listener({ type: 'closed' });
    return () => undefined;
  }
  async act(action: SimAction): Promise<void> {
    if (action.chatId !== this.chat.id) throw new SimRefusal('没有这个聊天。请刷新演示页面，从聊天列表中选择。', 'chatId');
    this.acted.push(action);
  }
}
