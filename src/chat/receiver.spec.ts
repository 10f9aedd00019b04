import { ACK_DEADLINES_MS, Acknowledgement, MultipleAckError, settling } from './receiver';

/** The one-shot acknowledgement every chat receiver answers a delivery with (after bolt-js's HTTPResponseAck). */
describe('Acknowledgement', () => {
  let sent: unknown[];
  let warnings: { event: string; [k: string]: unknown }[];
  let expired: string[];
  let clockMs: number;

  const make = (deadlineMs = 2_000) =>
    new Acknowledgement<unknown>({
      label: 'test:1',
      deadlineMs,
      send: (r) => void sent.push(r),
      log: { warn: (m) => void warnings.push(JSON.parse(m)) },
      onDeadline: (label) => void expired.push(label),
      now: () => clockMs,
    });

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    warnings = [];
    expired = [];
    clockMs = 0;
  });
  afterEach(() => jest.useRealTimers());

  it('sends its response once and returns it; a second ack throws and sends nothing', () => {
    const ack = make();
    expect(ack.state).toBe('pending');
    expect(ack.ack({ duplicate: false })).toEqual({ duplicate: false });
    expect(ack.state).toBe('acked');
    expect(() => ack.ack({ duplicate: true })).toThrow(MultipleAckError);
    expect(sent).toEqual([{ duplicate: false }]);
    expect(warnings.map((w) => w.event)).toEqual(['chat_ack_repeated']);
  });

  it('a declined delivery sends nothing and cannot be acknowledged afterwards (nor declined twice)', () => {
    const ack = make();
    ack.decline();
    expect(ack.state).toBe('declined');
    expect(() => ack.ack('late')).toThrow(MultipleAckError);
    expect(() => ack.decline()).toThrow(MultipleAckError);
    expect(sent).toEqual([]);
  });

  it('the deadline fires when the delivery is neither acknowledged nor declined: warned once, the handler called once', () => {
    const ack = make(2_000);
    jest.advanceTimersByTime(1_999);
    expect(expired).toEqual([]);
    expect(ack.late).toBe(false);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['test:1']);
    expect(ack.late).toBe(true);
    expect(ack.state).toBe('pending');
    expect(warnings).toEqual([{ event: 'chat_ack_deadline_passed', delivery: 'test:1', deadlineMs: 2_000 }]);
    jest.advanceTimersByTime(60_000);
    expect(expired).toHaveLength(1);
  });

  it('after the deadline an ack is still sent, once, and logged as late', () => {
    const ack = make(5_000);
    clockMs = 7_500;
    jest.advanceTimersByTime(5_000);
    ack.ack('answer');
    expect(sent).toEqual(['answer']);
    expect(warnings.at(-1)).toEqual({ event: 'chat_ack_late', delivery: 'test:1', deadlineMs: 5_000, elapsedMs: 7_500 });
    expect(() => ack.ack('again')).toThrow(MultipleAckError);
    expect(sent).toEqual(['answer']);
  });

  it('an ack or a decline in time stops the deadline', () => {
    const acked = make();
    const declined = make();
    acked.ack(null);
    declined.decline();
    jest.advanceTimersByTime(10_000);
    expect(expired).toEqual([]);
    expect(warnings).toEqual([]);
    expect(acked.late || declined.late).toBe(false);
  });

  it('ackAndWait waits for an asynchronous send, and a failing send leaves the delivery acknowledged', async () => {
    jest.useRealTimers();
    const order: string[] = [];
    const ok = new Acknowledgement<string>({
      label: 'ws:1',
      deadlineMs: 5_000,
      log: { warn: () => undefined },
      send: async (r) => void order.push(await Promise.resolve(r)),
    });
    await ok.ackAndWait('card');
    expect(order).toEqual(['card']);
    const failing = new Acknowledgement<string>({
      label: 'ws:2',
      deadlineMs: 5_000,
      log: { warn: () => undefined },
      send: () => Promise.reject(new Error('socket closed')),
    });
    await expect(failing.ackAndWait('card')).rejects.toThrow('socket closed');
    expect(failing.state).toBe('acked');
  });

  it('settling declines a delivery whose work throws (the platform delivers it again), and leaves a settled one alone', async () => {
    const refused = make();
    await expect(settling(refused, () => Promise.reject(new Error('503')))).rejects.toThrow('503');
    expect(refused.state).toBe('declined');
    const answered = make();
    await expect(
      settling(answered, async () => {
        answered.ack('ok');
        throw new Error('after the ack');
      }),
    ).rejects.toThrow('after the ack');
    expect(answered.state).toBe('acked');
    expect(sent).toEqual(['ok']);
  });

  it('deadlines per platform (PLATFORMS.md): DingTalk card 2 s, WeCom callbacks 5 s, WeCom URL verification 1 s', () => {
    expect(ACK_DEADLINES_MS.dingtalkCard).toBe(2_000);
    expect(ACK_DEADLINES_MS.wecomCallback).toBe(5_000);
    expect(ACK_DEADLINES_MS.wecomLongConnection).toBe(5_000);
    expect(ACK_DEADLINES_MS.wecomUrlVerification).toBe(1_000);
  });
});
