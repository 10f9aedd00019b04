import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, StringColumn } from '../../database/columns';

/** Principle 4: an inbound platform event, stored under its platform id in the same transaction as its effect. */
@Entity('inbox_event')
@Index('uq_inbox_event', ['platform', 'eventId'], { unique: true })
export class InboxEvent {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) platform!: string;
  @StringColumn(128) eventId!: string;
  @StringColumn(32, { default: '' }) kind!: string;
  @CreatedAtColumn() receivedAt!: Date;
}
