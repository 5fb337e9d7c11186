import { HOST_LABEL } from '../strategies/host/system.ts';
import { DEFAULT_RELEASE } from '../options.ts';
import { UsageError } from './usage-error.ts';

/** NixOS releases are named by year and month: 25.11, 26.05. */
const RELEASE = /^[0-9]{2}\.(0[1-9]|1[0-2])$/;

/** `--host`: one DNS label, as networking.hostName demands; checked before anything is read. */
export function checkHost(name: string): string {
  if (HOST_LABEL.test(name)) return name;
  const label = name.split('.')[0] ?? '';
  const hint =
    name.includes('.') && HOST_LABEL.test(label)
      ? `networking.hostName takes no domain; pass --host ${label}`
      : 'the name becomes networking.hostName and nixosConfigurations.<name>; e.g. --host storage2';
  throw new UsageError(
    `--host ${JSON.stringify(name)}: expected one DNS label (letters and digits, \`-\` or \`_\` inside, at most 63 characters, no dots)`,
    hint,
  );
}

/** `--release`: the `YY.MM` that names the nixpkgs branch and system.stateVersion. */
export function checkRelease(release: string): string {
  if (RELEASE.test(release)) return release;
  throw new UsageError(
    `--release ${JSON.stringify(release)}: expected a NixOS release as YY.MM, e.g. ${DEFAULT_RELEASE}`,
    `NixOS releases are named by year and month (25.11, 26.05); leave --release out to pin ${DEFAULT_RELEASE}`,
  );
}
