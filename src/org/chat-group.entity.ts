import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, IntColumn, StringColumn } from '../database/columns';
import type { Platform } from '../shared/vocabulary';

export type GroupPurpose = 'unit' | 'broadcast' | 'supervision';

/** P1: a DingTalk or WeCom group a unit is bound to (or a broadcast group for 通报). */
@Entity('chat_group')
@Index('uq_chat_group', ['platform', 'externalId'], { unique: true })
@Index('ix_chat_group_unit', ['unitId'])
export class ChatGroup {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) platform!: Platform;
  @StringColumn(64, { default: '' }) corpId!: string;
  /** DingTalk openConversationId / WeCom chatid. */
  @StringColumn(128) externalId!: string;
  @StringColumn(100) name!: string;
  @IntColumn({ nullable: true }) unitId!: number | null;
  @StringColumn(16) purpose!: GroupPurpose;
  /** Custom/group robot webhook for send-only broadcast groups. */
  @StringColumn(500, { nullable: true }) webhookUrl!: string | null;
  /** The custom robot's 加签 secret; never shown back over the API. */
  @StringColumn(128, { nullable: true, select: false }) webhookSecret!: string | null;
  @CreatedAtColumn() createdAt!: Date;
}
