import { PICKUP_RESULT, robotActionParameters, type Action, type Language } from '../protocol/index.js';
import { announcementText } from './announcement.js';
import type { RobotDriver } from './driver.js';

/** How one order action ended: VDA actionStatus and resultDescription. */
export interface ActionResult {
  status: 'FINISHED' | 'FAILED';
  description?: string;
}

/**
 * Runs one of isofleet's custom actions on the driver; its parameters were checked when the
 * order was accepted. `language` is the robot's own setting, used when the action names none.
 * Rejects with the signal's reason when the order is cancelled.
 */
export async function runRobotAction(driver: RobotDriver, action: Action, language: Language, signal: AbortSignal): Promise<ActionResult> {
  switch (action.actionType) {
    case 'loadTrays': {
      await driver.loadTrays(robotActionParameters('loadTrays', action).data!, signal);
      return { status: 'FINISHED' };
    }
    case 'announce': {
      const p = robotActionParameters('announce', action).data!;
      // The order's language is the resident's; the robot's own setting is the fallback.
      await driver.announce(announcementText(p.room, p.tray, p.language ?? language), p, signal);
      return { status: 'FINISHED' };
    }
    case 'waitForPickup': {
      const result = await driver.waitForPickup(robotActionParameters('waitForPickup', action).data!, signal);
      return result === 'collected' ? { status: 'FINISHED', description: PICKUP_RESULT.collected } : { status: 'FAILED', description: PICKUP_RESULT.notCollected };
    }
    case 'disinfect': {
      // A disinfection that fails throws: the order fails with it, so a contaminated robot goes no further.
      await driver.disinfect(robotActionParameters('disinfect', action).data!, signal);
      return { status: 'FINISHED' };
    }
    case 'startCharging':
    case 'stopCharging':
      return setCharging(driver, action.actionType === 'startCharging');
    default:
      return { status: 'FAILED', description: `cannot run ${action.actionType}` };
  }
}

/** VDA `startCharging` / `stopCharging` on the driver: FAILED with its reason when it cannot (not on a charger, no charging at all). */
export async function setCharging(driver: RobotDriver, on: boolean): Promise<ActionResult> {
  if (!driver.setCharging) return { status: 'FAILED', description: 'this robot cannot be told to charge' };
  try {
    await driver.setCharging(on);
    return { status: 'FINISHED' };
  } catch (error) {
    return { status: 'FAILED', description: (error as Error).message };
  }
}
