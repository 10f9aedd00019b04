import { Module } from '@nestjs/common';
import { DecisionCards } from './decision-cards';
import { OutboxWriter } from './outbox.writer';

/** The outbox's write side (and the decision-card registry the owners of non-item subjects fill); the relay that sends after commit arrives with the platform adapters. */
@Module({ providers: [OutboxWriter, DecisionCards], exports: [OutboxWriter, DecisionCards] })
export class OutboxModule {}
