import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn } from '../database/columns';

/** Bearer tokens issued by an admin to a person; only the SHA-256 of the token is stored. */
@Entity('api_token')
export class ApiToken {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  @StringColumn(64, { unique: true }) tokenHash!: string;
  @StringColumn(100, { default: '' }) label!: string;
  @CreatedAtColumn() createdAt!: Date;
  @DateTimeColumn({ nullable: true }) revokedAt!: Date | null;
}
