import type { DockerFlag, DockerInvocation } from '../model/docker.ts';
import { lastValue, type Directive, type Unit } from '../model/unit.ts';
import { flagsNamed } from '../sources/docker/query.ts';

/**
 * Units written by `podman generate systemd --new` (podman-generate-systemd(1)):
 * Type=notify with NotifyAccess=all, `podman run --cidfile=%t/%n.ctr-id
 * --cgroups=no-conmon --rm --sdnotify=conmon -d --replace`, the ID file
 * removed before the start, and `podman stop`/`podman rm` by that ID file.
 * All of it is how the generator supervises one container; the podman
 * backend of oci-containers does the same itself (docs/nixos-facts.md:
 * Type=notify, NotifyAccess=all, PODMAN_SYSTEMD_UNIT=%n, its own --cidfile,
 * preStop/postStop by it), so none of it moves.
 */
export interface GeneratedHousekeeping {
  /** The `--cidfile` path the generated lines share (`%t/%n.ctr-id`). */
  readonly cidfile: string;
  /** Flags of the run the generator added, with why each is dropped. */
  readonly flags: ReadonlyMap<DockerFlag, string>;
  /** Non-Exec lines of the unit the generator wrote, with why each is dropped. */
  readonly directives: ReadonlyMap<Directive, string>;
}

const CIDFILE = 'the ID file of the generated unit; the podman backend writes its own (--cidfile=/run/podman-<name>/ctr-id) and stops the container by it';
const CGROUPS = 'the generated unit kept conmon in the unit\'s cgroup; the module runs the container with its own --cgroups setting';
const TYPE = 'the generated unit waited for podman\'s notification; the podman backend\'s unit is Type=notify itself (the docker backend\'s runs in the foreground)';
const NOTIFY_ACCESS = 'the podman backend\'s unit sets NotifyAccess=all itself';
const SYSTEMD_UNIT = 'podman auto-update finds the container\'s unit by it; the podman backend\'s unit sets PODMAN_SYSTEMD_UNIT=%n itself';
const RUNTIME_MOUNT = 'podman\'s runtime directory under /run, which is always mounted';

/** The generator's shape around a `podman run` with `--cidfile`, or undefined when the unit is not one. */
export function generatedHousekeeping(owner: Unit, run: DockerInvocation): GeneratedHousekeeping | undefined {
  if (run.engine !== 'podman' || run.verb !== 'run') return undefined;
  const cid = flagsNamed(run, '--cidfile').at(-1);
  if (cid?.value === undefined || lastValue(owner, 'Service', 'Type')?.value !== 'notify') return undefined;
  const flags = new Map<DockerFlag, string>([[cid, CIDFILE]]);
  for (const f of flagsNamed(run, '--cgroups')) if (f.value === 'no-conmon') flags.set(f, CGROUPS);
  const directives = new Map<Directive, string>();
  for (const d of owner.directives) {
    if (d.section === 'Service' && d.key === 'Type') directives.set(d, TYPE);
    else if (d.section === 'Service' && d.key === 'NotifyAccess' && d.value === 'all') directives.set(d, NOTIFY_ACCESS);
    else if (d.section === 'Service' && d.key === 'Environment' && d.assignments?.length === 1 && d.assignments[0]!.name === 'PODMAN_SYSTEMD_UNIT') directives.set(d, SYSTEMD_UNIT);
    else if (d.section === 'Unit' && d.key === 'RequiresMountsFor' && d.value === '%t/containers') directives.set(d, RUNTIME_MOUNT);
  }
  return { cidfile: cid.value, flags, directives };
}

/** `rm -f %t/%n.ctr-id` (also `/bin/rm -f A B`): removes only the generated unit's ID or PID files. */
export function removesIdFile(words: readonly string[], cidfile: string): boolean {
  const program = words[0]?.slice(words[0].lastIndexOf('/') + 1);
  if (program !== 'rm') return false;
  const paths = words.slice(1).filter((w) => !w.startsWith('-'));
  const stem = cidfile.replace(/\.ctr-id$|-cid$/, '');
  return paths.length > 0 && paths.every((p) => p === cidfile || p === `${stem}.pid` || p === `${stem}-pid`);
}

/** Whether `podman stop/rm/kill` acts only on the container named by the unit's ID file (`--cidfile=%t/%n.ctr-id`, no names). */
export function byIdFile(invocation: DockerInvocation, cidfile: string): boolean {
  const files = flagsNamed(invocation, '--cidfile');
  return invocation.args.length === 0 && files.length > 0 && files.every((f) => f.value === cidfile);
}
