import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn } from '../database/columns';

/** Bearer tokens issued by an admin to a person; only the SHA-256 of the token is stored. */
@Entity('api_token')
@Index('uq_api_token_hash', ['tokenHash'], { unique: true })
export class ApiToken {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  @StringColumn(64) tokenHash!: string;
  @StringColumn(100, { default: '' }) label!: string;
  @CreatedAtColumn() createdAt!: Date;
  @DateTimeColumn({ nullable: true }) revokedAt!: Date | null;
}
