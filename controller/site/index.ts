export { SiteGraph, type Hop, type Route, type RouteRide } from './site-graph.js';
export { generateHotel, HOTEL_OPTIONS, type HotelOptions } from './hotel-generator.js';
export { loadSite, SITES_DIR } from './load-site.js';
