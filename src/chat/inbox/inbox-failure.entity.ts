import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, StringColumn } from '../../database/columns';

/**
 * Issue 11: how often handling an inbound platform event has failed. Written outside the failing transaction (which
 * rolls back its inbox row with everything else), so the count survives; after a few failures the event is recorded
 * as failed in inbox_event, answered, and acknowledged instead of being redelivered for ever.
 */
@Entity('inbox_failure')
@Index('uq_inbox_failure', ['platform', 'eventId'], { unique: true })
export class InboxFailure {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) platform!: string;
  @StringColumn(128) eventId!: string;
  @IntColumn() attempts!: number;
  @StringColumn(500, { nullable: true }) lastError!: string | null;
  @DateTimeColumn() firstAt!: Date;
  @DateTimeColumn() lastAt!: Date;
}
