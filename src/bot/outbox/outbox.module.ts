import { Module } from '@nestjs/common';
import { OutboxWriter } from './outbox.writer';

/** The outbox's write side; the relay that sends after commit arrives with the platform adapters. */
@Module({ providers: [OutboxWriter], exports: [OutboxWriter] })
export class OutboxModule {}
