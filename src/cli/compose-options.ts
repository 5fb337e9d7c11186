import { basename } from 'node:path';
import type { ConvertOptions } from '../options.ts';
import type { ComposeFlags } from './compose-inputs.ts';
import { UsageError } from './usage-error.ts';

/**
 * The Compose flags as convert options. `-f` files are merged in the
 * order given, over the main file named as an input (the first input that
 * is a Compose file) — or, with no such input, the first `-f` is the main
 * file, as with `docker compose -f`.
 */
export function composeOptions(flags: ComposeFlags & { readonly positional?: readonly string[] }): Pick<ConvertOptions, 'compose'> {
  const compose: { -readonly [K in keyof NonNullable<ConvertOptions['compose']>]: NonNullable<ConvertOptions['compose']>[K] } = {
    workingDirectoryName: basename(process.cwd()),
  };
  if ((flags.file ?? []).length > 0) compose.files = [...(flags.positional ?? []), ...flags.file!];
  if ((flags.envFile ?? []).length > 0) compose.envFiles = [...flags.envFile!];
  if ((flags.profile ?? []).length > 0) compose.profiles = flags.profile!.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  if (flags.projectName !== undefined) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(flags.projectName)) {
      throw new UsageError(`-p ${JSON.stringify(flags.projectName)}: not a valid project name`, 'lower-case letters, digits, `-` and `_`, starting with a letter or digit');
    }
    compose.projectName = flags.projectName;
  }
  if (flags.projectDirectory !== undefined) {
    if (!flags.projectDirectory.startsWith('/')) throw new UsageError(`--project-directory ${flags.projectDirectory}: expected an absolute path`, 'the directory on the new host, e.g. /srv/media');
    compose.projectDirectory = flags.projectDirectory;
  }
  return { compose };
}
