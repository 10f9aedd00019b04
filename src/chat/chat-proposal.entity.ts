import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn, TextColumn } from '../database/columns';

/** Issue 14: a command waiting for the person's /确认 (one per person; a newer one replaces it). */
@Entity('chat_proposal')
@Index('uq_chat_proposal_person', ['personId'], { unique: true })
export class ChatProposal {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  /** The command as it will be filed, written out in full (the date with its year). */
  @TextColumn() command!: string;
  @StringColumn(32) itemNumber!: string;
  @DateTimeColumn() expiresAt!: Date;
  @CreatedAtColumn() createdAt!: Date;
}
