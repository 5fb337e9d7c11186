import type { ComposeService } from './compose.ts';
import type { DockerFlag, DockerInvocation } from './docker.ts';
import type { InputItem } from './ledger.ts';
import type { SecretMount } from './secret.ts';
import type { Directive } from './unit.ts';

/**
 * Where a container was described outside any unit:
 * - docker-script: a `docker run` line of a shell script or text file;
 * - docker-run: a command given on nixport's command line (`--docker-run`);
 * - docker-inspect: a record of `docker inspect` JSON, read as the
 *   `docker run` command that would make the same container;
 * - compose: a service of a Compose project, read as the `docker run`
 *   that Docker Compose would run for it;
 * - quadlet: a podman Quadlet `.container` file, read as the `podman run`
 *   that podman's systemd generator would write for it.
 */
export type ContainerSource = 'docker-script' | 'docker-run' | 'docker-inspect' | 'compose' | 'quadlet';

/**
 * A container the old host ran without a unit of its own. There is no
 * stage-1 form for it (nothing to carry 1:1), so it is planned straight
 * onto virtualisation.oci-containers.
 */
export interface StandaloneContainer {
  /** The container's name: `--name`, the record's `Name`, or one made from the image. */
  readonly name: string;
  readonly source: ContainerSource;
  /** The `docker run` (or `docker create`) it amounts to; its flags are ledger items. */
  readonly invocation: DockerInvocation;
  /** The command line or record. */
  readonly item: InputItem;
  /** Whether `name` was made up (no `--name`): nothing on the old host could refer to it. */
  readonly nameGuessed: boolean;
  /** Flags the reader left out on purpose (a value only the old shell knew), each reported as an error. */
  readonly leftOut?: ReadonlySet<DockerFlag>;
  /** docker-inspect: what the record says beyond the flags, for the report and the plan. */
  readonly inspect?: InspectFacts;
  /** compose: the service it was, its project, and how it waits for other services. */
  readonly compose?: ComposeService;
  /** Declared secrets (Host.secrets) the container reads as files (Compose `services.<name>.secrets`). */
  readonly secrets?: readonly SecretMount[];
  /** quadlet: the unit podman's generator made of the file, and the file's other sections. */
  readonly quadlet?: QuadletUnit;
}

/** What a Quadlet `.container` file says beyond the container's flags. */
export interface QuadletUnit {
  /** The unit podman's generator made of it: `web.service` (or ServiceName=). */
  readonly service: string;
  /** [Unit], [Service], [Install] and [Quadlet] lines, for the container's unit. */
  readonly directives: readonly Directive[];
  /** [Container] lines and the flags each became: a line's fate follows its flags'. */
  readonly keys: ReadonlyMap<Directive, readonly DockerFlag[]>;
  /** Other Quadlet files by name (`db.container`, `data.volume`) -> the unit their generator made (`db.service`, `data-volume.service`). */
  readonly units: ReadonlyMap<string, string>;
  /** Containers of other Quadlet files by their file name (`db.container` -> `systemd-db`). */
  readonly containers: ReadonlyMap<string, string>;
}

/** Facts of a `docker inspect` record that no `docker run` flag carries. */
export interface InspectFacts {
  /** `State.Running`. */
  readonly running?: boolean;
  /** `Image`: the image ID the container ran (`sha256:...`). */
  readonly imageId?: string;
  /** `RepoDigests` of the image, when its `docker image inspect` record was given too. */
  readonly repoDigests: readonly string[];
  /** Anonymous volumes (from the image's VOLUME): their data lived only in Docker's volume directory. */
  readonly anonymousVolumes: readonly { readonly name: string; readonly target: string; readonly source?: string; readonly item: InputItem }[];
}

/**
 * The key a standalone container has where the passes key things by unit
 * name (open ports, mount needs): it cannot clash with a unit name, which
 * always has a type suffix after a dot.
 */
export function containerKey(container: Pick<StandaloneContainer, 'name'>): string {
  return `container:${container.name}`;
}

/** A named volume the host's configuration created with options (a Quadlet `.volume` file). */
export interface VolumeDefinition {
  readonly name: string;
  /** `podman volume create` flags, one word each (`--driver=local`, `--opt=device=/dev/sdb1`). */
  readonly options: readonly string[];
  readonly item: InputItem;
}

/** `docker network create [flags] NAME` from a script: how the old host made a user-defined network. */
export interface NetworkDefinition {
  readonly name: string;
  /** The flags as written (`--subnet=10.5.0.0/16`, `-d bridge`), one word each. */
  readonly options: readonly string[];
  readonly item: InputItem;
  /** Made outside this host's configuration (Compose `external: true`): used, never created. */
  readonly external?: boolean;
}
