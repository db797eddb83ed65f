/** Writes the demo hotel: `npx tsx controller/site/generate-hotel-cli.ts > sites/hotel.json`. */
import { generateHotel, HOTEL_OPTIONS } from './hotel-generator.js';

process.stdout.write(`${JSON.stringify(generateHotel(HOTEL_OPTIONS), null, 1)}\n`);
