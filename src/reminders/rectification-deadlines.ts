import { Injectable } from '@nestjs/common';
import type { WorkCalendar } from '../calendar/work-calendar';
import type { ResolvedDeadline } from '../cases/deadline.rules';
import { RectificationDeadlines } from '../cases/rectification-deadline.port';
import { invalid } from '../shared/errors';
import { ReminderPolicyService } from './reminder-policy.service';
import { isAddOn, ReminderPolicy } from './reminder.policy';
import { rectificationDueAt } from './schedule.rules';

/** R9 by the rectification policy in force (R10): what cases' RectificationDeadlines port asks. */
@Injectable()
export class PolicyRectificationDeadlines extends RectificationDeadlines {
  constructor(private readonly policies: ReminderPolicyService) {
    super();
  }

  async deadline(now: Date, calendar: WorkCalendar): Promise<ResolvedDeadline> {
    const policies = await this.policies.current();
    const policy = policies.find((p): p is ReminderPolicy => !isAddOn(p) && !!p.appliesTo.kinds?.includes('rectification'));
    if (!policy) throw invalid('POLICY.MISSING', '没有适用于整改通知的提醒策略，暂不能登记整改通知；请管理员先在提醒策略中配置。');
    const at = rectificationDueAt(now, policy, calendar);
    return { at, spec: `R9:${policy.rectificationHours ?? 48}h`, uncoveredYears: [] };
  }
}
