import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IntColumn } from '../../database/columns';

/** A fixed send window per target: how many messages it has taken since `windowStart`. */
@Entity('rate_window')
export class RateWindow {
  @PrimaryColumn({ type: 'varchar', length: 191 }) bucket!: string;
  @DateTimeColumn() windowStart!: Date;
  @IntColumn() used!: number;
}
