import { describe, expect, it } from 'vitest';
import { loadRos2 } from './ros-api.js';

describe('loadRos2: rclnodejs is loaded only when asked for, and its absence is an answer', () => {
  it('without a sourced ROS 2 it answers with what to do instead of throwing', async () => {
    const loaded = await loadRos2('isofleet_test', '/robot1', { PATH: process.env.PATH });
    expect(loaded).toEqual({ ok: false, error: expect.stringMatching(/^ROS 2 is not sourced .*source \/opt\/ros\/\$ROS_DISTRO\/setup\.bash/) });
  });
});
