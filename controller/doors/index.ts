export { DoorSensors, type DoorSensorsOptions, type DoorTrips } from './door-sensors.js';
export { doorRoutes } from './door-routes.js';
export { judgeDoorOpen, doorView, mutedAt, type DoorOpenVerdict, type DoorState, type DoorOpenContext } from './door-core.js';
export { inQuietHours, minuteOfDay } from './quiet-hours.js';
export { doorsNotOpened, watchDoorsOnTheWay, type DoorAlertsOptions, type DoorRequests } from './door-alerts.js';
