/**
 * Tells when this process has nothing left to do at the current instant, so a
 * {@link VirtualClock} may move time on.
 *
 * How: every TCP socket this process opens or accepts is seen through Node's diagnostics
 * channels (`net.client.socket`, `net.server.socket`). A connection whose both ends are in this
 * process (an MQTT client of the controller, a bridge or a simulated device, and the embedded
 * aedes broker's side of it) is paired by its addresses and ports; the bytes one end wrote that
 * the other has not read yet are in flight. The process is quiet at a turn of the event loop
 * (`setImmediate`, through the poll phase) at which nothing is in flight, no scenario request
 * is held (`hold`), no other `setImmediate` is pending (`process.getActiveResourcesInfo`) and no
 * socket opened or closed since the turn before. A message read is handled synchronously with
 * its microtasks and `nextTick`s; what it defers with `setImmediate` shows as pending, what it
 * writes as in flight. A timer's callback that touches no socket (most of a drone mission's:
 * the world's physics ticks) is settled after one turn. (Two turns in a row without a byte
 * moving, as before, gave the same results at 1.6 times the turns: 337k against 216k on the
 * park mission.)
 *
 * What it cannot see: a connection whose other end is in another process (a device or a bridge
 * run elsewhere, a broker over the network such as Mosquitto at `MQTT_URL`; the scenario then
 * runs on the scaled wall clock and says so), work in worker threads or the libuv pool that is
 * not awaited through `hold` (the controller's planner threads: on the virtual clock the round
 * improvement runs on a budget of work on the event loop instead, and the drone scenario plans
 * its mission on the event loop under `hold`), and timers in real time. The timers of the
 * controller and the bridges are on the clock they are given (the MQTT clients' reconnect
 * retry: common/mqtt/mqtt-clock.ts; the socket.io push throttles; the store's
 * coverage snapshot cadence). Left in real time: the MQTT keepalive and CONNACK timeout (they
 * bound a real TCP peer's answer, and the broker counts the keepalive in its own real time;
 * a ping changes nothing a run computes), the budgets of work
 * done in real time (planner threads' time limits and sign-in sessions, which the controller
 * gives the system clock on purpose; the round improvement's search, which the scenario puts on
 * a budget of work instead) and the scenario's progress lines.
 */
import dc from 'node:diagnostics_channel';
import type net from 'node:net';

export class QuiescenceProbe {
  private readonly sockets = new Set<net.Socket>();
  /** Sockets opened or closed since start: a change is activity. */
  private churn = 0;
  private held = 0;
  /** The in-process connections' ends (writer, reader), as of `churn`. */
  private pairs?: { churn: number; ends: Array<[net.Socket, net.Socket]> };
  private readonly onSocket = ({ socket }: { socket: net.Socket }) => {
    this.sockets.add(socket);
    this.churn++;
    // Connected: its remote address is known now, so it can be paired (a change like opening).
    if (socket.connecting) socket.once('connect', () => this.churn++);
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
    // Paired again only when a socket opened, connected or closed: this runs on every turn.
    if (this.pairs?.churn !== this.churn) {
      const byEnds = new Map<string, net.Socket>();
      for (const s of this.sockets) if (s.remotePort !== undefined) byEnds.set(`${s.localAddress}:${s.localPort}>${s.remoteAddress}:${s.remotePort}`, s);
      const ends: Array<[net.Socket, net.Socket]> = [];
      for (const s of byEnds.values()) {
        const peer = byEnds.get(`${s.remoteAddress}:${s.remotePort}>${s.localAddress}:${s.localPort}`);
        if (peer) ends.push([s, peer]);
      }
      this.pairs = { churn: this.churn, ends };
    }
    let bytes = 0;
    for (const [s, peer] of this.pairs.ends) bytes += Math.max(0, s.bytesWritten - peer.bytesRead);
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

  /** Sockets opened or closed so far: what {@link settle} compares with `since`. */
  socketChurn(): number {
    return this.churn;
  }

  /**
   * Resolves once the process is quiet (see the module header): at the first turn of the event
   * loop at which nothing is held, pending or in flight and no socket opened or closed since the
   * turn before (for the first turn: since `since`, the {@link socketChurn} from before the work
   * being settled began, e.g. a timer's callback). Bytes that moved since do not matter: a byte
   * read was handled with its microtasks, and what that did is pending or in flight by then.
   * A socket that opens is connecting, out of the pairing that tells what is in flight, and one
   * that closes may bring a reconnect: either needs one more turn.
   */
  async settle(since?: number): Promise<void> {
    let churn = since;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      // Cheapest first: listing the active resources allocates, and runs only on a likely last turn.
      if (churn === this.churn && this.held === 0 && this.inFlightBytes() === 0 && !immediatesPending()) return;
      churn = this.churn;
    }
  }
}

/** Whether another `setImmediate` than the running one is due (work deferred to the next turn). */
function immediatesPending(): boolean {
  return process.getActiveResourcesInfo().includes('Immediate');
}
