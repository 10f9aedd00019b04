import { QueryRunner, TableColumn, type MigrationInterface } from 'typeorm';

/** The issue-13 defaults of the two R8 source policies, as they land (never edited: a later change is a later migration). */
const OLD_LIVELIHOOD_DATES = { monthly: [10] };
const ADD_ONS: { id: string; appliesTo: object; fixedReportDates: unknown }[] = [
  { id: 'work_report', appliesTo: { sources: ['work_report'] }, fixedReportDates: [{ months: [4, 7, 10, 12], day: 10 }] },
  { id: 'livelihood', appliesTo: { sources: ['livelihood'] }, fixedReportDates: { monthly: [10, 15] } },
];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Issue 13 §4 (R6–R8): the 政府工作报告 and 十件实事 policies become add-ons — fixed report dates on top of the item's own
 * policy — at version 2 in code. A database where an administrator saved versions of them would keep the saved whole
 * policy in force (it replaces the board's, so a key task loses R6/R7): here the add-on is appended after the latest saved
 * version, keeping the administrator's own report dates where they had changed them (the 十件实事 default of only the
 * 10th becomes the 10th and the 15th). And a reminder names a composed policy ('key_task@1+work_report@2'): policy_id
 * widens from 32 to 191 characters.
 */
export class PolicyLayersSchema1764800200000 implements MigrationInterface {
  name = 'PolicyLayersSchema1764800200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.changeColumn('reminder', 'policy_id', new TableColumn({ name: 'policy_id', type: 'varchar', length: '191' }));
    for (const addOn of ADD_ONS) {
      const rows = (await qr.query('SELECT version, body FROM reminder_policy WHERE id = ? ORDER BY version DESC', [addOn.id])) as {
        version: number;
        body: string;
      }[];
      if (rows.length === 0) continue; // the code's version 2 is in force
      const saved = JSON.parse(rows[0].body) as { layer?: string; appliesTo?: object; fixedReportDates?: unknown };
      if (saved.layer === 'add_on') continue;
      const keepDates = saved.fixedReportDates !== undefined && !(addOn.id === 'livelihood' && same(saved.fixedReportDates, OLD_LIVELIHOOD_DATES));
      const version = Math.max(2, Number(rows[0].version)) + 1;
      const body = {
        id: addOn.id,
        version,
        layer: 'add_on',
        appliesTo: saved.appliesTo ?? addOn.appliesTo,
        fixedReportDates: keepDates ? saved.fixedReportDates : addOn.fixedReportDates,
      };
      await qr.query('INSERT INTO reminder_policy (id, version, body, created_by_id) VALUES (?, ?, ?, NULL)', [addOn.id, version, JSON.stringify(body)]);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    // The appended versions stay (policies are history); only the column goes back.
    await qr.changeColumn('reminder', 'policy_id', new TableColumn({ name: 'policy_id', type: 'varchar', length: '32' }));
  }
}
