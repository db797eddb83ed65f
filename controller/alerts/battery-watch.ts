import { batteryChargeOf, type State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { SiteGraph } from '../site/index.js';
import type { AlertCenter } from './alert-center.js';
import { placeOf } from './place.js';

export interface BatteryWatchOptions {
  fleet: FleetRegistry;
  alerts: AlertCenter;
  graph: SiteGraph;
  /** The reserve the controller keeps for the robot, % (`EnergyManager.profileOf(robot).reservePct`). */
  reservePct: (robot: string) => number;
}

/**
 * Raises `batteryLow` (the dashboard's text in English and Chinese: `alert.batteryLow`) when a
 * robot reports a charge under its reserve while not charging: the reserve check and the
 * charging policy are there so that this never happens, so a person must see it (a battery that
 * sagged, a robot driven by hand, a charger that does not charge). It says where the robot is
 * and what is done; resolved once the robot charges or reports its reserve again. A charge the
 * robot does not know (`batteryChargeOf` null) raises nothing. Returns the teardown.
 */
export function watchBatteries(options: BatteryWatchOptions): () => void {
  const { fleet, alerts, graph } = options;
  const onState = (robot: string, state: State) => {
    const chargePct = batteryChargeOf(state);
    if (chargePct === null) return;
    const cause = { kind: 'batteryLow' as const, subject: robot };
    const reservePct = options.reservePct(robot);
    const charging = state.batteryState.charging;
    if (chargePct < reservePct && !charging) {
      if (alerts.openAlertOf(cause)) return;
      const view = fleet.get(robot);
      const where = view && placeOf(graph, view);
      alerts.raise({
        ...cause,
        message: `${robot}: battery at ${Math.round(chargePct)} %, under its reserve of ${Math.round(reservePct)} %`,
        ...(where ? { where } : {}),
        doing: `${robot} is given no trip until it has charged; once free it is sent to the nearest free charger on its floor. If it has trays on board, or no charger is on its floor, bring it to one by hand`,
      });
    } else if (alerts.openAlertOf(cause)) {
      alerts.resolve(cause, charging ? `${robot} is charging (${Math.round(chargePct)} %)` : `${robot} reports ${Math.round(chargePct)} %, its reserve again`);
    }
  };
  fleet.on('state', onState);
  return () => fleet.off('state', onState);
}
