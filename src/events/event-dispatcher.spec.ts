import type { EntityManager } from 'typeorm';
import { EventDispatcher } from './event-dispatcher';

// Events of this spec only (the application's are declared by the features that publish them).
declare module './event-dispatcher' {
  interface DomainEvents {
    'spec.happened': { n: number };
    'spec.other': { n: number };
  }
}

const em = { name: 'the transaction' } as unknown as EntityManager;

describe('EventDispatcher (issue 12 §1: blocking, ordered, in the publisher’s transaction)', () => {
  it('runs the handlers by order, not by registration, one after another, each awaited, on the publisher’s EntityManager', async () => {
    const d = new EventDispatcher();
    const log: string[] = [];
    const slow = (name: string) => async (m: EntityManager, e: { n: number }) => {
      log.push(`${name} start ${e.n}`);
      expect(m).toBe(em);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`${name} end`);
    };
    d.on('spec.happened', { order: 20, name: 'b' }, slow('b'));
    d.on('spec.happened', { order: 10, name: 'a' }, slow('a'));
    d.on('spec.happened', { order: 30, name: 'c' }, slow('c'));
    d.on('spec.other', { order: 10, name: 'x' }, slow('x'));
    await d.publish(em, 'spec.happened', { n: 1 });
    expect(log).toEqual(['a start 1', 'a end', 'b start 1', 'b end', 'c start 1', 'c end']);
    expect(d.subscribers('spec.happened')).toEqual(['10:a', '20:b', '30:c']);
  });

  it('a throwing handler fails publish and the handlers after it do not run', async () => {
    const d = new EventDispatcher();
    const ran: string[] = [];
    d.on('spec.happened', { order: 1, name: 'first' }, () => void ran.push('first'));
    d.on('spec.happened', { order: 2, name: 'fails' }, () => {
      throw new Error('boom');
    });
    d.on('spec.happened', { order: 3, name: 'after' }, () => void ran.push('after'));
    await expect(d.publish(em, 'spec.happened', { n: 1 })).rejects.toThrow('boom');
    expect(ran).toEqual(['first']);
  });

  it('a subscriber registered twice under its name runs once (the second registration replaces the first)', async () => {
    const d = new EventDispatcher();
    const ran: string[] = [];
    d.on('spec.happened', { order: 10, name: 'ledger' }, () => void ran.push('old'));
    d.on('spec.happened', { order: 10, name: 'ledger' }, () => void ran.push('new'));
    await d.publish(em, 'spec.happened', { n: 1 });
    expect(ran).toEqual(['new']);
    expect(d.subscribers('spec.happened')).toEqual(['10:ledger']);
  });

  it('two subscribers of one event may not share an order; other events are separate', () => {
    const d = new EventDispatcher();
    d.on('spec.happened', { order: 10, name: 'ledger' }, () => undefined);
    expect(() => d.on('spec.happened', { order: 10, name: 'clues' }, () => undefined)).toThrow(/order 10 is taken by ledger/);
    expect(() => d.on('spec.other', { order: 10, name: 'clues' }, () => undefined)).not.toThrow();
  });

  it('unsubscribing removes the handler; an event nobody subscribes to publishes nothing', async () => {
    const d = new EventDispatcher();
    const ran: number[] = [];
    const off = d.on('spec.happened', { order: 1, name: 'a' }, (_m, e) => void ran.push(e.n));
    await d.publish(em, 'spec.happened', { n: 1 });
    off();
    await d.publish(em, 'spec.happened', { n: 2 });
    await d.publish(em, 'spec.other', { n: 3 });
    expect(ran).toEqual([1]);
    expect(d.subscribers('spec.happened')).toEqual([]);
  });
});
