export * from './topics.js';
export * from './messages.js';
export * from './api.js';
export * from './geo.js';
export * from './broadcast.js';
export * from './broadcast-api.js';
