import { Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { IntColumn, JsonColumn } from '../database/columns';

/** Policy values that DOMAIN calls "default": data an admin edits, not code. */
@Entity('setting')
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @JsonColumn() value!: unknown;
  @IntColumn({ default: 1 }) version!: number;
  @UpdateDateColumn({ type: 'datetime', precision: 3 }) updatedAt!: Date;
}
