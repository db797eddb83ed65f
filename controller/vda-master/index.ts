/** The VDA 5050 master side: orders and instant actions to robots, with their header ids and versions. */
export { VdaMaster, type VdaMasterOptions } from './vda-master.js';
export { RobotOutbox } from './robot-outbox.js';
export { orderEvents, type OrderEvent, type OrderWatch } from './order-events.js';
