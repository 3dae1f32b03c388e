import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino removes from every log object. Log calls never pass bodies or credentials, but a
 * header map or an error with request options could reach a log line; these are censored.
 */
const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-amz-security-token"]',
  'credential',
  '*.credential',
  '*.*.credential',
  'password',
  '*.password',
  'secret_key',
  '*.secret_key',
];

/** The service logger: JSON lines, one per event, secrets censored. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
