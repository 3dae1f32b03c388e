/** How long a provider asked us to wait: `retry-after-ms` (OpenAI, Azure), else `Retry-After` seconds or HTTP date. */
export function retryAfterMillis(headers: Readonly<Record<string, string>>, nowMillis: number): number | undefined {
  const milliseconds = headers['retry-after-ms'];
  if (milliseconds !== undefined) {
    const value = Number(milliseconds.trim());
    if (milliseconds.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  // HTTP dates start with a day name; Date.parse would also accept "-5" as a year.
  if (!/^[a-z]/i.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis);
}
