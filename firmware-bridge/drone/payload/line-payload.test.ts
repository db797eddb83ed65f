import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../protocol/index.js';
import { waitFor } from '../../../sim/scenario.js';
import { TcpLink } from '../mavlink/link.js';
import { LinePayload } from './line-payload.js';

/**
 * A payload computer as the line protocol has it (a stand-in: the real one is a speech engine and
 * a display driver on the aircraft): answers each request line per `answer`, keeps what it got.
 */
async function payloadComputer(answer: (request: { id: number; op: string }) => string | string[] | undefined) {
  const got: Array<Record<string, unknown>> = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const request = JSON.parse(buffer.slice(0, nl)) as { id: number; op: string };
        buffer = buffer.slice(nl + 1);
        got.push(request);
        const reply = answer(request);
        // Several chunks arrive apart, as a serial line delivers them.
        [reply ?? []].flat().forEach((chunk, i) => setTimeout(() => socket.write(chunk), 20 * i));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    got,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('payload line protocol over TCP', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  async function connect(answer: Parameters<typeof payloadComputer>[0], timeoutMs = 500) {
    const peer = await payloadComputer(answer);
    const link = new TcpLink('127.0.0.1', peer.port, 50);
    const problems: string[] = [];
    const payload = new LinePayload(link, { clock: systemClock, timeoutMs, onProblem: (p) => problems.push(p) });
    closers.push(
      peer.close,
      () => link.close(),
      () => payload.close(),
    );
    await waitFor(() => link.up, 2000, 'payload link up');
    return { peer, payload, problems };
  }

  it('sends one JSON line per call and takes the state only once the payload confirmed it', async () => {
    const { peer, payload } = await connect((r) => `${JSON.stringify({ id: r.id, ok: true })}\n`);
    await payload.setVolume(80);
    await payload.show('https://decl.example/q');
    await payload.play({ kind: 'text', text: '请扫码申报', lang: 'zh' }, { repeat: true });
    expect(payload.state()).toEqual({ volumePct: 80, showing: 'https://decl.example/q', playing: '请扫码申报' });
    await payload.stopPlaying();
    await payload.play({ kind: 'audio', url: 'https://decl.example/call.mp3', durationS: 12 }, { repeat: false });
    await payload.clearDisplay();
    expect(peer.got).toEqual([
      { id: 1, op: 'volume', pct: 80 },
      { id: 2, op: 'show', qr: 'https://decl.example/q' },
      { id: 3, op: 'play', text: '请扫码申报', lang: 'zh', repeat: true },
      { id: 4, op: 'stop' },
      { id: 5, op: 'play', url: 'https://decl.example/call.mp3', repeat: false },
      { id: 6, op: 'clear' },
    ]);
    expect(payload.state()).toEqual({ volumePct: 80, playing: 'https://decl.example/call.mp3' });
  });

  it("rejects with the payload's reason, keeping the state it had", async () => {
    const { payload } = await connect((r) => `${JSON.stringify(r.op === 'play' ? { id: r.id, ok: false, error: 'no voice for zh installed' } : { id: r.id, ok: true })}\n`);
    await expect(payload.play({ kind: 'text', text: '请扫码', lang: 'zh' }, { repeat: true })).rejects.toThrow('no voice for zh installed');
    expect(payload.state().playing).toBeUndefined();
  });

  it('fails a request left unanswered after the timeout; drops and reports lines that are no answer, answers split across chunks still count', async () => {
    let n = 0;
    const { payload, problems } = await connect((r) => {
      n++;
      if (n === 1) return undefined;
      if (n === 2) return `not json\n{"id":99,"ok":true}\n{"id":${r.id},"ok":"yes"}\n`;
      const line = JSON.stringify({ id: r.id, ok: true });
      return [line.slice(0, 5), `${line.slice(5)}\n`];
    });
    await expect(payload.setVolume(50)).rejects.toThrow("payload did not answer 'volume' within 500 ms");
    await expect(payload.setVolume(60)).rejects.toThrow('within 500 ms');
    await payload.setVolume(70);
    expect(payload.state().volumePct).toBe(70);
    expect(problems.some((p) => p.includes('not waiting'))).toBe(true);
    expect(problems.some((p) => p.includes('ok'))).toBe(true);
    expect(problems.length).toBe(3);
  });
});
