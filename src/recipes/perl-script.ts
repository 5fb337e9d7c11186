import type { HostFile } from '../model/host.ts';
import type { RecipeInput, ScriptRecipe, ShippedScript } from './types.ts';

/**
 * A container that only ran a Perl script the host was provisioned with
 * (post, N7): the script is bind-mounted in and is the container's command
 * (`IMAGE /usr/bin/sync.pl`, or `IMAGE perl /x.pl`). Natively the script is
 * built into the store with `pkgs.writers.writePerlBin NAME { libraries =
 * [ ... ]; } TEXT` (nixpkgs pkgs/build-support/writers/scripts.nix: an
 * interpreter of perl.withPackages with the libraries, and the text as
 * /bin/NAME) and the unit runs it.
 */
export const perlScript: ScriptRecipe = {
  kind: 'script',
  app: 'perl-script',
  title: 'A Perl script from write_files that a container ran, built with pkgs.writers.writePerlBin',
  detects: 'a container whose command is a bind-mounted write_files script in Perl',
  detect: shippedPerl,
};

function shippedPerl(input: RecipeInput): ShippedScript | undefined {
  const words = input.entrypoint !== undefined ? [input.entrypoint, ...input.args] : [...input.args];
  const program = words[0]?.split('/').pop();
  const containerPath = program === 'perl' ? words[1] : words[0];
  if (containerPath === undefined || !containerPath.startsWith('/')) return undefined;
  const file = hostFileAt(input, containerPath);
  if (!file || !isPerl(file)) return undefined;
  return { file, containerPath, language: 'perl' };
}

/** The host file a container path shows, through the bind volume that holds it. */
function hostFileAt(input: RecipeInput, containerPath: string): HostFile | undefined {
  for (const v of input.volumes) {
    if (v.kind !== 'bind' || v.source === undefined) continue;
    if (containerPath !== v.target && !containerPath.startsWith(`${v.target}/`)) continue;
    const file = input.files.get(`${v.source}${containerPath.slice(v.target.length)}`);
    if (file) return file;
  }
  return undefined;
}

function isPerl(file: HostFile): boolean {
  const text = file.text;
  if (text === undefined || file.remote) return false;
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (shebang) return /\bperl$/.test(shebang[1]!) || (/\benv$/.test(shebang[1]!) && shebang[2] === 'perl');
  return file.path.endsWith('.pl');
}
