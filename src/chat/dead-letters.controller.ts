import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DataSource, In } from 'typeorm';
import { Item } from '../cases/item.entity';
import { RequireRoles } from '../http/route-access';
import { ChatGroup } from '../org/chat-group.entity';
import { Person } from '../org/person.entity';
import { PersonIdentity } from '../org/person-identity.entity';
import { CardInstance } from './card-instance.entity';
import { MessageKinds } from '../outbox/message-kinds';
import { maskCredentials } from '../outbox/outbox.controller';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import { OutboxRelay } from '../outbox/outbox.relay';
import { toShanghaiIso } from '../shared/shanghai-time';
import { explainDeliveryError, kindLabel, summaryOf } from './dead-letter.rules';

const PLATFORM_LABELS: Record<string, string> = { dingtalk: '钉钉', wecom: '企业微信' };

class DeadLetterView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: String, example: '钉钉', nullable: true }) platform!: string | null;
  @ApiProperty({ example: '发改委督办群（群）', description: '发给谁：群名或人名' }) to!: string;
  @ApiProperty({ example: '交办卡片', description: '什么消息' }) what!: string;
  @ApiProperty({ example: 'DB2026-0001「推进老旧小区改造」', description: '内容摘要' }) summary!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'DB2026-0001' }) itemNumber!: string | null;
  @ApiProperty({ description: '为何未送达、下一步怎么办（中文说明）' }) why!: string;
  @ApiProperty({ type: String, nullable: true, description: '平台原话（凭据已遮盖）' }) rawError!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ example: '2026-03-16T10:00:00+08:00' }) createdAt!: string;
}

/**
 * Issue 15 (死信 in the console): the dead letters as the 督查室 reads them — to whom in names, what in a summary, why in
 * Chinese with the next step. Chat owns it because only chat knows groups, people and what each kind of message says.
 */
@ApiTags('outbox 消息发送')
@ApiBearerAuth()
@Controller('api/outbox')
export class DeadLettersController {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly db: DataSource,
    private readonly kinds: MessageKinds,
  ) {}

  @Get('dead-letters')
  @RequireRoles('admin')
  @ApiOperation({ summary: '死信（发送失败且不再自动重试的消息），以中文说明发给谁、什么内容、为何失败' })
  @ApiOkResponse({ type: [DeadLetterView] })
  async list(): Promise<DeadLetterView[]> {
    const rows = await this.relay.deadLetters();
    const ids = (prefix: string) => rows.filter((r) => r.target.startsWith(prefix)).map((r) => Number(r.target.slice(prefix.length)));
    const cards = await this.db.getRepository(CardInstance).findBy({ id: In([0, ...ids('card:')]) });
    const groupIds = [...ids('group:'), ...cards.filter((c) => c.target.startsWith('group:')).map((c) => Number(c.target.slice(6)))];
    const personIds = [...ids('person:'), ...cards.filter((c) => c.target.startsWith('person:')).map((c) => Number(c.target.slice(7)))];
    const groups = await this.db.getRepository(ChatGroup).findBy({ id: In([0, ...groupIds]) });
    const people = await this.db.getRepository(Person).findBy({ id: In([0, ...personIds]) });
    const items = await this.db.getRepository(Item).findBy({ id: In([0, ...rows.map((r) => r.itemId ?? 0), ...cards.map((c) => c.itemId ?? 0)]) });
    const groupName = (id: number) => groups.find((g) => g.id === id)?.name ?? `已删除的群（编号 ${id}）`;
    const personName = (id: number) => people.find((p) => p.id === id)?.name ?? `已删除的人员（编号 ${id}）`;
    const toOf = async (r: OutboxMessage): Promise<string> => {
      const [kind, id] = r.target.split(':');
      if (kind === 'group') return `${groupName(Number(id))}（群）`;
      if (kind === 'person') return `${personName(Number(id))}（个人）`;
      if (kind === 'card' || kind === 'cards') {
        const card = cards.find((c) => c.id === Number(id));
        if (!card) return '该事项已发出的卡片';
        return card.target.startsWith('group:') ? `${groupName(Number(card.target.slice(6)))}（群）` : `${personName(Number(card.target.slice(7)))}（个人）`;
      }
      const replyTo = (r.payload.replyTo ?? {}) as { conversation?: { type?: string; id?: string }; userId?: string; platform?: string };
      if (replyTo.conversation?.type === 'group') {
        const g = await this.db.getRepository(ChatGroup).findOneBy({ externalId: String(replyTo.conversation.id) });
        return g ? `${g.name}（群，回复）` : '发来消息的群（回复）';
      }
      const who = replyTo.userId
        ? await this.db.getRepository(PersonIdentity).findOneBy({ externalUserId: String(replyTo.userId), platform: (r.platform ?? replyTo.platform) as never })
        : null;
      const p = who ? await this.db.getRepository(Person).findOneBy({ id: who.personId }) : null;
      return p ? `${p.name}（个人，回复）` : '发来消息的人（回复）';
    };
    const summaryFor = async (r: OutboxMessage, item: Item | undefined): Promise<string> => {
      const about = item ? `${item.number}「${item.title}」` : '';
      const compose = this.kinds.textOf(r.kind);
      if (compose && !this.kinds.cardOf(r.kind)) {
        try {
          const text = await compose(r);
          return summaryOf(`${text.text}`) || about || text.title;
        } catch {
          // What it was about is gone (deleted): say what is known.
        }
      }
      return about || (typeof r.payload.subject === 'string' ? r.payload.subject : '（无内容摘要）');
    };
    const out: DeadLetterView[] = [];
    for (const r of rows) {
      const card = r.target.startsWith('card:') ? cards.find((c) => c.id === Number(r.target.slice(5))) : undefined;
      const item = items.find((i) => i.id === (r.itemId ?? card?.itemId));
      out.push({
        id: r.id,
        platform: r.platform ? (PLATFORM_LABELS[r.platform] ?? r.platform) : null,
        to: await toOf(r),
        what: kindLabel(r.kind),
        summary: await summaryFor(r, item),
        itemNumber: item?.number ?? null,
        why: explainDeliveryError(r.lastError),
        rawError: maskCredentials(r.lastError),
        attempts: r.attempts,
        createdAt: toShanghaiIso(r.createdAt)!,
      });
    }
    return out;
  }
}
