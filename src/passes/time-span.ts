/**
 * systemd time spans (systemd.time(7)): `0`, `10`, `10s`, `5min`, `1h 30min`,
 * `2h30m`, `1.5h`, `500ms`, `infinity`. A number without a unit is seconds
 * (for the `...Sec=` settings). Components add up; blanks between them and
 * between a number and its unit are allowed.
 */

const USEC = 1;
const MSEC = 1000 * USEC;
const SEC = 1000 * MSEC;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Unit names from systemd.time(7); a month is 30.44 days and a year 365.25 days there. */
export const TIME_UNITS: Readonly<Record<string, number>> = {
  usec: USEC, us: USEC, µs: USEC, μs: USEC,
  msec: MSEC, ms: MSEC,
  seconds: SEC, second: SEC, sec: SEC, s: SEC,
  minutes: MIN, minute: MIN, min: MIN, m: MIN,
  hours: HOUR, hour: HOUR, hr: HOUR, h: HOUR,
  days: DAY, day: DAY, d: DAY,
  weeks: 7 * DAY, week: 7 * DAY, w: 7 * DAY,
  months: 2629800 * SEC, month: 2629800 * SEC, M: 2629800 * SEC,
  years: 31557600 * SEC, year: 31557600 * SEC, y: 31557600 * SEC,
};

export type TimeSpan =
  | { readonly kind: 'finite'; readonly microseconds: number }
  | { readonly kind: 'infinity' }
  | { readonly kind: 'invalid'; readonly reason: string };

export function parseTimeSpan(text: string): TimeSpan {
  const s = text.trim();
  if (s === 'infinity') return { kind: 'infinity' };
  if (s === '') return { kind: 'invalid', reason: 'the value is empty' };
  const component = /\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-zµμ]*)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    component.lastIndex = at;
    const m = component.exec(s);
    if (!m) return { kind: 'invalid', reason: `\`${s.slice(at).trim()}\` is not a number with a unit` };
    const [, number = '', unit = ''] = m;
    const scale = unit === '' ? SEC : TIME_UNITS[unit];
    if (scale === undefined) return { kind: 'invalid', reason: `\`${unit}\` is not a time unit systemd knows` };
    total += Math.round(Number(number) * scale);
    at = component.lastIndex;
  }
  return { kind: 'finite', microseconds: total };
}

/**
 * A span in whole seconds, as NixOS's `startLimitIntervalSec` (an int) takes
 * it. A fraction of a second is rounded up (`rounded` says so): a limit must
 * not get shorter.
 */
export function toWholeSeconds(span: { readonly microseconds: number }): { seconds: number; rounded: boolean } {
  const seconds = Math.ceil(span.microseconds / SEC);
  return { seconds, rounded: seconds * SEC !== span.microseconds };
}
