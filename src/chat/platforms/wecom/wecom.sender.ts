import { cardLink } from '../../item-link';
import { DataSource } from 'typeorm';
import type { WeComConfig } from '../../../config/app.config';
import type { SecurityClock } from '../../../shared/clock';
import { PersonIdentity } from '../../../org/person-identity.entity';
import { CardInstance } from '../../card-instance.entity';
import type { CardView } from '../../cards';
import { DeliveryError } from '../../../outbox/delivery';
import type { ChatSender, Destination, Outbound } from '../../chat-platform';
import type { OutboxMessage } from '../../../outbox/outbox-message.entity';
import type { WeComApi } from './wecom.api';
import type { WeComBotConnection } from './wecom.bot';
import { APP_TEXT_BYTES, fitBytes, longTextTail, markdown, pictureAsLink, templateCard, WEBHOOK_MARKDOWN_BYTES, webhookImage } from './wecom.render';
import { Logger } from '@nestjs/common';
import type { ChatGroup } from '../../../org/chat-group.entity';
import type { MessageText } from '../../../outbox/message-views';

/** WeCom keeps a response_code 72 hours; leave a margin. */
const RESPONSE_CODE_MS = 70 * 3600_000;

/**
 * Outbound WeCom. Groups are reached through the 智能机器人 (cards with buttons) or a group webhook robot (send-only);
 * people through the self-built app (message/send, cards updated with update_template_card and a fresh response_code).
 */
export class WeComSender implements ChatSender {
  readonly platform = 'wecom' as const;
  private readonly log = new Logger('wecom');

  constructor(
    private readonly cfg: WeComConfig,
    private readonly db: DataSource,
    private readonly api: WeComApi,
    private readonly bot: WeComBotConnection | null,
    /** Issue 14: the item's mobile page (signed, expiring), the link of a card or a long text. */
    private readonly itemLink: (number: string) => string,
    /** Real time (the security clock, issue 16): a response_code's age is measured as WeCom measures it, not on the demo clock. */
    private readonly clock: SecurityClock,
  ) {}

  /** PLATFORMS.md: a group webhook robot takes 20 a minute; a member 30 a minute from an app (above that WeCom drops silently). */
  limits(_outbound: Outbound, to: Destination): { bucket: string; limit: number; windowMs: number }[] {
    if (to.type === 'group' && to.group.webhookUrl) return [{ bucket: `wecom:webhook:${to.group.id}`, limit: 20, windowMs: 60_000 }];
    if (to.type === 'person' && this.cfg.app) return [{ bucket: `wecom:member:${to.userId}`, limit: 30, windowMs: 60_000 }];
    return [];
  }

  /** A person through the self-built app: 2,048 bytes; a group (robot or 智能机器人) or the bot's one-to-one chat: 4,096. */
  textBytes(to: Destination): number {
    return to.type === 'person' && this.cfg.app ? APP_TEXT_BYTES : WEBHOOK_MARKDOWN_BYTES;
  }

  async deliver(message: OutboxMessage, outbound: Outbound, to: Destination): Promise<void> {
    const link = outbound.type === 'card' ? cardLink(outbound.card, this.itemLink) : undefined;
    if (outbound.type === 'card') {
      if (to.type === 'card') return this.updateCard(to.card, outbound.card, link!);
      const card = templateCard(outbound.card, outbound.outTrackId ?? `dbn-${message.id}`, link);
      if (to.type === 'group') return this.toGroup(to.group.externalId, to.group.webhookUrl, { msgtype: 'template_card', template_card: card }, outbound.card);
      if (to.type === 'person') return this.cardToPerson(to.userId, card, outbound.outTrackId);
    }
    const text = outbound.type === 'text' ? outbound : { title: outbound.card.title, text: outbound.card.stateLabel };
    const responseUrl = (message.payload.replyTo as { responseUrl?: string } | undefined)?.responseUrl;
    if (responseUrl && !this.bot) {
      // 智能机器人 in API mode cannot push: it answers through the message's response_url (one use, one hour).
      return this.api.responseUrl(responseUrl, markdown(text.title, text.text, WEBHOOK_MARKDOWN_BYTES, link));
    }
    if (to.type === 'group' && outbound.type === 'text' && outbound.image) return this.withPicture(to.group, outbound, outbound.image);
    if (to.type === 'group') {
      // Issue 14: urges @ the unit's contacts — WeCom markdown mentions a member as <@userid>.
      const ids = outbound.type === 'text' ? (outbound.mentionUserIds ?? []) : [];
      const body = ids.length ? `${text.text}\n${ids.map((u) => `<@${u}>`).join(' ')}` : text.text;
      return this.toGroup(to.group.externalId, to.group.webhookUrl, markdown(text.title, body, WEBHOOK_MARKDOWN_BYTES, link));
    }
    if (to.type === 'person') return this.textToPerson(to.userId, text.title, text.text, message.id);
    if (to.type === 'reply') {
      const conv = to.replyTo.conversation as { type: 'group' | 'direct'; id: string } | undefined;
      if (conv?.type === 'group') return this.toGroup(conv.id, null, markdown(text.title, text.text, WEBHOOK_MARKDOWN_BYTES, link));
      return this.textToPerson(String(to.replyTo.userId), text.title, text.text, message.id, to.replyTo.via === 'bot');
    }
  }

