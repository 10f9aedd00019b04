import { Module } from '@nestjs/common';
import { MessageKinds } from './message-kinds';
import { OutboxWriter } from './outbox.writer';

/**
 * The outbox's write side and the registry of message kinds the features fill (issue 12). The relay, its rate
 * limiter and the dead-letter controller are provided where the deliverer is (chat), which the relay calls through
 * OUTBOX_DELIVERER.
 */
@Module({ providers: [OutboxWriter, MessageKinds], exports: [OutboxWriter, MessageKinds] })
export class OutboxModule {}
