import { checkOutboundMessages } from '../protocol/outbound-check.js';

// Every message a test's bridges and controller send is checked against its schema (protocol/outbound-check.ts).
checkOutboundMessages(true);
