import { randomBytes } from 'node:crypto';
import { applyCardChange, checkParamMap, checkPrivateData, parseOpenSpaceId, type OpenSpace } from './cards';
import { newApi, type FakeContext, type RouteTable } from './context';
import { apiError, errors, isPlainObject } from './errors';
import type { CardRecord } from './types';

const CREATE_AND_DELIVER = '/v1.0/card/instances/createAndDeliver';
const UPDATE = '/v1.0/card/instances';

interface DeliverResult {
  spaceType: string;
  spaceId: string;
  success: boolean;
  carrierId: string;
  errorMsg: string;
}

/** Interactive cards: create-and-deliver, and the update PUT. */
export function cardRoutes(ctx: FakeContext): RouteTable {
  return {
    [`POST ${CREATE_AND_DELIVER}`]: newApi(ctx, CREATE_AND_DELIVER, (req) => {
      if (!isPlainObject(req.body)) return apiError(400, 'param.empty', '入参为空');
      const b = req.body;
      const templateId = b.cardTemplateId;
      if (typeof templateId !== 'string' || !templateId) return apiError(400, 'param.cardTemplateIdEmpty', '卡片模版 Id 为空');
      if (ctx.opts.cardTemplateIds && !ctx.opts.cardTemplateIds.includes(templateId)) {
        return apiError(400, 'param.templateNotExist', '卡片模板不存在');
      }
      if (typeof b.outTrackId !== 'string' || !b.outTrackId) return apiError(400, 'param.outTrackIdEmpty', '业务标识 outTrackId 为空');
      const spaces = parseOpenSpaceId(b.openSpaceId);
      if (!spaces) return apiError(400, 'param.openSpaceIdInvalid', 'openSpaceId 格式不正确');
      const cardData = isPlainObject(b.cardData) ? b.cardData : {};
      const publicMap = checkParamMap(cardData.cardParamMap, 'cardData.cardParamMap');
      if (typeof publicMap === 'string') return errors.invalidParameter(publicMap);
      const privateData = checkPrivateData(b.privateData);
      if (typeof privateData === 'string') return errors.invalidParameter(privateData);
      // outTrackId is unique per app; PLATFORMS.md lets an adapter treat this as "already delivered".
      if (ctx.world.cards.has(b.outTrackId)) return apiError(400, 'param.cardAlreadyExist', '卡片已存在');

      const card: CardRecord = {
        outTrackId: b.outTrackId,
        cardTemplateId: templateId,
        openSpaceId: b.openSpaceId as string,
        callbackType: typeof b.callbackType === 'string' ? b.callbackType : '',
        cardParamMap: { ...publicMap },
        privateData: Object.keys(privateData).length ? privateData : undefined,
        updates: 0,
      };
      ctx.world.cards.set(card.outTrackId, card);
      const deliverResults = spaces.map((space) => deliver(ctx, card, space, b));
      // 200 even when a target failed: the caller must read deliverResults[].success.
      return { status: 200, body: { success: true, result: { outTrackId: card.outTrackId, deliverResults } } };
    }),

    [`PUT ${UPDATE}`]: newApi(ctx, UPDATE, (req) => {
      if (!isPlainObject(req.body)) return apiError(400, 'param.empty', '入参为空');
      const b = req.body;
      if (typeof b.outTrackId !== 'string' || !b.outTrackId) return apiError(400, 'param.outTrackIdEmpty', '业务标识 outTrackId 为空');
      const card = ctx.world.cards.get(b.outTrackId);
      if (!card) return apiError(400, 'param.cardNotExist', '卡片不存在');
      const cardData = isPlainObject(b.cardData) ? b.cardData : undefined;
      const publicMap = cardData ? checkParamMap(cardData.cardParamMap, 'cardData.cardParamMap') : undefined;
      if (typeof publicMap === 'string') return errors.invalidParameter(publicMap);
      const privateData = checkPrivateData(b.privateData);
      if (typeof privateData === 'string') return errors.invalidParameter(privateData);
      const options = isPlainObject(b.cardUpdateOptions) ? b.cardUpdateOptions : {};
      applyCardChange(card, {
        cardParamMap: cardData ? publicMap : undefined,
        privateData,
        updateCardDataByKey: options.updateCardDataByKey === true,
        updatePrivateDataByKey: options.updatePrivateDataByKey === true,
      });
      ctx.world.cardChanged(card.outTrackId);
      return { status: 200, body: { success: true, result: true } };
    }),
  };
}

/** One target of a createAndDeliver: needs the deliver model matching its space type, and a reachable space. */
function deliver(ctx: FakeContext, card: CardRecord, space: OpenSpace, body: Record<string, unknown>): DeliverResult {
  const failed = (errorMsg: string): DeliverResult => ({ ...space, success: false, carrierId: '', errorMsg });
  const at = ctx.clock();
  if (space.spaceType === 'IM_GROUP') {
    const model = isPlainObject(body.imGroupOpenDeliverModel) ? body.imGroupOpenDeliverModel : undefined;
    if (!model || typeof model.robotCode !== 'string' || !model.robotCode) return failed('imGroupOpenDeliverModel.robotCode 为空');
    if (model.robotCode !== ctx.opts.robotCode) return failed('机器人不存在');
    if (ctx.world.undeliverable.has(space.spaceId)) return failed('机器人不在该群中');
    ctx.world.toGroup(space.spaceId, {
      via: 'card',
      at,
      outTrackId: card.outTrackId,
      cardTemplateId: card.cardTemplateId,
      atUserIds: isPlainObject(model.atUserIds) ? model.atUserIds : undefined,
    });
  } else {
    const model = isPlainObject(body.imRobotOpenDeliverModel) ? body.imRobotOpenDeliverModel : undefined;
    if (!model || model.spaceType !== 'IM_ROBOT') return failed('imRobotOpenDeliverModel.spaceType 必须是 IM_ROBOT');
    if (ctx.world.undeliverable.has(space.spaceId)) return failed('用户不存在或不在应用可见范围');
    ctx.world.toUser(space.spaceId, { via: 'card', at, outTrackId: card.outTrackId, cardTemplateId: card.cardTemplateId });
  }
  return { ...space, success: true, carrierId: randomBytes(8).toString('hex'), errorMsg: '' };
}
