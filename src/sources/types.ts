import type { NetworkDefinition, StandaloneContainer, VolumeDefinition } from '../model/container.ts';
import type { AuthorizedKey, Group, HostFile, SourceFormat, UpdatePolicy, User } from '../model/host.ts';
import type { InputItem } from '../model/ledger.ts';
import type { PositionMapper } from '../model/origin.ts';
import type { HostSecret } from '../model/secret.ts';
import type { HostStorage } from '../model/storage.ts';
import type { Located, UnitActivation } from '../model/unit.ts';
import type { QuadletText } from './quadlet/read.ts';

/** An input file as the library receives it: a path for messages, and bytes. */
export interface InputFile {
  /** Path as the user gave it (relative paths stay relative); used in every origin. */
  readonly path: string;
  readonly content: Uint8Array | string;
  /**
   * Found by walking a directory rather than named by the user: a file that
   * is no known input is then reported and skipped instead of refused.
   */
  readonly discovered?: boolean;
}

/**
 * The text of a unit file or drop-in found in an input, before parsing.
 * Unit files come from files of their own or from cloud-config `coreos.units`;
 * the systemd reader parses every one the same way.
 */
export interface UnitText {
  /** Unit name, e.g. `samba.service`. */
  readonly unit: string;
  /** Set when the text is a drop-in for `unit`: its file name, e.g. `10-restart.conf`. */
  readonly dropIn?: string;
  readonly text: string;
  /** Maps (line, column) in `text` to the input file. */
  readonly position: PositionMapper;
  /** The unit or drop-in item, registered by the reader that found the text. */
  readonly item: InputItem;
  readonly activation?: UnitActivation;
}

/** What one reader learned from one input file. `readInputs` merges these. */
export interface Contribution {
  readonly format: SourceFormat;
  readonly hostname?: Located<string>;
  readonly units?: readonly UnitText[];
  readonly files?: readonly HostFile[];
  readonly users?: readonly User[];
  readonly groups?: readonly Group[];
  readonly authorizedKeys?: readonly AuthorizedKey[];
  readonly update?: UpdatePolicy;
  /** Ignition/Butane storage and kernel arguments; the fields merge as lists. */
  readonly storage?: Partial<HostStorage>;
  /** Containers without a unit (docker-run scripts, `--docker-run`, `docker inspect`). */
  readonly containers?: readonly StandaloneContainer[];
  readonly networks?: readonly NetworkDefinition[];
  /** Named volumes created with options (Quadlet `.volume` files). */
  readonly volumes?: readonly VolumeDefinition[];
  /** Quadlet files given as inputs: read together with the ones configs wrote, since they name each other. */
  readonly quadlets?: readonly QuadletText[];
  /** Secrets the input declares by name (Compose `secrets:`). */
  readonly secrets?: readonly HostSecret[];
}