  /**
   * Issue 14 (defect 4): WeCom markdown shows no pictures — the text goes with the picture as a link, then the picture
   * as an image message (webhook: base64 + md5; 智能机器人: uploaded over the long connection, sent by media_id). The
   * text is not sent again if the picture fails: the failure is logged, and the text's link still shows the picture.
   */
  private async withPicture(group: ChatGroup, text: { title: string; text: string }, image: NonNullable<MessageText['image']>): Promise<void> {
    await this.toGroup(group.externalId, group.webhookUrl, markdown(text.title, pictureAsLink(text.text, image), WEBHOOK_MARKDOWN_BYTES));
    try {
      if (group.webhookUrl) {
        const body = webhookImage(image.png);
        if (!body) throw new Error(`图片 ${image.png.length} 字节，超过企业微信 2MB 的限制`);
        await this.api.webhook(group.webhookUrl, body);
      } else if (this.bot) {
        await this.bot.sendImage(group.externalId, image.png, 'chart.png');
      }
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'wecom_picture_not_sent', group: group.id, error: e instanceof Error ? e.message : String(e) }));
    }
  }

  private async toGroup(chatId: string, webhookUrl: string | null, body: Record<string, unknown>, card?: CardView): Promise<void> {
    if (webhookUrl) {
      // A send-only broadcast robot: its cards carry no buttons, so a card goes as markdown.
      const payload = card ? markdown(`${card.number} ${card.title}`, `状态：${card.stateLabel}\n期限：${card.deadline}`, WEBHOOK_MARKDOWN_BYTES) : body;
      return this.api.webhook(webhookUrl, payload);
    }
    if (!this.bot) throw new DeliveryError('permanent', '企业微信群消息需要配置智能机器人（WECOM_BOT_ID）或群机器人 Webhook');
    try {
      await this.bot.send(chatId, body);
    } catch (e) {
      throw new DeliveryError('retry', e instanceof Error ? e.message : String(e), 5_000);
    }
  }

  private async cardToPerson(userId: string, card: Record<string, unknown>, outTrackId?: string): Promise<void> {
    if (!this.cfg.app) {
      return this.toGroup(userId, null, { msgtype: 'template_card', template_card: card });
    }
    const r = await this.needApi().call('/cgi-bin/message/send', {
      touser: userId,
      msgtype: 'template_card',
      agentid: this.cfg.app.agentId,
      template_card: card,
      enable_duplicate_check: 1,
      duplicate_check_interval: 1800,
    });
    if (
      String(r.invaliduser ?? '')
        .split('|')
        .includes(userId)
    )
      throw new DeliveryError('permanent', `企业微信成员 ${userId} 无效（invaliduser）`);
    if (outTrackId && typeof r.response_code === 'string') {
      await this.db.getRepository(CardInstance).update({ outTrackId }, { responseCode: r.response_code, responseCodeAt: this.clock.now() });
    }
  }

  /** update_template_card spends the card's response_code once; without a fresh one the card is left as it is. */
  private async updateCard(instance: CardInstance, view: CardView, link: string): Promise<void> {
    if (!this.cfg.app || !instance.target.startsWith('person:')) return; // bot cards in groups are updated only in the click's reply
    const row = await this.db.getRepository(CardInstance).findOneBy({ id: instance.id });
    if (!row?.responseCode || !row.responseCodeAt || this.clock.now().getTime() - row.responseCodeAt.getTime() > RESPONSE_CODE_MS) return;
    // Claim the code before using it: two relays never spend the same one.
    const claimed = await this.db
      .getRepository(CardInstance)
      .update({ id: row.id, responseCode: row.responseCode }, { responseCode: null, responseCodeAt: null });
    if ((claimed.affected ?? 0) !== 1) return;
    const userId = await this.userOf(row);
    // Nothing left to press: grey the buttons out with the new state; otherwise replace the whole card.
    const change = view.buttons.length === 0 ? { button: { replace_name: view.stateLabel } } : { template_card: templateCard(view, row.outTrackId, link) };
    await this.needApi().call('/cgi-bin/message/update_template_card', {
      userids: userId ? [userId] : [],
      agentid: this.cfg.app.agentId,
      response_code: row.responseCode,
      ...change,
    });
  }

  private async textToPerson(userId: string, title: string, text: string, messageId: number, viaBot = false): Promise<void> {
    if (!this.cfg.app || viaBot) {
      return this.toGroup(userId, null, markdown(title, text, WEBHOOK_MARKDOWN_BYTES));
    }
    const r = await this.needApi().call('/cgi-bin/message/send', {
      touser: userId,
      msgtype: 'markdown',
      agentid: this.cfg.app.agentId,
      markdown: { content: fitBytes(`**${title}**\n${text}`, APP_TEXT_BYTES, longTextTail()) },
      // No enable_duplicate_check for texts: WeCom's check compares contents, so it would also drop every genuine second
      // message with the same words within the interval (a second 「反馈已记录」, /帮助 asked twice). The relay's lease
      // already keeps instances from sending a row twice, and a database outage between WeCom's answer and the write
      // that marks the row sent is bridged by the relay's note (OutboxRelay.recordSent); what is left is the process
      // dying in that moment, which may show that one text twice. Cards keep the check: each carries its own task_id.
    });
    if (
      String(r.invaliduser ?? '')
        .split('|')
        .includes(userId)
    )
      throw new DeliveryError('permanent', `企业微信成员 ${userId} 无效（invaliduser，消息 ${messageId}）`);
  }

  private async userOf(row: CardInstance): Promise<string | null> {
    const ident = await this.db.getRepository(PersonIdentity).findOneBy({ personId: Number(row.target.slice('person:'.length)), platform: 'wecom' });
    return ident?.externalUserId ?? null;
  }

  private needApi(): WeComApi {
    if (!this.cfg.app) throw new DeliveryError('permanent', '企业微信自建应用未配置（WECOM_AGENT_ID / WECOM_SECRET）');
    return this.api;
  }
}
