import { Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, IntColumn, JsonColumn } from '../database/columns';
import type { PolicyRow } from './reminder.policy';

/** One version of one reminder policy (R10: policies are data). A reminder names the version that planned it. */
@Entity('reminder_policy')
export class ReminderPolicyRow {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @JsonColumn() body!: PolicyRow;
  @IntColumn({ nullable: true }) createdById!: number | null;
  @CreatedAtColumn() createdAt!: Date;
}
