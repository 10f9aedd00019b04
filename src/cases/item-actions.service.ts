import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, unitsOf } from '../shared/actor';
import { Clock } from '../shared/clock';
import { shanghaiDate, toShanghaiIso } from '../shared/shanghai-time';
import { CalendarService } from '../calendar/calendar.service';
import { SettingsService } from '../settings/settings.service';
import { relationOf } from './command-runner';
import { lastExtensionDay } from './deadline.rules';
import { itemActions, ItemActions } from './item-actions.rules';
import { ItemQueriesService } from './item-queries.service';
import { ItemRequest } from './item-request.entity';
import { ItemUnit } from './item-unit.entity';
import { Report } from './report.entity';

/**
 * Issue 15: the actions this viewer may take on an item now (item-actions.rules), read within the viewer's scope (P4:
 * an item out of reach is the 404 of a number that does not exist). Reads only.
 */
@Injectable()
export class ItemActionsService {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async forViewer(numberInput: string, actor: Actor): Promise<ItemActions & { number: string }> {
    const item = await this.queries.loadFor(numberInput, actor);
    const [units, pendingExtension, pendingClosure, standingReport, policy, calendar] = await Promise.all([
      this.db.getRepository(ItemUnit).findBy({ itemId: item.id }),
      this.db.getRepository(ItemRequest).findOne({ where: { itemId: item.id, kind: 'extension', status: 'pending' }, order: { id: 'DESC' } }),
      this.db.getRepository(ItemRequest).existsBy({ itemId: item.id, kind: 'closure', status: 'pending' }),
      this.db.getRepository(Report).existsBy({ itemId: item.id, status: 'submitted' }),
      this.settings.deadlinePolicy(),
      this.calendar.calendar(),
    ]);
    const relation = relationOf(actor, item, units);
    // The row `sign` writes: the viewer's unit in the role it holds on the item (ItemCommandsService.sign).
    const mine = units.find((u) => u.role === relation.unitRole && unitsOf(actor).includes(u.unitId));
    const lastDay = lastExtensionDay(item.deadlineAt, calendar, policy);
    const now = this.clock.now();
    return {
      number: item.number,
      ...itemActions({
        number: item.number,
        state: item.state,
        decomposed: item.decomposed,
        isChild: item.parentId !== null,
        relation,
        mySigned: !!mine?.signedAt,
        standingReport,
        pendingExtension: pendingExtension
          ? {
              id: pendingExtension.id,
              proposedDeadline: toShanghaiIso(pendingExtension.proposedDeadline),
              reason: pendingExtension.text,
              plan: pendingExtension.plan,
              requestedAt: toShanghaiIso(pendingExtension.requestedAt),
            }
          : null,
        pendingClosure,
        servedParty: item.servedParty,
        keySupervision: item.keySupervision,
        failedClosureAttempts: item.failedClosureAttempts,
        deadline: toShanghaiIso(item.deadlineAt)!,
        extensionLastDay: lastDay,
        extensionOpen: shanghaiDate(now) <= lastDay,
        extensionMinDaysBefore: policy.extensionMinDaysBefore,
        extensionDaysUnit: policy.extensionDaysUnit,
        dayEnd: policy.dayEnd,
      }),
    };
  }
}
