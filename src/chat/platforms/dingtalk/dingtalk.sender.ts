import { cardLink } from '../../item-link';
import { Logger } from '@nestjs/common';
import type { DingTalkConfig } from '../../../config/app.config';
import type { OutboxMessage } from '../../../outbox/outbox-message.entity';
import { DeliveryError } from '../../../outbox/delivery';
import type { ChatSender, Destination, Outbound } from '../../chat-platform';
import type { DingTalkApi } from './dingtalk.api';
import { actionCardParam, cardParamMap, textMessage, webhookMarkdown } from './dingtalk.render';

interface DeliverResult {
  success?: boolean;
  result?: { deliverResults?: { success: boolean; errorMsg?: string; spaceId?: string }[] };
}

/** Outbound DingTalk: interactive cards (createAndDeliver / update), app-robot messages, custom-robot webhooks. */
export class DingTalkSender implements ChatSender {
  readonly platform = 'dingtalk' as const;
  private readonly log = new Logger('dingtalk-send');

  constructor(
    private readonly cfg: DingTalkConfig,
    private readonly api: DingTalkApi,
    /** Issue 14: the item's mobile page (signed, expiring), the 查看详情 of a card. */
    private readonly itemLink: (number: string) => string,
  ) {}

  /** PLATFORMS.md: ≈20 QPS per app per API; a custom robot 20 a minute (then 10 minutes of silence). */
  limits(outbound: Outbound, to: Destination): { bucket: string; limit: number; windowMs: number }[] {
    if (to.type === 'group' && to.group.webhookUrl) return [{ bucket: `dingtalk:webhook:${to.group.id}`, limit: 20, windowMs: 60_000 }];
    const api =
      outbound.type === 'card' && this.cfg.cardTemplateId
        ? to.type === 'card'
          ? 'card-update'
          : 'card-create'
        : to.type === 'person' || (to.type === 'reply' && (to.replyTo.conversation as { type?: string })?.type !== 'group')
          ? 'oto'
          : 'group';
    return [{ bucket: `dingtalk:api:${api}`, limit: 20, windowMs: 1_000 }];
  }

  /** Markdown through the app robot or a custom robot: msgParam ≤ 15,000 bytes (textMessage cuts at 14,000); room kept for the line breaks and the JSON. */
  textBytes(): number {
    return 12_000;
  }

