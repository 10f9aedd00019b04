import { byteLength, isPlainObject } from './errors';
import type { CardRecord } from './types';

/** Card data rules shared by createAndDeliver, the update PUT and the callback ACK that updates a card. */

export type ParamMap = Record<string, string>;
export type PrivateData = Record<string, { cardParamMap: ParamMap }>;

export interface OpenSpace {
  spaceType: 'IM_GROUP' | 'IM_ROBOT';
  /** openConversationId for a group, userId for one-to-one. */
  spaceId: string;
}

const OPEN_SPACE_PREFIX = 'dtv1.card//';

/** `dtv1.card//IM_GROUP.<cid>` or `dtv1.card//IM_ROBOT.<userId>`; several spaces are joined with ";". */
export function parseOpenSpaceId(openSpaceId: unknown): OpenSpace[] | undefined {
  if (typeof openSpaceId !== 'string' || !openSpaceId.startsWith(OPEN_SPACE_PREFIX)) return undefined;
  const spaces: OpenSpace[] = [];
  for (const part of openSpaceId.slice(OPEN_SPACE_PREFIX.length).split(';')) {
    const m = /^(IM_GROUP|IM_ROBOT)\.(.+)$/.exec(part.trim());
    if (!m) return undefined;
    spaces.push({ spaceType: m[1] as OpenSpace['spaceType'], spaceId: m[2] });
  }
  return spaces.length ? spaces : undefined;
}

/** Values must be strings of at most 1 KB: DingTalk rejects numbers and objects in cardParamMap. */
export function checkParamMap(value: unknown, where: string): ParamMap | string {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return `${where} 必须是对象`;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `${where}.${key} 必须是字符串`;
    if (byteLength(v) > 1024) return `${where}.${key} 超过 1KB`;
  }
  return value as ParamMap;
}

export function checkPrivateData(value: unknown): PrivateData | string {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return 'privateData 必须是对象';
  const out: PrivateData = {};
  for (const [userId, entry] of Object.entries(value)) {
    const map = checkParamMap(isPlainObject(entry) ? entry.cardParamMap : entry, `privateData.${userId}.cardParamMap`);
    if (typeof map === 'string') return map;
    out[userId] = { cardParamMap: map };
  }
  return out;
}

export interface CardChange {
  cardParamMap?: ParamMap;
  privateData?: PrivateData;
  /** true = merge the given keys into what is there; false = replace the whole map (DingTalk's default). */
  updateCardDataByKey?: boolean;
  updatePrivateDataByKey?: boolean;
}

export function applyCardChange(card: CardRecord, change: CardChange): void {
  if (change.cardParamMap) {
    card.cardParamMap = change.updateCardDataByKey ? { ...card.cardParamMap, ...change.cardParamMap } : { ...change.cardParamMap };
  }
  if (change.privateData && Object.keys(change.privateData).length) {
    const current = { ...(card.privateData ?? {}) };
    for (const [userId, { cardParamMap }] of Object.entries(change.privateData)) {
      const before = current[userId]?.cardParamMap ?? {};
      current[userId] = { cardParamMap: change.updatePrivateDataByKey ? { ...before, ...cardParamMap } : { ...cardParamMap } };
    }
    card.privateData = current;
  }
  card.updates += 1;
}

/**
 * A card-callback ACK may carry the card's new state: `{cardData, userPrivateData, cardUpdateOptions}` (the clicking
 * user's private data) and, accepted too, `privateData` keyed by user id. Returns undefined when it carries nothing.
 */
export function changeFromCallbackResponse(response: unknown, userId: string): CardChange | undefined {
  if (!isPlainObject(response)) return undefined;
  const options = isPlainObject(response.cardUpdateOptions) ? response.cardUpdateOptions : {};
  const cardData = isPlainObject(response.cardData) ? response.cardData : undefined;
  const publicMap = cardData ? checkParamMap(cardData.cardParamMap, 'cardData.cardParamMap') : undefined;
  const privateData: PrivateData = {};
  if (isPlainObject(response.userPrivateData)) {
    const map = checkParamMap(response.userPrivateData.cardParamMap, 'userPrivateData.cardParamMap');
    if (typeof map !== 'string') privateData[userId] = { cardParamMap: map };
  }
  const keyed = checkPrivateData(response.privateData);
  if (typeof keyed !== 'string') Object.assign(privateData, keyed);
  const cardParamMap = typeof publicMap === 'object' ? publicMap : undefined;
  if (!cardParamMap && !Object.keys(privateData).length) return undefined;
  return {
    cardParamMap,
    privateData,
    updateCardDataByKey: options.updateCardDataByKey === true,
    updatePrivateDataByKey: options.updatePrivateDataByKey === true,
  };
}
