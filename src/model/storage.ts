import type { InputItem } from './ledger.ts';
import type { Located } from './unit.ts';

/**
 * What Ignition (and Butane) configure below the file level: directories,
 * links, file systems, encrypted volumes, disks and arrays, kernel
 * arguments. Every entry keeps the item it came from.
 */

/** A file fetched from elsewhere at provisioning time: never fetched by nixport. */
export interface RemoteSource {
  /** https, http, s3, gs, tftp or arn URL, as written. */
  readonly url: string;
  /** `sha512-<hex>` / `sha256-<hex>` as written in `verification.hash`. */
  readonly verification?: string;
}

export interface HostDirectory {
  readonly path: string;
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly item: InputItem;
}

export interface HostLink {
  readonly path: string;
  readonly target: string;
  readonly hard: boolean;
  readonly owner?: string;
  readonly group?: string;
  readonly overwrite?: boolean;
  readonly item: InputItem;
}

/** `storage.filesystems`: a file system Ignition created and perhaps mounted. */
export interface HostFilesystem {
  readonly device: string;
  /** ext4, xfs, btrfs, vfat, swap, none. */
  readonly format?: string;
  /** Where it is mounted; absent for file systems only created. */
  readonly path?: string;
  readonly label?: string;
  readonly uuid?: string;
  readonly wipe?: boolean;
  readonly mountOptions: readonly string[];
  /** Butane `with_mount_unit`: a mount unit was generated for it. */
  readonly withMountUnit?: boolean;
  readonly item: InputItem;
}

export interface ClevisBinding {
  readonly tang: readonly { readonly url: string; readonly thumbprint?: string }[];
  readonly tpm2: boolean;
  readonly threshold?: number;
  /** Custom pin config as written, when given. */
  readonly custom?: string;
}

/** `storage.luks`: an encrypted volume opened at boot as /dev/mapper/<name>. */
export interface LuksVolume {
  readonly name: string;
  readonly device: string;
  /** A key file given inline (decoded) or by URL. */
  readonly keyFile?: { readonly inline?: Uint8Array; readonly remote?: RemoteSource };
  readonly label?: string;
  readonly uuid?: string;
  readonly discard?: boolean;
  readonly openOptions: readonly string[];
  readonly clevis?: ClevisBinding;
  readonly wipe?: boolean;
  readonly item: InputItem;
}

export interface Partition {
  readonly label?: string;
  readonly number?: number;
  readonly sizeMiB?: number;
  readonly startMiB?: number;
  readonly typeGuid?: string;
  readonly guid?: string;
  readonly wipe?: boolean;
  readonly shouldExist?: boolean;
  readonly resize?: boolean;
  readonly item: InputItem;
}

export interface Disk {
  readonly device: string;
  readonly wipeTable?: boolean;
  readonly partitions: readonly Partition[];
  readonly item: InputItem;
}

export interface RaidArray {
  readonly name: string;
  readonly level: string;
  readonly devices: readonly string[];
  readonly spares?: number;
  readonly options: readonly string[];
  readonly item: InputItem;
}

export interface KernelArguments {
  readonly shouldExist: readonly Located<string>[];
  readonly shouldNotExist: readonly Located<string>[];
}

/** Butane's `boot_device` sugar, kept when a reader does not expand it. */
export interface BootDevice {
  readonly layout?: string;
  readonly luks?: ClevisBinding & { readonly discard?: boolean };
  readonly mirrorDevices: readonly string[];
  readonly item: InputItem;
}

/** Everything below the file level, empty for inputs that have none of it. */
export interface HostStorage {
  readonly directories: readonly HostDirectory[];
  readonly links: readonly HostLink[];
  readonly filesystems: readonly HostFilesystem[];
  readonly luks: readonly LuksVolume[];
  readonly disks: readonly Disk[];
  readonly raid: readonly RaidArray[];
  readonly kernelArguments: KernelArguments;
  readonly bootDevice?: BootDevice;
}

export const EMPTY_STORAGE: HostStorage = {
  directories: [],
  links: [],
  filesystems: [],
  luks: [],
  disks: [],
  raid: [],
  kernelArguments: { shouldExist: [], shouldNotExist: [] },
};
