/** Where log lines go; pino and console both fit. */
export interface Logger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}
