import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, StringColumn } from '../../database/columns';

/**
 * A callback signature we have accepted, kept until its timestamp leaves the freshness window (issue 11 D11).
 * DingTalk's HTTP callback signs only the timestamp, so within the window a captured (timestamp, sign) pair would
 * authenticate any body: the unique key lets each pair be used for one body only.
 */
@Entity('callback_signature')
@Index('uq_callback_signature', ['channel', 'signatureKey'], { unique: true })
@Index('ix_callback_signature_expiry', ['expiresAt'])
export class CallbackSignature {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** Which entry point: dingtalk-robot, dingtalk-card… */
  @StringColumn(32) channel!: string;
  /** sha256 (hex) of what was signed and the signature. */
  @StringColumn(64) signatureKey!: string;
  /** sha256 (hex) of the body it came with: the same request again is a redelivery, another body a replay. */
  @StringColumn(64) bodyDigest!: string;
  @DateTimeColumn() expiresAt!: Date;
}
