import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('virtual clock', () => {
  const clocks: VirtualClock[] = [];
  const newClock = () => {
    const clock = new VirtualClock(0);
    clocks.push(clock);
    return clock;
  };
  afterEach(() => {
    for (const c of clocks.splice(0)) c.close();
  });

  it('fires timers in time order, those due at the same instant in the order set, each at its due time', async () => {
    const clock = newClock();
    const fired: [string, number][] = [];
    const at = (name: string, ms: number) => clock.setTimeout(() => fired.push([name, clock.now()]), ms);
    at('c', 30_000);
    at('a1', 10_000);
    at('a2', 10_000);
    at('b', 20_000);
    clock.setTimeout(() => at('a3', 0), 10_000);
    expect(clock.now()).toBe(0);
    await clock.until(() => fired.length === 5, { wallLimitMs: 5000, what: 'the timers' });
    expect(fired).toEqual([
      ['a1', 10_000],
      ['a2', 10_000],
      ['a3', 10_000],
      ['b', 20_000],
      ['c', 30_000],
    ]);
  });

  it('moves no time outside until, skips a cleared timer, and says when nothing is left to happen', async () => {
    const clock = newClock();
    let fired = 0;
    const timer = clock.setTimeout(() => fired++, 5000);
    clock.setTimeout(() => fired++, 7000);
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now()).toBe(0);
    clock.clearTimeout(timer);
    await expect(clock.until(() => fired === 2, { wallLimitMs: 5000, what: 'two timers' })).rejects.toThrow(/nothing left to happen while waiting for two timers/);
    expect(fired).toBe(1);
    expect(clock.now()).toBe(7000);
  });

  it('waits for a message in flight over TCP and its handling before the next timer fires', async () => {
    const clock = newClock();
    // A server that answers after a few turns of the event loop, as a broker passing a message on.
    const server = net.createServer((socket) =>
      socket.on('data', () => {
        const later = (n: number) => (n === 0 ? socket.write('pong') : setImmediate(() => later(n - 1)));
        later(5);
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = net.createConnection({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1' });
    await new Promise((r) => client.once('connect', r));
    let answeredAt: number | undefined;
    client.on('data', () => {
      // The handler defers its work once more, as the controller's handlers do.
      setImmediate(() => (answeredAt = clock.now()));
    });
    let seenAtTimer: number | undefined;
    clock.setTimeout(() => (seenAtTimer = answeredAt), 1);
    client.write('ping');
    await clock.until(() => seenAtTimer !== undefined || clock.now() >= 1, { wallLimitMs: 5000, what: 'the timer' });
    expect(answeredAt).toBe(0);
    expect(seenAtTimer).toBe(0);
    client.destroy();
    await new Promise((r) => server.close(r));
  });

  it('keeps time still while held work is under way', async () => {
    const clock = newClock();
    let doneAt: number | undefined;
    let timerSawDone: boolean | undefined;
    clock.setTimeout(() => (timerSawDone = doneAt !== undefined), 1000);
    const work = clock.hold(new Promise<void>((r) => setTimeout(r, 50)).then(() => (doneAt = clock.now())));
    await clock.until(() => timerSawDone !== undefined, { wallLimitMs: 5000, what: 'the timer' });
    await work;
    expect(doneAt).toBe(0);
    expect(timerSawDone).toBe(true);
  });
});
