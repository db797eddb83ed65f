/**
 * Outbound messages checked against their schema before they leave: a message that does not
 * match the contract is the sender's bug, and the check throws. Tests switch it on for every test
 * file (`test-support/outbound-checks.setup.ts`); production leaves it off, since every state,
 * telemetry and order message would be parsed a second time for nothing.
 */
let checking = false;

/** Switches the check on or off for this process. */
export function checkOutboundMessages(on: boolean): void {
  checking = on;
}

/** Throws (zod's error naming the field) when the check is on and `message` does not match `schema`. */
export function assertOutbound(schema: { parse(value: unknown): unknown } | undefined, message: unknown): void {
  if (checking) schema?.parse(message);
}
