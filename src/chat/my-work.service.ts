import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Actor, actsAsOwner, hasRole, unitsOf } from '../shared/actor';
import { ItemQueriesService } from '../cases/item-queries.service';
import { ItemRequest } from '../cases/item-request.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Item } from '../cases/item.entity';
import type { ItemView } from '../cases/item.view';
import type { HelpRole } from './parser/messages';
import { lateForSupervisor, Waiting, waitingOn, WorkEntry } from './my-work.rules';

/** How many open items /我的 reads for one person (each section shows ten). */
const READ_LIMIT = 60;

/** Issue 14: a person's open items and what waits on them, read once for /我的, /帮助 and the answer to a greeting. */
@Injectable()
export class MyWorkService {
  constructor(
    readonly dataSource: DataSource,
    private readonly queries: ItemQueriesService,
  ) {}

  now(): Date {
    return this.queries.now();
  }

  async read(actor: Actor): Promise<{ entries: WorkEntry[]; waiting: Waiting[]; roles: HelpRole[] }> {
    const items = await this.queries.openItemsFor(actor, READ_LIMIT);
    const now = this.queries.now();
    const entries = await this.entries(actor, items);
    const waiting = entries.flatMap((e) => waitingOn(e, now));
    // Signing first, then the rest in deadline order (entries already are).
    waiting.sort((a, b) => rank(a) - rank(b));
    if (hasRole(actor, 'supervisor')) {
      const late = await this.queries.filtered({ overdue: true }, actor).orderBy('i.deadline_at', 'ASC').addOrderBy('i.id', 'ASC').take(5).getMany();
      const seen = new Set(waiting.map((w) => w.number));
      for (const v of await this.queries.views(late)) if (!seen.has(v.number)) waiting.push(lateForSupervisor(v, now));
    }
    return { entries, waiting, roles: rolesOf(actor) };
  }

  /** What waits on this person for one item (/查询 ends with it). */
  async waitingFor(actor: Actor, item: Item): Promise<Waiting[]> {
    const [entry] = await this.entries(actor, [item]);
    return entry ? waitingOn(entry, this.queries.now()) : [];
  }

  /** The console's 工作台 (issue 15): the same entries as /我的, over more items, with the whole item view. */
  async entriesFor(actor: Actor, limit: number): Promise<(WorkEntry & { item: ItemView })[]> {
    return this.entries(actor, await this.queries.openItemsFor(actor, limit));
  }

  private async entries(actor: Actor, items: Item[]): Promise<(WorkEntry & { item: ItemView })[]> {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    const mine = unitsOf(actor);
    const [views, links, pending] = await Promise.all([
      this.queries.views(items),
      mine.length ? this.dataSource.getRepository(ItemUnit).findBy({ itemId: In(ids), unitId: In(mine) }) : Promise.resolve([] as ItemUnit[]),
      this.dataSource.getRepository(ItemRequest).findBy({ itemId: In(ids), kind: 'extension', status: 'pending' }),
    ]);
    return items.map((item, k) => {
      const own = links.filter((l) => l.itemId === item.id);
      const link = own.find((l) => l.role === 'lead') ?? own[0];
      return {
        item: views[k]!,
        unit: link ? { role: link.role === 'lead' ? ('lead' as const) : ('co' as const), signed: link.signedAt !== null } : undefined,
        asOwner: actsAsOwner(actor, item),
        asLeader: actor.personId !== null && actor.personId === item.leaderId,
        extensionPending: pending.some((r) => r.itemId === item.id),
      };
    });
  }
}

const rank = (w: Waiting) => (w.what.startsWith('待签收') ? 0 : 1);

/** P2: the /帮助 sections a person gets. */
export function rolesOf(actor: Actor): HelpRole[] {
  const roles: HelpRole[] = [];
  if (unitsOf(actor).length) roles.push('unit');
  if (hasRole(actor, 'owner')) roles.push('owner');
  if (hasRole(actor, 'leader')) roles.push('leader');
  if (hasRole(actor, 'supervisor')) roles.push('supervisor');
  return roles;
}
