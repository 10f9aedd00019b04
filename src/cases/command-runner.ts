import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actsAsOwner, hasRole, unitsOf } from '../shared/actor';
import { OutboxWriter } from '../outbox/outbox.writer';
import { Clock } from '../shared/clock';
import { DomainError, conflict, notFound } from '../shared/errors';
import { CommandContext } from './command-context';
import { Item } from './item.entity';
import { ItemUnit } from './item-unit.entity';
import { Unit } from '../org/unit.entity';
import { ActorRelation, ItemAction, checkAction } from './item.rules';
import { NumberingService } from './numbering.service';
import { TimelineWriter } from './timeline.writer';
import { inTransaction } from '../database/transaction';
import { findOneWithChildren } from '../database/plain-sql';

/** P2–P4: how this actor stands to this item. */
export function relationOf(actor: Actor, item: Item, units: ItemUnit[]): ActorRelation {
  const mine = unitsOf(actor);
  const lead = units.find((u) => u.role === 'lead');
  const unitRole = lead && mine.includes(lead.unitId) ? 'lead' : units.some((u) => u.role === 'co' && mine.includes(u.unitId)) ? 'co' : undefined;
  return {
    system: actor.channel === 'system' && actor.personId === null,
    isSupervisor: hasRole(actor, 'supervisor'),
    isOwner: actsAsOwner(actor, item),
    isLeader: actor.personId !== null && actor.personId === item.leaderId,
    unitRole,
  };
}

/** What a command held under its item's lock when it ended: the item and its units with its own changes applied. */
export interface HeldItem {
  item: Item;
  units: ItemUnit[];
  relation: ActorRelation;
  action: ItemAction;
}

/**
 * Commands whose changes to the item and its units all pass through CommandContext (transition, record, and a 签收's
 * own row, which it updates in memory too): what they hold when they end is what they commit. Others (调整承办,
 * 分解立项 …) write rows the context does not follow, so they are not watched.
 */
const FOLLOWED: ReadonlySet<ItemAction> = new Set<ItemAction>([
  'sign',
  'report',
  'return',
  'leader_return',
  'withdraw',
  'request_extension',
  'decide_extension',
  'request_closure',
  'start_review',
  'verify',
  'rate',
  'sign_off',
]);

const watching = new AsyncLocalStorage<Map<string, HeldItem>>();

/**
 * Issue 17: runs `work`, recording in `held` (by item number) what each command run inside it held when it ended — so a
 * chat click can answer with the card as its own command left the item, without reading it all again after commit.
 * The caller must forget `held` when its transaction rolls back (a refusal) — the entries are then not what committed.
 */
export function watchCommands<T>(held: Map<string, HeldItem>, work: () => Promise<T>): Promise<T> {
  return watching.run(held, work);
}

/** What the command run for `number` inside watchCommands held when it ended, if one was. */
export const heldFor = (number: string): HeldItem | undefined => watching.getStore()?.get(number);

/** Principle 2: one command = one transaction: load, check the rule, change, log, queue messages. */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly timeline: TimelineWriter,
    private readonly outbox: OutboxWriter,
    private readonly numbering: NumberingService,
  ) {}

  normalizeNumber(input: string): string {
    const number = this.numbering.normalize(input);
    if (!number) throw notFound('CASE.NOT_FOUND', `没有编号为「${input}」的督办事项（编号形如 ${this.numbering.prefix}2026-0042）。`);
    return number;
  }

  async run<T>(numberInput: string, actor: Actor, action: ItemAction, body: (c: CommandContext) => Promise<T>): Promise<T> {
    const number = this.normalizeNumber(numberInput);
    // Lock first, then read — and read what is committed (see TransactionOptions.isolation).
    return inTransaction(this.db, (em) => this.runIn(em, number, actor, action, body), { isolation: 'READ COMMITTED' });
  }

  /** The same, inside a transaction the caller already holds (C4: closing a parent when its last child closes). */
  async runIn<T>(em: EntityManager, number: string, actor: Actor, action: ItemAction, body: (c: CommandContext) => Promise<T>): Promise<T> {
    // Lock the item row for the rest of the transaction (MySQL/MariaDB): two messages about one item are then
    // handled one after the other instead of the second failing on the version check. SQLite serialises writers anyway.
    // Issue 17: the item and its units in one read, plain SQL (the units' rows are locked with it; only commands
    // holding the item's lock write them).
    const found = await findOneWithChildren(em, Item, { column: 'number', value: number }, ItemUnit, 'itemId', true);
    if (!found) throw notFound('CASE.NOT_FOUND', `没有编号为「${number}」的督办事项。`);
    const { row: item, children: units } = found;
    if (item.decomposed && !['archive', 'close_by_children'].includes(action)) {
      // C4
      throw conflict('CASE.DECOMPOSED', `事项 ${number} 已分解立项，请在它的子事项上办理。`);
    }
    const relation = relationOf(actor, item, units);
    let refusal = checkAction(action, item.state, relation, number);
    if (refusal?.code === 'CASE.FORBIDDEN' && relation.unitRole === 'co') {
      // P4 谁主办、谁反馈: tell the co-unit which unit reports for it.
      const leadUnitId = units.find((u) => u.role === 'lead')?.unitId;
      const leadUnit = leadUnitId === undefined ? null : await em.findOneBy(Unit, { id: leadUnitId });
      refusal = checkAction(action, item.state, relation, number, { leadUnitName: leadUnit?.name });
    }
    if (refusal) throw new DomainError(refusal.code, refusal.message, refusal.kind);
    const ctx = new CommandContext(em, item, units, actor, relation, this.clock.now(), this.timeline, this.outbox);
    const result = await body(ctx);
    const held = watching.getStore();
    if (held && FOLLOWED.has(action)) held.set(item.number, { item, units, relation, action });
    return result;
  }
}
