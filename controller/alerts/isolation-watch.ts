import type { ContaminationWatch } from '../fleet/contamination.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';
import type { AlertCenter } from './alert-center.js';
import { placeOf } from './place.js';

export interface IsolationWatchOptions {
  contamination: ContaminationWatch;
  fleet: FleetRegistry;
  alerts: AlertCenter;
  graph: SiteGraph;
  audit: Audit;
}

/**
 * Raises `isolationBreach` each time the controller sees a robot enter the green zone
 * contaminated (from its states: `ContaminationWatch`): once per breach (a robot that does it
 * again counts on its open alert), with where it is, and an audit line `isolationBreach` naming
 * the node. Nothing resolves it by itself: a person must see that green places were reached by
 * a robot from red. Returns the teardown.
 */
export function watchIsolationBreaches(options: IsolationWatchOptions): () => void {
  const { contamination, fleet, alerts, graph, audit } = options;
  return contamination.onBreach(({ robot, node, at }) => {
    const name = graph.nodes.get(node)?.room ?? node;
    audit({ at, actor: 'controller', action: 'isolationBreach', subject: robot, detail: { node } });
    const view = fleet.get(robot);
    const where = view && placeOf(graph, view);
    alerts.raise({
      kind: 'isolationBreach',
      subject: robot,
      message: `${robot} entered the green zone at ${name} contaminated: it has been in the red zone and was not disinfected since`,
      ...(where ? { where } : {}),
      doing: `disinfect ${robot} and the green places it passed by hand; then find how it got by the disinfection station (off its order, or the site's lanes and zones)`,
    });
  });
}
