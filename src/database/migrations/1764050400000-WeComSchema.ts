import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/** Issue 5: a WeCom app card's latest response_code (single use, 72 h) — spent once, never reused. */
export class WeComSchema1764050400000 implements MigrationInterface {
  name = 'WeComSchema1764050400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('card_instance', [
      new TableColumn({ name: 'response_code', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'response_code_at', type: 'datetime', precision: 3, isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('card_instance', 'response_code_at');
    await qr.dropColumn('card_instance', 'response_code');
  }
}
