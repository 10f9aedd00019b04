import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn, UnsetInstantColumn } from '../database/columns';

export type ReminderStatus = 'pending' | 'sent' | 'cancelled';

/** One planned reminder. `key` (item, kind, audience, planned instant) makes planning idempotent across runs and instances. */
@Entity('reminder')
/**
 * Issue 17: one index for the key's uniqueness and for reading by item — the key begins with the item's id, so the pair
 * is unique exactly when the key is. A planned reminder used to write a leaf of the key's index and another of the
 * item's, each a random page; now one. A status change (sent, cancelled) moves no entry here.
 */
@Index('uq_reminder_item_key', ['itemId', 'key'], { unique: true })
@Index('ix_reminder_dispatch', ['status', 'dueAt', 'recipientKey'])
export class Reminder {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(191, { name: 'reminder_key' }) key!: string;
  @IntColumn() itemId!: number;
  @StringColumn(32) kind!: string;
  @StringColumn(8) rule!: string;
  @StringColumn(24) audience!: string;
  /** Who it goes to, as known at planning: 'unit:<lead unit id>', 'person:<id>' or 'office' (the 督查室). */
  @StringColumn(64, { default: '' }) recipientKey!: string;
  /** When the rule puts it; `dueAt` is after R10's quiet-hours deferral. */
  @DateTimeColumn() plannedAt!: Date;
  @DateTimeColumn() dueAt!: Date;
  @StringColumn(16) status!: ReminderStatus;
  /** The policy id ('daily'), or base and add-ons with their versions when composed ('key_task@1+work_report@2'). */
  @StringColumn(191) policyId!: string;
  @IntColumn() policyVersion!: number;
  /** Null until sent; stored unset as the epoch, not NULL (UnsetInstantColumn): dispatch marks 10^5 reminders sent at once. */
  @UnsetInstantColumn() sentAt!: Date | null;
  @CreatedAtColumn() createdAt!: Date;
}
