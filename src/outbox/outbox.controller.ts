import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../http/route-access';
import { toShanghaiIso } from '../shared/shanghai-time';
import { OutboxRelay } from './outbox.relay';

/** Robot webhook addresses carry their credential in the query (WeCom `key=`, DingTalk `access_token=`, `sign=`): masked. */
export const maskCredentials = (text: string | null): string | null =>
  text === null ? null : text.replace(/([?&](?:key|access_token|sign|timestamp|secret)=)[^&\s"'，。；）)]+/gi, '$1***');

/** Dead letters: messages a platform refused for good, with the reason; an admin retries them after fixing the cause. */
@ApiTags('outbox 消息发送')
@ApiBearerAuth()
@Controller('api/outbox')
export class OutboxController {
  constructor(private readonly relay: OutboxRelay) {}

  @Get('dead')
  @RequireRoles('admin')
  @ApiOperation({ summary: '死信列表（发送失败且不再自动重试的消息）' })
  async dead() {
    return (await this.relay.deadLetters()).map((m) => ({
      id: m.id,
      kind: m.kind,
      target: m.target,
      platform: m.platform,
      attempts: m.attempts,
      lastError: maskCredentials(m.lastError),
      createdAt: toShanghaiIso(m.createdAt),
    }));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: '重新发送一条死信' })
  async retry(@Param('id', ParseIntPipe) id: number) {
    const m = await this.relay.retry(id);
    return { id: m.id, status: m.status };
  }
}
