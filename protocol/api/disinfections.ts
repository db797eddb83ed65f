/** Live contract of the disinfections seen at each station (socket.io `disinfections`). */
import { z } from 'zod';

/** How many `disinfect` actions robots FINISHED at one disinfection station since the controller started. */
export const stationDisinfectionsSchema = z.object({
  /** The station's node id. */
  station: z.string(),
  count: z.number().int().nonnegative(),
  /** Timestamp of the robot's state that reported the last one (ISO 8601). */
  lastAt: z.string(),
});
export type StationDisinfectionsView = z.infer<typeof stationDisinfectionsSchema>;
