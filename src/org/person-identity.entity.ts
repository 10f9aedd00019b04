import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, IntColumn, StringColumn } from '../database/columns';
import type { Platform } from '../shared/vocabulary';

/** P3: a person's stable id on a platform (DingTalk userId/staffId, WeCom userid). Every click is authorised from it. */
@Entity('person_identity')
@Index('uq_person_identity', ['platform', 'corpId', 'externalUserId'], { unique: true })
@Index('ix_person_identity_person', ['personId'])
export class PersonIdentity {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  @StringColumn(16) platform!: Platform;
  @StringColumn(64, { default: '' }) corpId!: string;
  @StringColumn(128) externalUserId!: string;
  @CreatedAtColumn() createdAt!: Date;
}
