/**
 * The health check's decisions, run for real: the script nixport writes
 * into health.nix, under sh (and bash when present), with every command it
 * calls replaced by a fake that answers from a table and logs its calls.
 * The fake systems are directories with the files switch-to-configuration
 * and the kernel links; the system profile and /run/current-system are
 * symlinks, as on NixOS.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HEALTH_SCRIPT } from '../../src/strategies/host/health-script.ts';

const SHELLS = ['sh', 'bash'].filter((s) => spawnSync(s, ['-c', 'true']).status === 0);

/** The fake commands: each logs `name args` and answers from results.txt (`<probe> fail`, `<probe> fail-once`). */
const FAKE = `#!/bin/sh
name=$(basename "$0")
echo "$name $*" >>"$FAKE_DIR/calls.log"
verdict() {
  key=$1
  if grep -qxF "$key fail" "$FAKE_DIR/results.txt" 2>/dev/null; then return 1; fi
  if grep -qxF "$key fail-once" "$FAKE_DIR/results.txt" 2>/dev/null; then
    if [ ! -e "$FAKE_DIR/once-$(echo "$key" | tr ' /:' '___')" ]; then : >"$FAKE_DIR/once-$(echo "$key" | tr ' /:' '___')"; return 1; fi
  fi
  return 0
}
case $name in
  systemctl)
    if [ "$1" = is-active ]; then verdict "unit $3"; exit $?; fi
    exit 0 ;;
  timeout) verdict "tcp $5 $6"; exit $? ;;
  curl) for a in "$@"; do last=$a; done; verdict "http $last"; exit $? ;;
  nix-env) ln -sfn "$4" "$FAKE_DIR/profile"; exit 0 ;;
  sleep) exit 0 ;;
esac
exit 0
`;

interface World {
  readonly dir: string;
  readonly run: (command: string, env?: Record<string, string>) => { status: number | null; stdout: string };
  readonly calls: () => string[];
  readonly clearCalls: () => void;
  readonly setProbes: (lines: readonly string[]) => void;
  readonly setResults: (lines: readonly string[]) => void;
  /** Points /run/current-system (and the profile, and optionally /run/booted-system) at a system. */
  readonly switchTo: (system: 'old' | 'new', options?: { readonly profileOnly?: boolean; readonly booted?: boolean }) => void;
  readonly system: (name: 'old' | 'new') => string;
  readonly state: (file: string) => string | undefined;
}

