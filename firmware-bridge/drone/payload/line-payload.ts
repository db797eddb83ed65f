/**
 * The broadcast payload on a companion computer, driven over a line protocol: the speaker and
 * QR display a MAVLink aircraft carries are not the autopilot's (MAVLink has no speech or display
 * message; PLAY_TUNE plays buzzer tunes, and TUNNEL carries 128-byte chunks with no registered
 * payload type for this), so the bridge talks to the payload computer directly, on a serial line
 * (`serial:/dev/ttyUSB1:115200`, 8N1) or TCP (`tcp:HOST:PORT`): `--payload` of the bridge.
 *
 * isofleet payload line protocol, version 1: UTF-8 JSON, one object per line (`\n`), at most
 * 4096 bytes a line. The bridge sends requests with an id counting up from 1:
 *
 *   {"id":1,"op":"volume","pct":80}
 *   {"id":2,"op":"show","qr":"https://decl.example/q"}     QR code full screen
 *   {"id":3,"op":"play","text":"请扫码…","lang":"zh","repeat":true}   speech (text to speech)
 *   {"id":4,"op":"play","url":"https://…/call.mp3","repeat":false}  an audio file
 *   {"id":5,"op":"stop"}   {"id":6,"op":"clear"}
 *
 * and the payload answers each once: `{"id":3,"ok":true}` or `{"id":3,"ok":false,"error":"…"}`.
 * A request unanswered within `timeoutMs` fails. Lines that are not valid answers are reported
 * (`onProblem`) and dropped. What runs on the payload computer (a speech engine, the display
 * driver) is not part of isofleet; the tests answer as it would (`line-payload.test.ts`).
 */
import { z } from 'zod';
import { describeProblems, parseJsonWith, systemClock, type BroadcastMessage, type Clock, type PayloadState } from '../../../protocol/index.js';
import type { BroadcastPayload } from '../driver.js';
import type { ByteLink } from '../mavlink/link.js';

/** A payload computer's answer. */
export const payloadReplySchema = z.object({ id: z.number().int().positive(), ok: z.boolean(), error: z.string().max(500).optional() });

/** A request of the line protocol (what the bridge writes). */
export type PayloadRequest =
  | { op: 'play'; text: string; lang: 'zh' | 'en'; repeat: boolean }
  | { op: 'play'; url: string; repeat: boolean }
  | { op: 'stop' }
  | { op: 'volume'; pct: number }
  | { op: 'show'; qr: string }
  | { op: 'clear' };

const MAX_LINE = 4096;

/** The request line for a message (pure). */
export function playRequest(message: BroadcastMessage, repeat: boolean): PayloadRequest {
  return message.kind === 'text' ? { op: 'play', text: message.text, lang: message.lang, repeat } : { op: 'play', url: message.url, repeat };
}

/** A {@link BroadcastPayload} on a payload computer at the other end of `link`. */
export class LinePayload implements BroadcastPayload {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void; timer: ReturnType<Clock['setTimeout']> }>();
  private current: PayloadState = { volumePct: 100 };
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly offData: () => void;

  constructor(
    private readonly link: ByteLink,
    options: { clock?: Clock; timeoutMs?: number; onProblem?: (problem: string) => void } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 2000;
    const onProblem = options.onProblem ?? (() => {});
    this.offData = link.onData((bytes) => {
      this.buffer += bytes.toString('utf8');
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line) this.onLine(line, onProblem);
        nl = this.buffer.indexOf('\n');
      }
      if (this.buffer.length > MAX_LINE) {
        onProblem(`payload line longer than ${MAX_LINE} bytes dropped`);
        this.buffer = '';
      }
    });
  }

  async play(message: BroadcastMessage, options: { repeat: boolean }): Promise<void> {
    await this.request(playRequest(message, options.repeat));
    this.current = { ...this.current, playing: message.kind === 'text' ? message.text : message.url };
  }

  async stopPlaying(): Promise<void> {
    await this.request({ op: 'stop' });
    const { playing: _, ...rest } = this.current;
    this.current = rest;
  }

  async setVolume(pct: number): Promise<void> {
    await this.request({ op: 'volume', pct });
    this.current = { ...this.current, volumePct: pct };
  }

  async show(qr: string): Promise<void> {
    await this.request({ op: 'show', qr });
    this.current = { ...this.current, showing: qr };
  }

  async clearDisplay(): Promise<void> {
    await this.request({ op: 'clear' });
    const { showing: _, ...rest } = this.current;
    this.current = rest;
  }

  state(): PayloadState {
    return { ...this.current };
  }

  /** Stops listening; requests still waiting fail. */
  close(): void {
    this.offData();
    for (const [id, p] of this.pending) {
      this.clock.clearTimeout(p.timer);
      p.reject(new Error(`request ${id} dropped: payload link closed`));
    }
    this.pending.clear();
  }

  private request(body: PayloadRequest): Promise<void> {
    if (!this.link.up) return Promise.reject(new Error(`payload link down${this.link.lastError ? `: ${this.link.lastError}` : ''}`));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`payload did not answer '${body.op}' within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.link.write(Buffer.from(`${JSON.stringify({ id, ...body })}\n`, 'utf8'));
    });
  }

  private onLine(line: string, onProblem: (problem: string) => void): void {
    const parsed = parseJsonWith(payloadReplySchema, line);
    if (!parsed.ok) return onProblem(`payload line dropped: ${describeProblems(parsed.problems)}`);
    const reply = parsed.value;
    const p = this.pending.get(reply.id);
    if (!p) return onProblem(`payload answered request ${reply.id}, which is not waiting`);
    this.pending.delete(reply.id);
    this.clock.clearTimeout(p.timer);
    if (reply.ok) p.resolve();
    else p.reject(new Error(reply.error ?? 'refused without a reason'));
  }
}
