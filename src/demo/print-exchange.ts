/** Pretty-prints one request/response exchange, shortening long vectors and hiding credential values. */
export function printExchange(options: {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response: unknown;
  write?: (text: string) => void;
}): void {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  write(`\n==> ${options.method} ${options.path}\n`);
  if (options.body !== undefined) write(`${JSON.stringify(shorten(options.body), null, 2)}\n`);
  write(`<== ${options.status}\n${JSON.stringify(shorten(options.response), null, 2)}\n`);
}

const MAX_NUMBERS = 4;

function shorten(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMBERS && value.every((item) => typeof item === 'number')) {
      return [...value.slice(0, MAX_NUMBERS), `... ${value.length - MAX_NUMBERS} more`];
    }
    return value.map(shorten);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, key === 'credential' ? redact(item) : shorten(item)]),
    );
  }
  return value;
}

/** Demo output is often pasted into issues: never print the credential values it sends. */
function redact(credential: unknown): unknown {
  if (typeof credential !== 'object' || credential === null) return '[REDACTED]';
  return Object.fromEntries(Object.keys(credential).map((key) => [key, '[REDACTED]']));
}
