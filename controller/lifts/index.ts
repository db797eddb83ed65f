export { reduceLiftSessions, type LiftCar, type LiftEffect, type LiftEvent, type LiftHolder, type LiftRequest, type LiftSessions } from './lift-session-core.js';
export { liftEventsOf, liftRideAction, liftRideModeOf, liftSessionId, rideUnderWay, ridesOf, type LiftRideMode, type OrderRide } from './lift-rides.js';
export { LiftSessionManager } from './lift-session-manager.js';
export { liftRoutes } from './lift-routes.js';
