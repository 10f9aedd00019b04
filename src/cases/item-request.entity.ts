import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BoolColumn, DateTimeColumn, IntColumn, StringColumn, TextColumn } from '../database/columns';

export type RequestKind = 'extension' | 'closure' | 'verification';
/** failed_agreement: D1 — the 服务对象 did not agree, the attempt counts towards verification. */
export type RequestStatus = 'pending' | 'approved' | 'refused' | 'returned' | 'withdrawn' | 'failed_agreement' | 'passed' | 'failed';

/** E1 extension and D1 closure requests, and D1 verifications ordered by the owner. */
@Entity('item_request')
@Index('ix_item_request_item', ['itemId', 'kind', 'status'])
export class ItemRequest {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() itemId!: number;
  @StringColumn(16) kind!: RequestKind;
  @StringColumn(20) status!: RequestStatus;
  @IntColumn() requestedById!: number;
  @DateTimeColumn() requestedAt!: Date;
  @TextColumn() text!: string;
  /** E1: the plan behind an extension. */
  @TextColumn({ nullable: true }) plan!: string | null;
  @DateTimeColumn({ nullable: true }) proposedDeadline!: Date | null;
  /** D1: did the 服务对象 agree (null when the item has none). */
  @BoolColumn({ nullable: true }) servedPartyAgreed!: boolean | null;
  /** D1: 专家论证 / 公众评价 */
  @StringColumn(24, { nullable: true }) method!: string | null;
  @IntColumn({ nullable: true }) decidedById!: number | null;
  @DateTimeColumn({ nullable: true }) decidedAt!: Date | null;
  @StringColumn(500, { nullable: true }) decisionNote!: string | null;
}