  async deliver(message: OutboxMessage, outbound: Outbound, to: Destination): Promise<void> {
    if (outbound.type === 'card') {
      if (to.type === 'card') return this.updateCard(to.card.outTrackId, outbound.card);
      if (to.type === 'group')
        return this.cardTo(
          `dtv1.card//IM_GROUP.${to.group.externalId}`,
          outbound,
          { imGroupOpenSpaceModel: { supportForward: true }, imGroupOpenDeliverModel: { robotCode: this.cfg.robotCode } },
          { group: to.group.externalId },
        );
      if (to.type === 'person')
        return this.cardTo(`dtv1.card//IM_ROBOT.${to.userId}`, outbound, { imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' } }, { user: to.userId });
    }
    const text =
      outbound.type === 'text' ? outbound : { title: outbound.card.title, text: `${outbound.card.number} ${outbound.card.title}：${outbound.card.stateLabel}` };
    if (to.type === 'group') {
      // Issue 14: urges @ the unit's contacts. The custom robot takes `at.atUserIds`, the mention also written in the text
      // (PLATFORMS); the app robot's group message has no mention list, so there the names are written out.
      const ids = outbound.type === 'text' ? (outbound.mentionUserIds ?? []) : [];
      const names = outbound.type === 'text' ? (outbound.mentionNames ?? []) : [];
      if (to.group.webhookUrl)
        return this.api.webhook(to.group.webhookUrl, to.group.webhookSecret ?? null, {
          ...webhookMarkdown(text.title, ids.length ? `${text.text}\n\n${ids.map((u) => `@${u}`).join(' ')}` : text.text),
          ...(ids.length ? { at: { atUserIds: ids, isAtAll: false } } : {}),
          msgUuid: (outbound.type === 'text' ? outbound.key : undefined) ?? `duban-${message.id}`,
        });
      return this.toGroup(to.group.externalId, textMessage(text.title, names.length ? `${text.text}\n\n${names.map((n) => `@${n}`).join(' ')}` : text.text));
    }
    if (to.type === 'person') return this.toUser(to.userId, textMessage(text.title, text.text));
    if (to.type === 'reply') {
      const conv = to.replyTo.conversation as { type: 'group' | 'direct'; id: string } | undefined;
      if (conv?.type === 'group') return this.toGroup(conv.id, textMessage(text.title, text.text));
      return this.toUser(String(to.replyTo.userId), textMessage(text.title, text.text));
    }
  }

  private async cardTo(
    openSpaceId: string,
    outbound: Extract<Outbound, { type: 'card' }>,
    space: Record<string, unknown>,
    where: Record<string, string>,
  ): Promise<void> {
    if (!this.cfg.cardTemplateId) {
      // No template built yet: the same facts as a sampleActionCard (buttons become typed commands).
      const param = JSON.stringify(actionCardParam(outbound.card, cardLink(outbound.card, this.itemLink)));
      if (where.group) return this.toGroup(where.group, { msgKey: 'sampleActionCard', msgParam: param });
      return this.toUser(where.user, { msgKey: 'sampleActionCard', msgParam: param });
    }
    try {
      const r = await this.api.call<DeliverResult>('POST', '/v1.0/card/instances/createAndDeliver', {
        cardTemplateId: this.cfg.cardTemplateId,
        outTrackId: outbound.outTrackId,
        // Clicks come back over the connection this deployment uses (PLATFORMS: STREAM only for Stream-created cards).
        callbackType: this.cfg.mode === 'stream' ? 'STREAM' : 'HTTP',
        // Issue 14: the template's 查看详情 opens the item's mobile page (decision cards have their own subject, no page).
        cardData: {
          cardParamMap: { ...cardParamMap(outbound.card), ...(outbound.card.kind === 'decision' ? {} : { detailUrl: this.itemLink(outbound.card.number) }) },
        },
        openSpaceId,
        ...space,
        userIdType: 1,
      });
      // 200 even when a target failed: read each deliver result.
      const failed = (r.result?.deliverResults ?? []).filter((d) => !d.success);
      if (failed.length) throw new DeliveryError('retry', `钉钉卡片投递失败：${failed.map((f) => f.errorMsg ?? f.spaceId).join('；')}`);
    } catch (e) {
      // The outTrackId was used before: our earlier attempt got through (PLATFORMS: treat as delivered).
      if (e instanceof DeliveryError && e.message.includes('cardAlreadyExist')) return;
      throw e;
    }
  }

  private async updateCard(outTrackId: string, card: Extract<Outbound, { type: 'card' }>['card']): Promise<void> {
    if (!this.cfg.cardTemplateId) return; // action-card fallbacks cannot be updated; the next message carries the news
    await this.api.call('PUT', '/v1.0/card/instances', {
      outTrackId,
      cardData: { cardParamMap: cardParamMap(card) },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    });
  }

  private async toGroup(openConversationId: string, msg: { msgKey: string; msgParam: string }): Promise<void> {
    await this.api.call('POST', '/v1.0/robot/groupMessages/send', { ...msg, openConversationId, robotCode: this.cfg.robotCode });
  }

  private async toUser(userId: string, msg: { msgKey: string; msgParam: string }): Promise<void> {
    const r = await this.api.call<{ flowControlledStaffIdList?: string[]; invalidStaffIdList?: string[] }>('POST', '/v1.0/robot/oToMessages/batchSend', {
      ...msg,
      robotCode: this.cfg.robotCode,
      userIds: [userId],
    });
    if (r.invalidStaffIdList?.includes(userId)) throw new DeliveryError('permanent', `钉钉用户 ${userId} 无效（invalidStaffIdList）`);
    if (r.flowControlledStaffIdList?.includes(userId)) throw new DeliveryError('retry', `钉钉对用户 ${userId} 限流`, 5_000 + Math.random() * 5_000);
    this.log.debug?.(JSON.stringify({ event: 'dingtalk_oto_sent', user: userId }));
  }
}
