import type { AuthorizedKey, Host, KeyOption } from '../../model/host.ts';
import { Ledger } from '../../model/ledger.ts';
import { normalizeTemplate, type Template } from '../../model/template.ts';
import type { ExecWord } from '../../model/unit.ts';
import { readShell } from '../../passes/shell-words.ts';
import type { Plan } from '../../plan/types.ts';
import { RECIPES } from '../../recipes/index.ts';
import { matchKeyRecipe, programOf } from '../../recipes/match.ts';
import type { KeyRecipe } from '../../recipes/types.ts';
import { parseImageReference } from '../../sources/docker/image-ref.ts';
import { recognizeDocker } from '../../sources/docker/recognize.ts';
import { shellWord } from '../oci/shell.ts';

/** A key whose forced command runs the program from the store now, and why. */
export interface KeyRewrite {
  readonly template: Template;
  readonly note: string;
}

/** Flags of the old `docker run` that changed nothing a forced rrsync could do. */
const HARMLESS = new Set(['--interactive', '--rm', '--log-driver', '--log-opt', '--name', '--env', '--volume', '--mount', '--network', '--tty', '--init', '--pull']);

/**
 * Stage 3 for authorized_keys (post, N6): `command="docker run ... IMAGE
 * DIR"` where a key recipe knows the image (or its entrypoint is the
 * recipe's program) becomes `command="${pkgs.rrsync}/bin/rrsync DIR"`,
 * with DIR the host directory the container saw there, `-ro` added when
 * that volume was read-only, and every other byte of the key line kept.
 * A key whose container did more than that stays as it was, with the reason.
 */
export function planKeyRewrites(host: Host, plan: Plan, ledger: Ledger): Map<AuthorizedKey, KeyRewrite> {
  const out = new Map<AuthorizedKey, KeyRewrite>();
  if (!plan.nativeKeys) return out;
  for (const key of host.authorizedKeys) {
    const option = key.options.find((o) => o.name.toLowerCase() === 'command');
    if (!option?.value) continue;
    const result = rewrite(key, option);
    if (!result) continue;
    if ('reason' in result) {
      ledger.report('warning', 'native/key-stays', `the forced command of ${key.comment ?? key.keyType} (user ${key.user}) stays a container: ${result.reason}`, key.item.origin, 'convert it by hand, or leave it: Docker stays enabled for it');
      continue;
    }
    out.set(key, result);
    ledger.report('info', 'native/key', `the forced command of ${key.comment ?? key.keyType} (user ${key.user}) runs ${result.note}`, key.item.origin);
  }
  return out;
}

function rewrite(key: AuthorizedKey, option: KeyOption): KeyRewrite | { readonly reason: string } | undefined {
  const script = readShell(option.value!);
  const command = script.commands[0];
  if (!script.simple || !command || command.words.some((w) => w.literal === undefined)) return undefined;
  const words: ExecWord[] = command.words.map((w) => ({ value: w.literal!, start: w.start, end: w.end, offsets: [] }));
  // A scratch ledger: the key's own item is settled by users.nix; these flags only inform this decision.
  const scratch = new Ledger();
  const docker = recognizeDocker(words, () => key.item.origin, scratch.item('command', 'forced command', key.item.origin), scratch);
  if (!docker || docker.verb !== 'run' || docker.image === undefined) return undefined;
  const entrypoint = docker.flags.filter((f) => f.name === '--entrypoint').at(-1)?.value;
  const recipe = matchKeyRecipe(RECIPES, parseImageReference(docker.image), programOf({ ...(entrypoint !== undefined ? { entrypoint } : {}), args: docker.args }));
  if (!recipe) return undefined;
  const extra = docker.flags.find((f) => f.word > docker.verbWord && !HARMLESS.has(f.name));
  if (extra) return { reason: `\`${extra.spelled}${extra.value !== undefined ? ` ${extra.value}` : ''}\` changed how the container ran ${recipe.program}, which the program alone would not keep` };
  const args = docker.args[0]?.split('/').pop() === recipe.program ? docker.args.slice(1) : [...docker.args];
  const options = args.filter((a) => recipe.options.includes(a));
  const dirs = args.filter((a) => !recipe.options.includes(a));
  if (dirs.length !== 1 || args.some((a) => a.startsWith('-') && !recipe.options.includes(a))) return { reason: `${recipe.program}'s arguments \`${args.join(' ')}\` are not one directory and known options` };
  const dir = dirs[0]!;
  const volume = docker.volumes.find((v) => v.kind === 'bind' && v.source !== undefined && (dir === v.target || dir.startsWith(`${v.target}/`)));
  if (!volume) return { reason: `${dir} is inside the container, not a directory of the host mounted there` };
  const hostDir = `${volume.source}${dir.slice(volume.target.length)}`;
  if (volume.readOnly && recipe.readOnlyOption !== undefined && !options.includes(recipe.readOnlyOption) && !options.includes('-wo')) options.unshift(recipe.readOnlyOption);
  return { template: keyLine(key, option, recipe, [...options, hostDir]), note: `${recipe.program} from the store on ${hostDir}${volume.readOnly ? ` (${recipe.readOnlyOption}: the volume was read-only)` : ''}` };
}

/** The key line with only the command's value replaced. */
function keyLine(key: AuthorizedKey, option: KeyOption, recipe: KeyRecipe, args: readonly string[]): Template {
  const before = key.line.slice(0, option.start);
  const after = key.line.slice(option.end);
  const quoted = args.map(shellWord).join(' ').replace(/"/g, '\\"');
  return normalizeTemplate([`${before}${option.name}="`, { attr: recipe.attr, path: recipe.bin }, ` ${quoted}"${after}`]);
}
