import { Entity, PrimaryColumn } from 'typeorm';
import { IntColumn, JsonColumn, UpdatedAtColumn } from '../database/columns';

/** Policy values that DOMAIN calls "default": data an admin edits, not code. */
@Entity('setting')
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @JsonColumn() value!: unknown;
  @IntColumn({ default: 1 }) version!: number;
  @UpdatedAtColumn() updatedAt!: Date;
}
