import type { Located } from '../../model/unit.ts';
import { attrs, bind, bool, list, str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/**
 * Where the host finds its own flake to rebuild from: flake.nix puts the
 * flake's source there with environment.etc (a link into the store, so
 * every deploy brings the flake it was built from).
 */
export const FLAKE_ETC_NAME = 'nixport/flake';
export const FLAKE_DIR_ON_HOST = `/etc/${FLAKE_ETC_NAME}`;

/**
 * CoreOS updated itself and rebooted by its reboot strategy; NixOS's
 * system.autoUpgrade does the same from the flake. locksmith's reboot window
 * becomes the upgrade time and rebootWindow.
 */
export function buildUpdate(ctx: BuildContext): void {
  const { update } = ctx.host;
  const { ledger, tree } = ctx;
  const o = OWNER.configuration;
  const base = ['system', 'autoUpgrade'];
  const at = (...rest: string[]) => [...base, ...rest];
  if (!update.rebootStrategy && !update.windowStart && !update.windowLength && !update.group && !update.server) return;

  const strategy = update.rebootStrategy?.value ?? 'best-effort';
  const comments = update.rebootStrategy
    ? [`reboot-strategy: ${strategy}, from ${originComment(update.rebootStrategy.item.origin)}`]
    : ['CoreOS updated itself by default; so does this host.'];
  tree.define(o, at('enable'), bool(true), comments);
  tree.define(o, at('flake'), str(`${FLAKE_DIR_ON_HOST}#${ctx.hostName}`), [
    'Every deploy brings the flake here (flake.nix); the host rebuilds from it with newer nixpkgs.',
  ]);
  tree.define(o, at('flags'), list(UPDATE_FLAGS.map((f) => str(f))));
  // Without this, nixos-rebuild also gets --upgrade, which is for channels.
  tree.define(o, at('upgrade'), bool(false));
  const reboots = strategy !== 'off';
  tree.define(o, at('allowReboot'), bool(reboots));
  if (update.rebootStrategy) settleStrategy(update.rebootStrategy, at, ctx);

  const window = rebootWindow(update.windowStart, update.windowLength, ctx);
  if (window) {
    tree.define(o, at('dates'), str(window.dates), ['locksmith reboot window']);
    if (reboots) {
      tree.define(o, at('rebootWindow'), attrs([bind(['lower'], str(window.lower)), bind(['upper'], str(window.upper))]));
    }
    ledger.carried(update.windowStart!.item, optionName(at('dates')));
    ledger.carried(update.windowLength!.item, optionName(at('rebootWindow')));
  }
  if (update.group) {
    ledger.dropped(
      update.group.item,
      `the update channel is the flake's nixpkgs input (nixos-${ctx.release}), not the CoreOS group \`${update.group.value}\``,
    );
  }
  if (update.server) {
    ledger.dropped(update.server.item, 'NixOS fetches updates through the flake inputs, not from an update server');
  }
}

/**
 * Arguments to nixos-rebuild so each run takes the newest commit of the
 * pinned release branch, as the module's documentation suggests for a local
 * flake (docs/nixos-facts.md §5). The flake on the host is read-only (it is
 * in the store), so the newer lock is used without being written; the
 * workstation's copy catches up with `make update`.
 */
export const UPDATE_FLAGS = ['--update-input', 'nixpkgs', '--no-write-lock-file', '-L'];

function settleStrategy(s: Located<string>, at: (...rest: string[]) => string[], ctx: BuildContext): void {
  const { ledger } = ctx;
  switch (s.value) {
    case 'reboot':
    case 'off':
      ledger.carried(s.item, optionName(at('allowReboot')));
      return;
    case 'best-effort':
      ledger.carried(s.item, optionName(at('allowReboot')), 'without etcd, best-effort reboots like `reboot`');
      return;
    case 'etcd-lock':
      ledger.carried(s.item, optionName(at('allowReboot')), 'no cluster-wide lock: hosts reboot independently');
      ledger.report(
        'warning',
        'update/etcd-lock',
        'reboot-strategy etcd-lock took a cluster lock before rebooting; NixOS hosts reboot on their own schedule',
        s.item.origin,
        'give each host its own system.autoUpgrade.dates or rebootWindow so they do not reboot together',
      );
      return;
    default:
      ledger.unsupported(s.item, `unknown reboot-strategy \`${s.value}\``);
      ledger.report('error', 'update/unknown-strategy', `unknown reboot-strategy \`${s.value}\``, s.item.origin, 'use reboot, etcd-lock, best-effort or off');
  }
}

interface Window {
  readonly dates: string;
  readonly lower: string;
  readonly upper: string;
}

/** locksmith's `window-start: Thu 04:00` and `window-length: 1h30m`. */
function rebootWindow(start: Located<string> | undefined, length: Located<string> | undefined, ctx: BuildContext): Window | undefined {
  if (!start || !length) {
    const lone = start ?? length;
    if (lone) {
      ctx.ledger.dropped(lone.item, 'locksmith needs both window-start and window-length; only one was given');
    }
    return undefined;
  }
  const m = start.value.trim().match(/^(?:(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+)?(\d{1,2}):(\d{2})$/i);
  const minutes = parseGoDuration(length.value);
  if (!m || minutes === undefined) {
    const bad = !m ? start : length;
    ctx.ledger.unsupported(bad.item, `cannot read the reboot window \`${bad.value}\``);
    ctx.ledger.report('error', 'update/bad-window', `cannot read the reboot window \`${bad.value}\``, bad.item.origin, 'e.g. window-start: "Thu 04:00", window-length: "1h"');
    return undefined;
  }
  const day = m[1] ? `${m[1][0]!.toUpperCase()}${m[1].slice(1, 3).toLowerCase()} ` : '';
  const startMin = Number(m[2]) * 60 + Number(m[3]);
  const end = (startMin + Math.min(minutes, 24 * 60 - 1)) % (24 * 60);
  return { dates: `${day}${hhmm(startMin)}`, lower: hhmm(startMin), upper: hhmm(end) };
}


/** Go's time.ParseDuration subset locksmith accepts: `1h`, `30m`, `1h30m`, `90s`. Rounded to minutes. */
function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?(h|m|s))+$/.test(t)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) {
    seconds += Number(n) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  }
  return Math.ceil(seconds / 60);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
