/**
 * The arguments of a `mount` command line (util-linux mount(8)), as far as a
 * `fileSystems` entry can express them: `mount [-t TYPE] [-o OPTS] [-r|-w]
 * [--bind|--rbind] DEVICE DIR`, and `-L LABEL`/`-U UUID` or `LABEL=`/`UUID=`
 * in place of the device. Anything else (`-a`, `--move`, `--make-*`, one
 * argument that relies on /etc/fstab) is a reason, not a mount.
 */

export interface MountCommand {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType?: string;
  /** `-o` options, then the ones flags imply (`ro`, `bind`), in order, without duplicates. */
  readonly options: readonly string[];
}

export type MountParse = { readonly ok: true; readonly mount: MountCommand } | { readonly ok: false; readonly reason: string };

/** Flags that only change how mount(8) reports or checks: they leave the result alone. */
const QUIET_FLAGS = new Set(['-v', '--verbose', '-n', '--no-mtab', '-s', '--sloppy', '-i', '--internal-only', '-c', '--no-canonicalize']);
/** Flags that become mount options. */
const OPTION_FLAGS: Readonly<Record<string, string>> = {
  '-r': 'ro', '--read-only': 'ro', '-w': 'rw', '--rw': 'rw', '--read-write': 'rw',
  '-B': 'bind', '--bind': 'bind', '-R': 'rbind', '--rbind': 'rbind',
};
/** Flags with a value, by their long and short names. */
const VALUE_FLAGS: Readonly<Record<string, 'type' | 'options' | 'label' | 'uuid'>> = {
  '-t': 'type', '--types': 'type', '-o': 'options', '--options': 'options',
  '-L': 'label', '--label': 'label', '-U': 'uuid', '--uuid': 'uuid',
};
/** `LABEL=x` style device names, written as the udev links NixOS itself uses. */
const TAGS: Readonly<Record<string, string>> = {
  LABEL: '/dev/disk/by-label/',
  UUID: '/dev/disk/by-uuid/',
  PARTLABEL: '/dev/disk/by-partlabel/',
  PARTUUID: '/dev/disk/by-partuuid/',
};

export function parseMountArgs(args: readonly string[]): MountParse {
  let fsType: string | undefined;
  let tagged: string | undefined;
  const options: string[] = [];
  const implied: string[] = [];
  const positional: string[] = [];

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg.startsWith('--') ? arg : arg.slice(0, 2);
    const kind = VALUE_FLAGS[name];
    if (kind) {
      const attached = eq > 0 ? arg.slice(eq + 1) : !arg.startsWith('--') && arg.length > 2 ? arg.slice(2) : undefined;
      const value = attached ?? args[++i];
      if (value === undefined) return fail(`\`${arg}\` needs a value`);
      if (kind === 'type') fsType = value;
      else if (kind === 'options') options.push(...value.split(',').filter((o) => o !== ''));
      else tagged = `${kind === 'label' ? TAGS.LABEL : TAGS.UUID}${value}`;
      continue;
    }
    const flags = arg.startsWith('--') ? [arg] : [...arg.slice(1)].map((c) => `-${c}`);
    for (const flag of flags) {
      if (QUIET_FLAGS.has(flag)) continue;
      const option = OPTION_FLAGS[flag];
      if (option === undefined) return fail(`\`${flag}\` is not a flag a fileSystems entry can express`);
      implied.push(option);
    }
  }

  const wanted = tagged === undefined ? 2 : 1;
  if (positional.length !== wanted) {
    return fail(
      positional.length < wanted
        ? 'mount gets the rest from /etc/fstab, which the old host had and the new one does not'
        : `too many arguments (${positional.join(' ')})`,
    );
  }
  const device = tagged ?? deviceName(positional[0]!);
  const mountPoint = positional[wanted - 1]!;
  const all = [...new Set([...options, ...implied])];
  return { ok: true, mount: { device, mountPoint, ...(fsType !== undefined ? { fsType } : {}), options: all } };
}

function deviceName(device: string): string {
  const eq = device.indexOf('=');
  const dir = eq > 0 ? TAGS[device.slice(0, eq)] : undefined;
  return dir === undefined ? device : `${dir}${device.slice(eq + 1)}`;
}

function fail(reason: string): MountParse {
  return { ok: false, reason };
}
