import type { VehicleId } from '../../protocol/index.js';

/**
 * A robot is keyed by its VDA 5050 manufacturer and serialNumber (the two levels of its topics).
 * As one string (API ids, stored trips, alerts, logs) it is `manufacturer/serialNumber`, the
 * same as its MQTT username; the controller's own manufacturer is left out (`robot-1`), so the
 * demo's robots read as people name them. Unambiguous: neither part can hold a `/` (a topic
 * level separator).
 */
export function robotId(vehicle: VehicleId, ownManufacturer: string): string {
  return vehicle.manufacturer === ownManufacturer ? vehicle.serialNumber : `${vehicle.manufacturer}/${vehicle.serialNumber}`;
}

/** Inverse of {@link robotId}: a bare serial number belongs to `ownManufacturer`. */
export function vehicleOfRobotId(id: string, ownManufacturer: string): VehicleId {
  const slash = id.indexOf('/');
  return slash < 0 ? { manufacturer: ownManufacturer, serialNumber: id } : { manufacturer: id.slice(0, slash), serialNumber: id.slice(slash + 1) };
}
