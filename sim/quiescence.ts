/**
 * Tells when this process has nothing left to do at the current instant, so a
 * {@link VirtualClock} may move time on.
 *
 * How: every TCP socket this process opens or accepts is seen through Node's diagnostics
 * channels (`net.client.socket`, `net.server.socket`). A connection whose both ends are in this
 * process (an MQTT client of the controller, a bridge or a simulated device, and the embedded
 * aedes broker's side of it) is paired by its addresses and ports; the bytes one end wrote that
 * the other has not read yet are in flight. The process is quiet when, on two turns of the event
 * loop in a row (`setImmediate`, each through the poll phase): nothing is in flight, no scenario
 * request is held (`hold`), no other `setImmediate` is pending (`process.getActiveResourcesInfo`),
 * and no byte moved on any socket, no socket opened or closed and no timer was set on the clock
 * since the turn before. A message read is handled synchronously with its microtasks and
 * `nextTick`s; what it defers with `setImmediate` shows as pending, what it writes as in flight.
 *
 * What it cannot see: a connection whose other end is in another process (a device or a bridge
 * run elsewhere, a broker over the network such as Mosquitto at `MQTT_URL`; the scenario then
 * runs on the scaled wall clock and says so), work in worker threads or the libuv pool that is
 * not awaited through `hold` (the controller's planner threads: on the virtual clock the round
 * improvement runs on a budget of work on the event loop instead, and the drone scenario plans
 * its mission on the event loop under `hold`), and timers in real time. The timers of the
 * controller and the bridges are on the clock they are given (MQTT keepalive, reconnect and
 * CONNACK timeout: firmware-bridge/transport/mqtt-clock.ts; the socket.io push throttles; the
 * store's coverage snapshot cadence). Left in real time: the embedded broker's own keepalive
 * check (aedes drops a client silent for 1.5 × its keepalive of real time: only if the virtual
 * clock stood still that long, e.g. a minute of planning under `hold`), the budgets of work
 * done in real time (planner threads' time limits and sign-in sessions, which the controller
 * gives the system clock on purpose; the round improvement's search, which the scenario puts on
 * a budget of work instead) and the scenario's progress lines.
 */
import dc from 'node:diagnostics_channel';
import type net from 'node:net';

/** Turns of the event loop without any activity before the process counts as quiet. */
const QUIET_TURNS = 2;

export class QuiescenceProbe {
  private readonly sockets = new Set<net.Socket>();
  /** Sockets opened or closed since start: a change is activity. */
  private churn = 0;
  private held = 0;
  private readonly onSocket = ({ socket }: { socket: net.Socket }) => {
    this.sockets.add(socket);
    this.churn++;
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.churn++;
    });
  };

  constructor() {
    dc.subscribe('net.client.socket', this.onSocket as (message: unknown) => void);
    dc.subscribe('net.server.socket', this.onSocket as (message: unknown) => void);
  }

  /** Stops watching new sockets. */
  close(): void {
    dc.unsubscribe('net.client.socket', this.onSocket as (message: unknown) => void);
    dc.unsubscribe('net.server.socket', this.onSocket as (message: unknown) => void);
  }

  /** Keeps the process from counting as quiet until `work` settles (a request the scenario itself awaits). */
  hold<T>(work: Promise<T>): Promise<T> {
    this.held++;
    return work.finally(() => this.held--);
  }

  /** Bytes written by one end of an in-process connection and not yet read by the other. */
  inFlightBytes(): number {
    const byEnds = new Map<string, net.Socket>();
    for (const s of this.sockets) if (s.remotePort !== undefined) byEnds.set(`${s.localAddress}:${s.localPort}>${s.remoteAddress}:${s.remotePort}`, s);
    let bytes = 0;
    for (const s of byEnds.values()) {
      const peer = byEnds.get(`${s.remoteAddress}:${s.remotePort}>${s.localAddress}:${s.localPort}`);
      if (peer) bytes += Math.max(0, s.bytesWritten - peer.bytesRead);
    }
    return bytes;
  }

  /** Connections with both ends in this process, and sockets whose other end is elsewhere. */
  connections(): { inProcess: number; external: number } {
    const ends = new Set([...this.sockets].map((s) => `${s.localAddress}:${s.localPort}`));
    let inProcess = 0;
    let external = 0;
    for (const s of this.sockets) {
      if (s.remotePort === undefined) continue;
      if (ends.has(`${s.remoteAddress}:${s.remotePort}`)) inProcess++;
      else external++;
    }
    return { inProcess: inProcess / 2, external };
  }

  /**
   * Resolves once the process is quiet (see the module header). `clockActivity` counts the
   * timers set on the clock so far: a callback that only sets a timer is activity too.
   */
  async settle(clockActivity: () => number): Promise<void> {
    let last = '';
    let quiet = 0;
    while (quiet < QUIET_TURNS) {
      await new Promise((resolve) => setImmediate(resolve));
      let bytes = 0;
      for (const s of this.sockets) bytes += s.bytesRead + s.bytesWritten;
      const signature = `${bytes}/${this.churn}/${clockActivity()}`;
      if (signature === last && this.held === 0 && !immediatesPending() && this.inFlightBytes() === 0) quiet++;
      else {
        quiet = 0;
        last = signature;
      }
    }
  }
}

/** Whether another `setImmediate` than the running one is due (work deferred to the next turn). */
function immediatesPending(): boolean {
  return process.getActiveResourcesInfo().includes('Immediate');
}
