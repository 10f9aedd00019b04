import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource, In } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ItemQueriesService } from '../cases/item-queries.service';
import { ItemEvent } from '../cases/item-event.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Report } from '../cases/report.entity';
import { Unit } from '../org/unit.entity';
import { Clock, SecurityClock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { checkItemLink } from './item-link.rules';
import { ITEM_PAGE_CSP, itemPageHtml, linkProblemHtml } from './item-page.html';

/**
 * Issue 14: 查看详情 on a phone. The link made when the message was sent (/m/items/{number}?exp=…&sig=…) is the
 * permission — an HMAC of number and expiry under the link secret — so the page opens without signing in; a forged
 * link is 403, an expired one 410, each a Chinese page saying what to do. Headers as for /public: nothing runs, the
 * type is what it says, the address is not passed on.
 */
@ApiExcludeController()
@Controller('m/items')
export class ItemPageController {
  constructor(
    private readonly db: DataSource,
    private readonly queries: ItemQueriesService,
    private readonly clock: Clock,
    /** The link's 30 days are real days (issue 16: the demo clock jumping does not expire it). */
    private readonly security: SecurityClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':number')
  @Public()
  async page(@Param('number') number: string, @Query('exp') exp: unknown, @Query('sig') sig: unknown, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', ITEM_PAGE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const shown = number.slice(0, 40);
    const check = checkItemLink(this.config.linkSecret, number, exp, sig, this.security.now());
    if (check !== 'ok') {
      res.status(check === 'expired' ? 410 : 403).send(linkProblemHtml(check, shown));
      return;
    }
    let item;
    try {
      item = await this.queries.load(number);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // A clue's or a 通报's card (XS…, TB…) links here too when it has no page of its own: say what it is.
      res.status(404).send(linkProblemHtml(/^(XS|TB)/i.test(shown) ? 'decision' : 'missing', shown));
      return;
    }
    const [view] = await this.queries.views([item]);
    const [links, reports, events] = await Promise.all([
      this.db.getRepository(ItemUnit).findBy({ itemId: item.id }),
      this.db.getRepository(Report).find({ where: { itemId: item.id }, order: { id: 'DESC' }, take: 3 }),
      this.db.getRepository(ItemEvent).find({ where: { itemId: item.id }, order: { id: 'DESC' }, take: 10 }),
    ]);
    const unitIds = [...new Set([...links.map((l) => l.unitId), ...reports.map((r) => r.unitId)])];
    const units = new Map((unitIds.length ? await this.db.getRepository(Unit).findBy({ id: In(unitIds) }) : []).map((u) => [u.id, u.name]));
    res.status(200).send(
      itemPageHtml({
        item: { ...view!, content: item.content, ownerOffice: view!.ownerOffice?.name ?? view!.owner?.name ?? '', leader: view!.leader?.name ?? '' },
        units: links
          .sort((a, b) => (a.role === b.role ? a.id - b.id : a.role === 'lead' ? -1 : 1))
          .map((l) => ({ name: units.get(l.unitId) ?? '', role: l.role === 'lead' ? 'lead' : 'co', signedAt: l.signedAt })),
        reports: reports.reverse().map((r) => ({ at: r.submittedAt, unit: units.get(r.unitId) ?? '', content: r.content })),
        events: events.reverse().map((e) => ({ at: e.at, who: e.actorName ?? '', summary: e.summary ?? '' })),
        now: this.clock.now(),
      }),
    );
  }
}
