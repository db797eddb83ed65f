/**
 * Compares names as people read them, numbers by value ("robot-2" before "robot-10", room "709"
 * before "1201"). One collator for every call: `localeCompare` with options builds a new one each
 * time, which in the fleet's sort ran for every robot report and dominated a 3,000-device
 * controller's CPU profile (bench:ingest --profile).
 */
export const naturalOrder: (a: string, b: string) => number = new Intl.Collator(undefined, { numeric: true }).compare;
