/**
 * One MAVLink 2 endpoint on a byte link: node-mavlink splits, checks (CRC, magic numbers) and
 * decodes the packets; this class only routes decoded messages to listeners and serialises
 * outgoing ones with our system and component id and a running sequence number. Used by the
 * driver (as a ground station, sysid 255) and by the scripted autopilot of the tests (sysid 1).
 */
import { ardupilotmega, common, minimal, MavLinkPacketParser, MavLinkPacketSplitter, MavLinkProtocolV2, type MavLinkData, type MavLinkPacket } from 'node-mavlink';
import type { ByteLink } from './link.js';

type MessageClass<T extends MavLinkData> = { MSG_ID: number; new (): T };

/** Every message id node-mavlink knows of the dialects ArduPilot and PX4 speak. */
const REGISTRY: Record<number, MessageClass<MavLinkData>> = {
  ...minimal.REGISTRY,
  ...common.REGISTRY,
  ...ardupilotmega.REGISTRY,
} as unknown as Record<number, MessageClass<MavLinkData>>;

/** Who sent a message. */
export interface Sender {
  sysid: number;
  compid: number;
}

type Listener = (message: MavLinkData, from: Sender) => void;

/** Decodes what the link brings and sends typed messages over it. */
export class MavEndpoint {
  private readonly listeners = new Set<Listener>();
  private readonly protocol: MavLinkProtocolV2;
  private seq = 0;
  private readonly splitter = new MavLinkPacketSplitter();
  private readonly teardown: Array<() => void> = [];

  constructor(
    readonly link: ByteLink,
    readonly sysid: number,
    readonly compid: number,
  ) {
    this.protocol = new MavLinkProtocolV2(sysid, compid);
    const parser = new MavLinkPacketParser();
    this.splitter.pipe(parser);
    parser.on('data', (packet: MavLinkPacket) => this.dispatch(packet));
    this.teardown.push(link.onData((bytes) => this.splitter.write(bytes)));
  }

  /** Sends one message (MAVLink 2 framing). Dropped silently while the link is down, as a radio would. */
  send(message: MavLinkData): void {
    const bytes = this.protocol.serialize(message, this.seq);
    this.seq = (this.seq + 1) & 0xff;
    this.link.write(bytes);
  }

  /** Calls `listener` with every decoded message. Returns the teardown. */
  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every message of one type. Returns the teardown. */
  on<T extends MavLinkData>(type: MessageClass<T>, listener: (message: T, from: Sender) => void): () => void {
    return this.onMessage((message, from) => {
      if (message instanceof type) listener(message, from);
    });
  }

  close(): void {
    for (const t of this.teardown) t();
    this.listeners.clear();
    this.splitter.end();
  }

  private dispatch(packet: MavLinkPacket): void {
    const type = REGISTRY[packet.header.msgid];
    // Messages of dialects we do not read are skipped, not errors.
    if (!type) return;
    let message: MavLinkData;
    try {
      message = packet.protocol.data(packet.payload, type as never);
    } catch {
      return;
    }
    const from = { sysid: packet.header.sysid, compid: packet.header.compid };
    for (const l of [...this.listeners]) l(message, from);
  }
}

/** Builds a message of `type` with `fields` set (node-mavlink messages are classes with public fields). */
export function message<T extends MavLinkData>(type: new () => T, fields: Partial<T>): T {
  return Object.assign(new type(), fields);
}
