import { minimal } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { parseBridgeArgs } from '../../cli.js';
import { MavEndpoint, message } from './endpoint.js';
import { linkAddressSchema, UdpLink } from './link.js';

describe('MAVLink links', () => {
  it('parses tcp, udp, udpin and serial addresses, and names what is wrong with a bad one', () => {
    expect(linkAddressSchema.parse('tcp:127.0.0.1:5760')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5760 });
    expect(linkAddressSchema.parse('udpin:0.0.0.0:14550')).toEqual({ kind: 'udpin', host: '0.0.0.0', port: 14550 });
    expect(linkAddressSchema.parse('serial:/dev/ttyACM0:115200')).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
    expect(linkAddressSchema.safeParse('tcp:host:0').error?.issues[0]?.message).toBe("port '0' is not 1–65535");
    expect(linkAddressSchema.safeParse('http://x').error?.issues[0]?.message).toContain('is not tcp:HOST:PORT');
  });

  it('carries MAVLink 2 both ways over UDP: udp sends to the address, udpin answers whoever sent', async () => {
    const listener = new UdpLink({ kind: 'udpin', host: '127.0.0.1', port: 0 });
    const port = await listener.localPort();
    const sender = new UdpLink({ kind: 'udp', host: '127.0.0.1', port });
    const autopilot = new MavEndpoint(listener, 1, 1);
    const gcs = new MavEndpoint(sender, 255, 190);
    const heard = new Promise<number>((resolve) => autopilot.on(minimal.Heartbeat, (m, from) => resolve(from.sysid + m.type)));
    const answered = new Promise<number>((resolve) => gcs.on(minimal.Heartbeat, (m) => resolve(m.customMode)));
    gcs.send(message(minimal.Heartbeat, { type: minimal.MavType.GCS, autopilot: minimal.MavAutopilot.INVALID, mavlinkVersion: 3 }));
    expect(await heard).toBe(255 + minimal.MavType.GCS);
    autopilot.send(message(minimal.Heartbeat, { type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA, customMode: 3, mavlinkVersion: 3 }));
    expect(await answered).toBe(3);
    expect(sender.up && listener.up).toBe(true);
    gcs.close();
    autopilot.close();
    await sender.close();
    await listener.close();
  });

  it('bridge flags: one line naming the flag that is wrong', () => {
    expect(parseBridgeArgs(['drone', '--id', 'drone-1', '--mavlink', 'udp:10.0.0.2:14550'])).toMatchObject({
      ok: true,
      flags: { id: 'drone-1', mavlink: { kind: 'udp', port: 14550 }, firmware: 'ardupilot', 'tank-l': 20 },
    });
    expect(parseBridgeArgs(['drone', '--id', 'a/b'])).toEqual({ ok: false, error: '--id must be a drone id without /, #, + or spaces' });
    expect(parseBridgeArgs(['drone', '--id', 'd', '--firmware', 'inav'])).toMatchObject({ ok: false, error: expect.stringMatching(/^--firmware /) });
    expect(parseBridgeArgs(['drone', '--id', 'd', '--tank-l', 'lots'])).toMatchObject({ ok: false, error: expect.stringMatching(/^--tank-l /) });
    // The broadcast payload computer: its link, and what it has.
    expect(parseBridgeArgs(['drone', '--id', 'd', '--payload', 'serial:/dev/ttyUSB1:115200', '--payload-has', 'speaker'])).toMatchObject({
      ok: true,
      flags: { payload: { kind: 'serial', path: '/dev/ttyUSB1', baud: 115200 }, 'payload-has': ['speaker'] },
    });
    expect(parseBridgeArgs(['drone', '--id', 'd', '--payload', 'usb'])).toMatchObject({ ok: false, error: expect.stringMatching(/^--payload /) });
    expect(parseBridgeArgs(['drone', '--id', 'd', '--payload-has', 'speaker,siren'])).toMatchObject({ ok: false, error: expect.stringMatching(/^--payload-has.*speaker, display or both/) });
  });
});
