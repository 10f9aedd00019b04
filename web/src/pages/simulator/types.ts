/**
 * The chat simulator's shapes (issue 16), as GET /api/demo/sim/* answers them: the server's own port types
 * (src/demo/simulator.port.ts, which imports nothing). web/src/api.gen.ts cannot list them — it is generated from a
 * service without the demo, where these endpoints do not exist.
 */
import type { SimCard, SimMessage } from '../../../../src/demo/simulator.port';

export type { SimCard, SimChat, SimMessage, SimPerson, SimPlatform } from '../../../../src/demo/simulator.port';

export interface SimChatLog {
  messages: SimMessage[];
  cards: SimCard[];
}

/** What a pane hands up when someone presses a card button. */
export interface SimClick {
  chatId: string;
  cardId: string;
  action: string;
  input?: Record<string, string>;
}