const worlds: string[] = [];
afterEach(() => {
  for (const dir of worlds.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function world(shell: string, kernels: { old: string; new: string } = { old: 'k1', new: 'k1' }): World {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nixport-health-')));
  worlds.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of ['systemctl', 'timeout', 'curl', 'nix-env', 'sleep']) {
    writeFileSync(join(bin, name), FAKE);
    chmodSync(join(bin, name), 0o755);
  }
  for (const name of ['old', 'new'] as const) {
    const sys = join(dir, `system-${name}`);
    mkdirSync(join(sys, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'store', kernels[name]), { recursive: true });
    for (const f of ['kernel', 'initrd', 'kernel-modules']) symlinkSync(join(dir, 'store', kernels[name]), join(sys, f));
    writeFileSync(join(sys, 'bin', 'switch-to-configuration'), `#!/bin/sh\necho "switch-to-configuration ${name} $*" >>"$FAKE_DIR/calls.log"\n`);
    chmodSync(join(sys, 'bin', 'switch-to-configuration'), 0o755);
  }
  const script = join(dir, 'health-check.sh');
  writeFileSync(script, HEALTH_SCRIPT);
  const system = (name: 'old' | 'new') => join(dir, `system-${name}`);
  const link = (target: string, at: string) => {
    rmSync(at, { force: true });
    symlinkSync(target, at);
  };
  link(system('old'), join(dir, 'current'));
  link(system('old'), join(dir, 'booted'));
  link(system('old'), join(dir, 'profile'));
  const env = {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    FAKE_DIR: dir,
    NIXPORT_HEALTH_STATE: join(dir, 'state'),
    NIXPORT_HEALTH_PROBES: join(dir, 'probes'),
    NIXPORT_HEALTH_TRIES: '3',
    NIXPORT_HEALTH_INTERVAL: '0',
    NIXPORT_CURRENT_SYSTEM: join(dir, 'current'),
    NIXPORT_BOOTED_SYSTEM: join(dir, 'booted'),
    NIXPORT_SYSTEM_PROFILE: join(dir, 'profile'),
  };
  return {
    dir,
    run: (command, extra = {}) => {
      const r = spawnSync(shell, [script, command], { env: { ...env, ...extra }, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout + r.stderr };
    },
    calls: () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : []),
    clearCalls: () => rmSync(join(dir, 'calls.log'), { force: true }),
    setProbes: (lines) => writeFileSync(join(dir, 'probes'), lines.map((l) => `${l}\n`).join('')),
    setResults: (lines) => writeFileSync(join(dir, 'results.txt'), lines.map((l) => `${l}\n`).join('')),
    switchTo: (name, options = {}) => {
      link(system(name), join(dir, 'profile'));
      if (!options.profileOnly) link(system(name), join(dir, 'current'));
      if (options.booted) link(system(name), join(dir, 'booted'));
    },
    system,
    state: (file) => (existsSync(join(dir, 'state', file)) ? readFileSync(join(dir, 'state', file), 'utf8') : undefined),
  };
}

const PROBES = ['sshd unit sshd.service', 'sshd tcp 127.0.0.1 22', 'samba unit samba.service', 'samba tcp 127.0.0.1 445', 'web http http://127.0.0.1:8080/health'];
const rollbacks = (w: World) => w.calls().filter((c) => c.startsWith('nix-env') || c.startsWith('switch-to-configuration') || c === 'systemctl reboot');

it('has a POSIX sh to run the script with', () => {
  expect(SHELLS).toContain('sh');
});

describe.each(SHELLS)('the health check under %s', (shell) => {
  it('record: remembers the running system and the probes that pass before the upgrade', () => {
    const w = world(shell);
    w.setProbes(['# a comment', '', ...PROBES]);
    w.setResults(['tcp 127.0.0.1 445 fail']);
    expect(w.run('record').status).toBe(0);
    expect(w.state('previous')?.trim()).toBe(w.system('old'));
    expect(w.state('baseline')).toBe(PROBES.filter((p) => !p.includes(' 445')).map((p) => `${p}\n`).join(''));
    // Every probe was asked, each kind through its command.
    expect(w.calls()).toEqual([
      'systemctl is-active --quiet sshd.service',
      `timeout 5 bash -c exec 3<>"/dev/tcp/$0/$1" 127.0.0.1 22`,
      'systemctl is-active --quiet samba.service',
      `timeout 5 bash -c exec 3<>"/dev/tcp/$0/$1" 127.0.0.1 445`,
      'curl --fail --silent --max-time 10 --output /dev/null http://127.0.0.1:8080/health',
    ]);
  });

  it('check without a recorded upgrade does nothing', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    const r = w.run('check');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no upgrade to check');
    expect(w.calls()).toEqual([]);
  });

  it('a healthy upgrade is kept and its record forgotten', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new');
    const r = w.run('check');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`healthy after the upgrade to ${w.system('new')}`);
    expect(rollbacks(w)).toEqual([]);
    expect(w.state('previous')).toBeUndefined();
    expect(w.state('hold')).toBeUndefined();
  });

  it('a probe that passed before and keeps failing after rolls back with switch, and holds upgrades', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new');
    w.setResults(['unit samba.service fail']);
    w.clearCalls();
    const r = w.run('check');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('samba unit samba.service');
    // Three tries, two waits between them.
    expect(w.calls().filter((c) => c === 'systemctl is-active --quiet samba.service')).toHaveLength(3);
    expect(w.calls().filter((c) => c.startsWith('sleep'))).toEqual(['sleep 0', 'sleep 0']);
    expect(rollbacks(w)).toEqual([`nix-env --profile ${w.dir}/profile --set ${w.system('old')}`, 'switch-to-configuration old switch']);
    expect(realpathSync(join(w.dir, 'profile'))).toBe(w.system('old'));
    expect(w.state('hold')).toContain(`rolled back from ${w.system('new')} to ${w.system('old')}`);
    expect(w.state('previous')).toBeUndefined();
    // Held: the next upgrade is skipped (ExecCondition exits 1) until the hold is removed.
    const held = w.run('may-upgrade');
    expect(held.status).toBe(1);
    expect(held.stdout).toContain('remove');
    rmSync(join(w.dir, 'state', 'hold'));
    expect(w.run('may-upgrade').status).toBe(0);
  });

  it('a probe that already failed before the upgrade never causes a rollback', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.setResults(['tcp 127.0.0.1 445 fail']);
    w.run('record');
    w.switchTo('new');
    expect(w.run('check').status).toBe(0);
    expect(rollbacks(w)).toEqual([]);
  });

  it('a probe that is new in the upgraded system is not held against it', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new');
    w.setProbes([...PROBES, 'new-thing unit new-thing.service']);
    w.setResults(['unit new-thing.service fail']);
    expect(w.run('check').status).toBe(0);
    expect(rollbacks(w)).toEqual([]);
  });

  it('a service that comes back on a later try is healthy', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new');
    w.setResults(['tcp 127.0.0.1 22 fail-once']);
    expect(w.run('check').status).toBe(0);
    expect(rollbacks(w)).toEqual([]);
    expect(w.calls().filter((c) => c.startsWith('sleep'))).toHaveLength(1);
  });

  it('after a reboot into a new kernel, the rollback boots the old system again', () => {
    const w = world(shell, { old: 'k1', new: 'k2' });
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new', { booted: true });
    w.setResults(['tcp 127.0.0.1 22 fail']);
    expect(w.run('check').status).toBe(1);
    expect(rollbacks(w)).toEqual([`nix-env --profile ${w.dir}/profile --set ${w.system('old')}`, 'switch-to-configuration old boot', 'systemctl reboot']);
  });

  it('an upgrade that runs only from the next boot is checked then', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.switchTo('new', { profileOnly: true });
    const r = w.run('check');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('checking then');
    expect(w.state('previous')?.trim()).toBe(w.system('old'));
    expect(w.calls().filter((c) => !c.startsWith('systemctl is-active') && !c.startsWith('timeout') && !c.startsWith('curl'))).toEqual([]);
  });

  it('an upgrade that changed nothing forgets its record', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    const r = w.run('check');
    expect(r.stdout).toContain('changed nothing');
    expect(w.state('previous')).toBeUndefined();
  });

  it('settle forgets the record of a failed upgrade and keeps that of a successful one', () => {
    const w = world(shell);
    w.setProbes(PROBES);
    w.run('record');
    w.run('settle', { SERVICE_RESULT: 'success' });
    expect(w.state('previous')).toBeDefined();
    w.run('settle', { SERVICE_RESULT: 'exit-code' });
    expect(w.state('previous')).toBeUndefined();
  });

  it('an unknown command is a usage error', () => {
    const w = world(shell);
    expect(w.run('bogus').status).toBe(2);
  });
});
