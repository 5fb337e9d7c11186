import type { InputItem } from './ledger.ts';
import type { Origin } from './origin.ts';

/**
 * What a Compose project adds to its containers beyond their `docker run`
 * flags: the project they belong to (its name prefixes containers,
 * networks and volumes; one target starts and stops the stack), the
 * volumes Compose created, and how services wait for each other.
 */
export interface ComposeProject {
  /** The project name (`-p`, COMPOSE_PROJECT_NAME, `name:`, or the directory's). */
  readonly name: string;
  /** The main Compose file, as an item: the project's containers hang below it. */
  readonly item: InputItem;
  /** Named volumes the project creates (not `external`), by their real name. */
  readonly volumes: readonly ComposeVolume[];
  /** The project directory on the host, which relative paths were resolved against. */
  readonly directory: string;
}

/** A top-level `volumes:` entry Compose creates: `docker volume create [options] NAME`. */
export interface ComposeVolume {
  /** The real name: `<project>_<key>`, or its `name:`. */
  readonly name: string;
  /** `--driver`, `--opt`, `--label` words, one each. */
  readonly options: readonly string[];
  /** A local volume bound to a host directory (`driver_opts: {type: none, o: bind, device: /x}`): the data lives there. */
  readonly device?: string;
  readonly item: InputItem;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** One `depends_on` entry, onto the container the other service became. */
export interface ComposeDependency {
  /** The service, and the container name it has now. */
  readonly service: string;
  readonly container: string;
  readonly condition: DependencyCondition;
  /** `restart: true`: restarted with the dependency (systemd's Requires= does that). */
  readonly restart: boolean;
  /** `required: false`: started without it when it is missing (Wants= rather than Requires=). */
  readonly required: boolean;
  readonly item: InputItem;
}

/** Restart limits of `deploy.restart_policy` (and `restart: on-failure:N`), for the container's unit. */
export interface ComposeRestartLimits {
  /** Retries after a failure: StartLimitBurst is one more (the first start counts). */
  readonly maxAttempts?: number;
  /** `window`, in seconds: StartLimitIntervalSec. */
  readonly windowSeconds?: number;
  /** `delay`, as written (`5s`): RestartSec. */
  readonly delay?: string;
  readonly origin: Origin;
}

export interface ComposeService {
  readonly project: ComposeProject;
  /** The service's key under `services:`. */
  readonly service: string;
  readonly item: InputItem;
  readonly dependsOn: readonly ComposeDependency[];
  /** The service defines a health check (not disabled): `service_healthy` can wait for it. */
  readonly healthcheck: boolean;
  /** No `restart:` and no `deploy.restart_policy`: Compose's default, `no`. */
  readonly restartUnset: boolean;
  /** How systemd restarts it: Docker-like backoff unless `delay` says otherwise. */
  readonly restartLimits?: ComposeRestartLimits;
  /** The project volumes it mounts (real names). */
  readonly volumes: readonly string[];
}
