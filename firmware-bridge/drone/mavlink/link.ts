/**
 * The byte link under a MAVLink connection: TCP, UDP or a serial port, behind one small
 * interface. Framing, CRC and message decoding are node-mavlink's (`endpoint.ts`); a link only
 * moves bytes and says when it is up.
 *
 * Addresses (`--mavlink`):
 * - `tcp:HOST:PORT` connects (ArduPilot SITL listens on TCP 5760 + 10·instance) and reconnects
 *   after a drop;
 * - `udp:HOST:PORT` sends to HOST:PORT from a local port and listens there (MAVProxy `--out`,
 *   PX4 SITL's 14540);
 * - `udpin:HOST:PORT` listens on HOST:PORT and answers whoever sent last (a telemetry radio's
 *   UDP bridge, `mavlink-routerd`);
 * - `serial:PATH:BAUD` through the optional `serialport` package, loaded only when asked for.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { z } from 'zod';

/** A parsed link address. */
export type LinkAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'udp' | 'udpin'; host: string; port: number } | { kind: 'serial'; path: string; baud: number };

const port = z.coerce.number().int().min(1).max(65535);

/** Parses `tcp:HOST:PORT`, `udp:HOST:PORT`, `udpin:HOST:PORT` or `serial:PATH:BAUD`. */
export const linkAddressSchema = z.string().transform((text, ctx): LinkAddress => {
  const m = /^(tcp|udp|udpin|serial):(.+):([^:]+)$/.exec(text);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not tcp:HOST:PORT, udp:HOST:PORT, udpin:HOST:PORT or serial:PATH:BAUD` });
    return z.NEVER;
  }
  const [, kind, where, last] = m as unknown as [string, LinkAddress['kind'], string, string];
  if (kind === 'serial') {
    const baud = z.coerce.number().int().positive().safeParse(last);
    if (!baud.success) {
      ctx.addIssue({ code: 'custom', message: `baud rate '${last}' is not a positive integer` });
      return z.NEVER;
    }
    return { kind, path: where, baud: baud.data };
  }
  const p = port.safeParse(last);
  if (!p.success) {
    ctx.addIssue({ code: 'custom', message: `port '${last}' is not 1–65535` });
    return z.NEVER;
  }
  return { kind, host: where, port: p.data };
});

/** Moves bytes to and from the autopilot. */
export interface ByteLink {
  write(bytes: Buffer): void;
  /** Calls `listener` with every chunk received. Returns the teardown. */
  onData(listener: (bytes: Buffer) => void): () => void;
  /** Calls `listener` with true when the link comes up and false when it drops. Returns the teardown. */
  onState(listener: (up: boolean) => void): () => void;
  readonly up: boolean;
  /** Why the link last failed to come up or dropped (e.g. `connect ECONNREFUSED 127.0.0.1:5760`), if it did. */
  readonly lastError?: string;
  close(): Promise<void>;
}

/** Shared listener bookkeeping of the link kinds. */
abstract class BaseLink implements ByteLink {
  private readonly dataListeners = new Set<(bytes: Buffer) => void>();
  private readonly stateListeners = new Set<(up: boolean) => void>();
  up = false;
  lastError?: string;
  abstract write(bytes: Buffer): void;
  abstract close(): Promise<void>;
  onData(listener: (bytes: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }
  onState(listener: (up: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
  protected received(bytes: Buffer): void {
    for (const l of this.dataListeners) l(bytes);
  }
  protected setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const l of this.stateListeners) l(up);
  }
}

/** A TCP client that reconnects every `retryMs` (real time) after a drop until closed. */
export class TcpLink extends BaseLink {
  private socket?: Socket;
  private closed = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly retryMs = 1000,
  ) {
    super();
    this.open();
  }

  /** Resolves once connected the first time. */
  connected(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onState((up) => {
        if (!up) return;
        off();
        resolve();
      });
    });
  }

  write(bytes: Buffer): void {
    if (this.up) this.socket?.write(bytes);
  }

  /** Destroys the socket as a cable pulled would; the link reconnects by itself. */
  drop(): void {
    this.socket?.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket?.destroy();
    this.setUp(false);
  }

  private open(): void {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => this.setUp(true));
    socket.on('data', (bytes) => this.received(bytes));
    // Retried on close; kept to say why no autopilot answers.
    socket.on('error', (error) => {
      this.lastError = error.message;
    });
    socket.on('close', () => {
      this.setUp(false);
      if (!this.closed) this.retry = setTimeout(() => this.open(), this.retryMs);
    });
  }
}

/** UDP: `udp` sends to the address, `udpin` listens on it and answers the last sender. Up once a datagram came in. */
export class UdpLink extends BaseLink {
  private readonly socket: UdpSocket;
  private peer?: { host: string; port: number };
  private readonly listening: Promise<void>;

  constructor(address: { kind: 'udp' | 'udpin'; host: string; port: number }) {
    super();
    this.socket = createSocket(address.host.includes(':') ? 'udp6' : 'udp4');
    this.listening = new Promise((resolve) => this.socket.once('listening', () => resolve()));
    if (address.kind === 'udp') {
      this.peer = { host: address.host, port: address.port };
      this.socket.bind(0);
    } else this.socket.bind(address.port, address.host);
    this.socket.on('message', (bytes, from) => {
      if (address.kind === 'udpin') this.peer = { host: from.address, port: from.port };
      this.setUp(true);
      this.received(bytes);
    });
    this.socket.on('error', () => {});
  }

  /** The local port (for `udp`, the autopilot's replies come here). */
  async localPort(): Promise<number> {
    await this.listening;
    return this.socket.address().port;
  }

  write(bytes: Buffer): void {
    if (this.peer) this.socket.send(bytes, this.peer.port, this.peer.host);
  }

  async close(): Promise<void> {
    this.setUp(false);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** Minimal shape of `serialport`'s SerialPort that the link uses. */
interface SerialPortLike {
  write(bytes: Buffer): void;
  on(event: 'data', listener: (bytes: Buffer) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(callback: () => void): void;
}

/** A serial port through the optional `serialport` package. */
export class SerialLink extends BaseLink {
  private constructor(private readonly port: SerialPortLike) {
    super();
    port.on('open', () => this.setUp(true));
    port.on('close', () => this.setUp(false));
    port.on('data', (bytes) => this.received(bytes));
    port.on('error', () => {});
  }

  /** Opens `path` at `baud`; rejects with an install hint when `serialport` is missing. */
  static async open(path: string, baud: number): Promise<SerialLink> {
    let mod: { SerialPort: new (options: { path: string; baudRate: number }) => SerialPortLike };
    try {
      // Optional dependency: only a bridge on a serial radio needs it (native module).
      mod = (await import(/* @vite-ignore */ 'serialport' as string)) as typeof mod;
    } catch {
      throw new Error(`serial links need the optional package 'serialport' (npm install serialport)`);
    }
    return new SerialLink(new mod.SerialPort({ path, baudRate: baud }));
  }

  write(bytes: Buffer): void {
    this.port.write(bytes);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

/** Opens the link an address names. */
export async function openLink(address: LinkAddress): Promise<ByteLink> {
  switch (address.kind) {
    case 'tcp':
      return new TcpLink(address.host, address.port);
    case 'udp':
    case 'udpin':
      return new UdpLink(address);
    case 'serial':
      return SerialLink.open(address.path, address.baud);
  }
}
