import type { RestartAnalysis, RestartPlan } from '../model/analysis.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { lastValue, type Directive, type Unit } from '../model/unit.ts';
import { parseTimeSpan, toWholeSeconds } from './time-span.ts';

/**
 * Start limits (post, N1; systemd.unit(5) StartLimitIntervalSec=): systemd
 * stops restarting a unit that starts more than StartLimitBurst= times
 * (default 5) within StartLimitIntervalSec= (default 10s). A service with
 * Restart=always that waits for something slow (Tailscale, a disk unlock)
 * burns through that budget in a second and stays down. Setting the interval
 * to 0 turns the limit off, which is what `Restart=always` means to most
 * people; the old host often said so too (`StartLimitInterval=0`).
 *
 * This pass decides, per unit:
 * - `StartLimitIntervalSec=`/`StartLimitInterval=`/`StartLimitBurst=` move to
 *   NixOS's unit-level `startLimitIntervalSec`/`startLimitBurst` (ints), from
 *   [Unit] or from [Service], where systemd before version 230 took them;
 * - `Restart=always` without a limit of its own gets `startLimitIntervalSec = 0`.
 *
 * Other Restart= values (on-failure, ...) keep systemd's default limit: they
 * ask for bounded retries. They get an info diagnostic saying how to change it.
 */

const INTERVAL_KEYS = new Set(['StartLimitIntervalSec', 'StartLimitInterval']);
const BURST_KEYS = new Set(['StartLimitBurst']);

export function analyseRestart(host: Host, ledger: Ledger): RestartAnalysis {
  const plans = new Map<string, RestartPlan>();
  for (const unit of host.units) {
    const plan = planUnit(unit, ledger);
    if (plan) plans.set(unit.name, plan);
  }
  return { plans };
}

function planUnit(unit: Unit, ledger: Ledger): RestartPlan | undefined {
  const limits = unit.directives.filter(
    (d) => (d.section === 'Unit' || d.section === 'Service') && (INTERVAL_KEYS.has(d.key) || BURST_KEYS.has(d.key)),
  );
  const intervals = limits.filter((d) => INTERVAL_KEYS.has(d.key));
  const bursts = limits.filter((d) => BURST_KEYS.has(d.key));
  const restart = unit.type === 'service' ? lastValue(unit, 'Service', 'Restart') : undefined;

  // The last assignment wins in systemd, whichever section or spelling it used.
  const interval = readInterval(intervals, unit, ledger);
  const burst = readBurst(bursts, unit, ledger);
  const replaces = [...(interval?.directives ?? []), ...(burst?.directives ?? [])];

  const reasons: string[] = [];
  const moved = replaces.filter((d) => d.section === 'Service');
  if (moved.length > 0) {
    reasons.push(
      `${unique(moved.map((d) => `${d.key}=`)).join(' and ')} in [Service] is the placement systemd used before version 230; NixOS sets start limits at the unit level`,
    );
  } else if (replaces.length > 0) {
    reasons.push('NixOS has unit-level options for the start limit');
  }

  let startLimitIntervalSec = interval?.seconds;
  const ownLimit = intervals.length > 0 || bursts.length > 0;
  if (restart?.value === 'always' && !ownLimit) {
    startLimitIntervalSec = 0;
    reasons.push(
      'Restart=always: keep restarting however often it fails (no start limit), so a service waiting for something slow at boot comes up eventually',
    );
  } else if (restart && restart.value !== 'no' && restart.value !== 'always' && !ownLimit) {
    ledger.report(
      'info',
      'restart/start-limit',
      `${unit.name} has Restart=${restart.value} and systemd's default start limit (5 starts in 10s): after that it stays down`,
      restart.item.origin,
      'if it must come back whatever happens, set Restart=always, or startLimitIntervalSec = 0 in its module',
    );
  }

  if (startLimitIntervalSec === undefined && burst?.value === undefined) return undefined;
  // Written out, not as spreads of the optional fields: an object literal that starts with a
  // spread is slow to build, and V8 tends to give each such object a hidden class of its own.
  const reason = reasons.join('; ');
  const startLimitBurst = burst?.value;
  if (startLimitIntervalSec === undefined) return { startLimitBurst: startLimitBurst!, replaces, reason };
  if (startLimitBurst === undefined) return { startLimitIntervalSec, replaces, reason };
  return { startLimitIntervalSec, startLimitBurst, replaces, reason };
}

interface Read<T> {
  /** Every directive of the setting: they all leave, the effective value stays. */
  readonly directives: readonly Directive[];
  readonly value: T;
}

function readInterval(
  directives: readonly Directive[],
  unit: Unit,
  ledger: Ledger,
): (Read<number> & { readonly seconds: number }) | undefined {
  const last = directives[directives.length - 1];
  if (!last) return undefined;
  const span = parseTimeSpan(last.value);
  if (span.kind === 'infinity') {
    ledger.report(
      'warning',
      'restart/infinite-interval',
      `${last.key}=infinity in ${unit.name} cannot be written as NixOS's integer startLimitIntervalSec; it stays in ${last.section === 'Unit' ? 'unitConfig' : 'serviceConfig'}`,
      last.item.origin,
      'a finite, long interval (e.g. 86400) means nearly the same',
    );
    return undefined;
  }
  if (span.kind === 'invalid') {
    ledger.report(
      'warning',
      'restart/bad-interval',
      `${last.key}=${last.value} in ${unit.name} is not a time span: ${span.reason}; it is carried as written`,
      last.item.origin,
      'systemd.time(7) spans look like `10s`, `5min`, `1h 30min`',
    );
    return undefined;
  }
  const { seconds, rounded } = toWholeSeconds(span);
  if (rounded) {
    ledger.report(
      'warning',
      'restart/rounded-interval',
      `${last.key}=${last.value} in ${unit.name} is not a whole number of seconds; NixOS's startLimitIntervalSec gets ${seconds}`,
      last.item.origin,
      'the interval is rounded up, so the limit does not get stricter',
    );
  }
  return { directives, value: seconds, seconds };
}

function readBurst(directives: readonly Directive[], unit: Unit, ledger: Ledger): Read<number> | undefined {
  const last = directives[directives.length - 1];
  if (!last) return undefined;
  if (!/^[0-9]+$/.test(last.value)) {
    ledger.report(
      'warning',
      'restart/bad-burst',
      `StartLimitBurst=${last.value} in ${unit.name} is not a whole number; it is carried as written`,
      last.item.origin,
    );
    return undefined;
  }
  return { directives, value: Number(last.value) };
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
