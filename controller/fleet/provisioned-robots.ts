import type { Logger } from '../../common/index.js';
import { parseDeviceId, type DeviceStore } from '../auth/device-credentials.js';
import type { FleetRegistry } from './fleet-registry.js';

/**
 * Wraps the device store so the fleet reads every provisioned robot, whatever its manufacturer:
 * those in the store now, each one `POST /api/devices` adds, and none that `DELETE` removed.
 * The controller's own manufacturer is read in full anyway.
 */
export function trackProvisionedRobots(devices: DeviceStore, fleet: FleetRegistry, log: Logger): DeviceStore {
  const follow = (id: string, track: boolean) => {
    const device = parseDeviceId(id);
    if (device?.kind !== 'robot') return;
    (track ? fleet.track(device) : fleet.untrack(device)).catch((error: Error) => log.warn({ robot: id, err: error.message }, 'could not (un)subscribe the robot’s topics'));
  };
  for (const device of devices.list()) follow(device.id, true);
  return {
    find: (id) => devices.find(id),
    list: () => devices.list(),
    verify: (id, password) => devices.verify(id, password),
    credentials: () => devices.credentials(),
    provision: (device) => {
      const result = devices.provision(device);
      if (result.ok) follow(result.device.id, true);
      return result;
    },
    delete: (id) => {
      const deleted = devices.delete(id);
      if (deleted) follow(id, false);
      return deleted;
    },
  };
}
