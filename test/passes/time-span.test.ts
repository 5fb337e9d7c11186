import { describe, expect, it } from 'vitest';
import { parseTimeSpan, toWholeSeconds } from '../../src/passes/time-span.ts';

const seconds = (text: string) => {
  const span = parseTimeSpan(text);
  return span.kind === 'finite' ? toWholeSeconds(span) : span.kind;
};

describe('systemd time spans (systemd.time(7))', () => {
  it.each([
    ['0', 0],
    ['10', 10],
    ['10s', 10],
    ['5min', 300],
    ['2m', 120],
    ['1h 30min', 5400],
    ['1h30min', 5400],
    ['2 h', 7200],
    ['1.5h', 5400],
    ['1d', 86400],
    ['1w', 604800],
    ['1M', 2629800],
    ['1y', 31557600],
    ['3 seconds', 3],
    ['1min 10s 500ms', 70.5],
  ])('%j is %d seconds', (text, expected) => {
    const span = parseTimeSpan(text);
    expect(span).toEqual({ kind: 'finite', microseconds: expected * 1e6 });
  });

  it('rounds fractions of a second up and says so', () => {
    expect(seconds('500ms')).toEqual({ seconds: 1, rounded: true });
    expect(seconds('1500ms')).toEqual({ seconds: 2, rounded: true });
    expect(seconds('2000ms')).toEqual({ seconds: 2, rounded: false });
  });

  it('knows infinity', () => {
    expect(parseTimeSpan('infinity')).toEqual({ kind: 'infinity' });
  });

  it.each(['', 'soon', '5 parsecs', '-5s', '5s x'])('rejects %j', (text) => {
    expect(parseTimeSpan(text).kind).toBe('invalid');
  });
});
