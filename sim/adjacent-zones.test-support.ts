import type { SiteInput } from '../protocol/index.js';

/**
 * A small ward where red and green touch: the green corridor `gc` (with two green rooms and the
 * loading station) gives straight onto the red hall `rh` (three red rooms), so the short way
 * back from red is straight into green; the way the rule allows goes round by the buffer hall
 * `bh` (one buffer room) and the disinfection station `dis` (a spray arch, 15 s). Two chargers
 * beside the loading station.
 */
export const ADJACENT_ZONES_SITE: SiteInput = {
  name: 'adjacent',
  levels: [{ name: 'L1' }],
  nodes: [
    { id: 'load', kind: 'loading', level: 'L1', x: 0, y: 0, zone: 'green' },
    { id: 'ch1', kind: 'charger', level: 'L1', x: -2, y: 2, zone: 'green' },
    { id: 'ch2', kind: 'charger', level: 'L1', x: -2, y: -2, zone: 'green' },
    { id: 'gc', kind: 'corridor', level: 'L1', x: 6, y: 0, zone: 'green' },
    { id: 'g1', kind: 'room', level: 'L1', x: 6, y: 3, zone: 'green', room: '101' },
    { id: 'g2', kind: 'room', level: 'L1', x: 6, y: -3, zone: 'green', room: '102' },
    { id: 'rh', kind: 'corridor', level: 'L1', x: 12, y: 0, zone: 'red' },
    { id: 'r1', kind: 'room', level: 'L1', x: 12, y: 3, zone: 'red', room: '201' },
    { id: 'r2', kind: 'room', level: 'L1', x: 12, y: -3, zone: 'red', room: '202' },
    { id: 'r3', kind: 'room', level: 'L1', x: 16, y: 0, zone: 'red', room: '203' },
    { id: 'bh', kind: 'corridor', level: 'L1', x: 12, y: -9, zone: 'buffer' },
    { id: 'b1', kind: 'room', level: 'L1', x: 16, y: -9, zone: 'buffer', room: '301' },
    { id: 'dis', kind: 'disinfection', level: 'L1', x: 4, y: -9, zone: 'buffer', disinfection: { method: 'spray', durationS: 15 } },
  ],
  lanes: [
    { from: 'ch1', to: 'load' },
    { from: 'ch2', to: 'load' },
    { from: 'load', to: 'gc' },
    { from: 'gc', to: 'g1' },
    { from: 'gc', to: 'g2' },
    { from: 'gc', to: 'rh' },
    { from: 'rh', to: 'r1' },
    { from: 'rh', to: 'r2' },
    { from: 'rh', to: 'r3' },
    { from: 'rh', to: 'bh' },
    { from: 'bh', to: 'b1' },
    { from: 'bh', to: 'dis' },
    { from: 'dis', to: 'load' },
  ],
};
