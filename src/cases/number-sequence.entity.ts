import { Entity, PrimaryColumn } from 'typeorm';
import { IntColumn } from '../database/columns';

/** C1: the last number handed out per prefix and year. Numbers only go up, so a retired number never returns. */
@Entity('number_sequence')
export class NumberSequence {
  @PrimaryColumn({ type: 'varchar', length: 16 }) prefix!: string;
  @PrimaryColumn({ type: 'int' }) year!: number;
  @IntColumn() lastSeq!: number;
}
