/**
 * The chat simulator's shapes (issue 16), as GET /api/demo/sim/* answers them — src/demo/simulator.port.ts on the
 * server. Written out here because the simulator's endpoints exist only in demo mode, so web/src/api.gen.ts (generated
 * from a service without the demo) does not list them.
 */
export type SimPlatform = 'dingtalk' | 'wecom';

export interface SimPerson {
  userId: string;
  name: string;
}

export interface SimChat {
  id: string;
  platform: SimPlatform;
  kind: 'group' | 'direct';
  title: string;
  members: SimPerson[];
}

export interface SimMessage {
  chatId: string;
  seq: number;
  at: string;
  from: 'bot' | 'person';
  sender?: SimPerson;
  body: Record<string, unknown>;
  cardId?: string;
}

export interface SimCard {
  id: string;
  platform: SimPlatform;
  params?: Record<string, string>;
  privateParams?: Record<string, Record<string, string>>;
  templateCard?: Record<string, unknown>;
  replacedName?: string;
  updates: number;
}

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
