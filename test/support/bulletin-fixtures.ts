import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { type Cast, type CastSpec, seedCast } from './fixtures';
import type { TestApp } from './test-app';

type Unit = 'FGW' | 'CZJ';

/**
 * The 通报 tests' March (issue 14/15): 市发展改革委 and 市财政局 with the groups a test binds to them, 王督查 (督查室
 * and owner) and 赵副市长, and four items handed over with a day to answer and never answered — four rows of criticism,
 * two per unit. Returns the cast and the items' numbers; the test then moves its clock into April.
 */
export async function seedUnansweredMarch(
  t: TestApp,
  groups: CastSpec<Unit, never>['groups'] = [],
): Promise<{ cast: Cast<Unit, 'sup' | 'leader'>; numbers: string[] }> {
  const cast = await seedCast(t, {
    units: { FGW: '市发展改革委', CZJ: '市财政局' },
    groups,
    people: {
      sup: { name: '王督查', roles: [{ role: 'supervisor' }, { role: 'owner' }], dingtalk: 'dt-sup' },
      leader: { name: '赵副市长', roles: [{ role: 'leader' }], dingtalk: 'dt-leader' },
    },
  });
  const sup = cast.people.sup.actor;
  const numbers: string[] = [];
  for (const [title, unit] of [
    ['编制重大项目清单', 'FGW'],
    ['核查专项资金拨付', 'CZJ'],
    ['推进价格监测平台建设', 'FGW'],
    ['清理政府性债务台账', 'CZJ'],
  ] as const) {
    const item = await t.get(RegistrationService).register(
      {
        title,
        content: '内容',
        source: 'meeting',
        ownerId: cast.people.sup.id,
        leaderId: cast.people.leader.id,
        leadUnitId: cast.units[unit],
        deadline: { node: '1d' },
      },
      sup,
    );
    await t.get(ItemCommandsService).assign(item.number, sup);
    numbers.push(item.number);
  }
  return { cast, numbers };
}
