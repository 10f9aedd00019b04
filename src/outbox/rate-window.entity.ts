import { Entity, PrimaryColumn } from 'typeorm';
import { TextColumn } from '../database/columns';

/** A sliding log per target: the send times (ms since the epoch, comma-separated) still inside its window. */
@Entity('rate_window')
export class RateWindow {
  @PrimaryColumn({ type: 'varchar', length: 191 }) bucket!: string;
  @TextColumn({ nullable: true }) sentAt!: string | null;
}
