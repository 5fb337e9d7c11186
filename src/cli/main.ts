import { Command, CommanderError, Option } from 'commander';
import { convert, type ConvertOptions } from '../index.ts';
import { VERSION } from '../report/build.ts';
import { EXIT_BUG, reportNixCheck } from './check.ts';
import { gatherNamedInputs, requireReadableDirectories, type GatheredInputs } from './inputs.ts';
import { composeOptions } from './compose-options.ts';
import { gatherComposeCompanions } from './compose-inputs.ts';
import { checkBackend, checkStage, dockerRunInputs, parseStrategies } from './stages.ts';
import { renderRecipes } from './recipes.ts';
import { formatDiagnostic, printDiagnostics, printSummary } from './summary.ts';
import { UsageError } from './usage-error.ts';
import { checkHost, checkRelease } from './validate.ts';
import { checkSecrets } from './secrets.ts';
import { writeOutput } from './write.ts';
import { convertFleetCommand } from './fleet.ts';
import { describeUpdate, updateOutput } from './update.ts';
import { deployOptions, type DeployFlags } from './deploy-flags.ts';

/** Exit codes: 0 converted, 1 converted with errors, 2 usage or unreadable input, 3 a nixport bug. */
const EXIT_USAGE = 2;

interface CommonFlags {
  readonly host?: string;
  readonly release?: string;
  readonly json?: boolean;
  readonly stage?: string;
  readonly strategy?: readonly string[];
  readonly backend?: string;
  readonly dockerRun?: readonly string[];
  readonly secrets?: string;
  // Compose: -f, --env-file, --profile, -p, --project-directory.
  readonly file?: readonly string[];
  readonly envFile?: readonly string[];
  readonly profile?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
}

/** Checks the flags before any input is read; `--host ''` is an error, not "no --host". */
function convertOptions(flags: CommonFlags, inputs: readonly string[] = []): ConvertOptions {
  const strategies = parseStrategies(flags.strategy ?? []);
  return {
    ...(flags.host !== undefined ? { host: checkHost(flags.host) } : {}),
    ...(flags.release !== undefined ? { release: checkRelease(flags.release) } : {}),
    ...(flags.stage !== undefined ? { stage: checkStage(flags.stage) } : {}),
    ...(Object.keys(strategies).length > 0 ? { strategies } : {}),
    ...(flags.backend !== undefined ? { backend: checkBackend(flags.backend) } : {}),
    ...(flags.secrets !== undefined ? { secrets: checkSecrets(flags.secrets) } : {}),
    // With -f, the main Compose file is the first YAML file named as an input.
    ...composeOptions({ ...flags, positional: inputs.filter((p) => /\.ya?ml$/i.test(p)).slice(0, 1) }),
  };
}

/** Named files and directories, and the `--docker-run` commands; at least one of them. */
async function gatherAll(inputs: readonly string[], flags: CommonFlags, output?: string): Promise<GatheredInputs> {
  const commands = dockerRunInputs(flags.dockerRun ?? []);
  if (inputs.length === 0 && commands.length === 0 && (flags.file ?? []).length === 0) {
    throw new UsageError('no inputs', 'name files or directories to convert, or give a command with --docker-run');
  }
  const gathered = inputs.length > 0 ? await gatherNamedInputs(inputs, output) : { files: [], directories: new Map() };
  const companions = await gatherComposeCompanions(gathered.files, flags);
  return { files: [...gathered.files, ...companions, ...commands], directories: gathered.directories };
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

function program(): Command {
  const cli = new Command('nixport')
    .description('Move a container-era Linux server (CoreOS/Flatcar cloud-config, systemd units) to a NixOS flake.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // `nixport: error: ...`, like the errors nixport reports itself.
      outputError: (s, write) => write(`nixport: ${s}`),
    })
    .showHelpAfterError('  hint: run `nixport --help` for the commands');

  const common = (c: Command) =>
    c
      // After commander's `error: unknown option ...`, say where the options are.
      .showHelpAfterError(`  hint: run \`nixport ${c.name()} --help\` for its options`)
      .option('--host <name>', 'host name for nixosConfigurations.<name> (default: the input hostname)')
      .addOption(new Option('--release <yy.mm>', 'NixOS release to pin').default(undefined))
      .option('--stage <docker|oci|native>', 'stage of every service: docker keeps units 1:1 (default), oci declares containers in virtualisation.oci-containers, native uses NixOS modules where a recipe exists (see `nixport recipes`)')
      .option('--strategy <NAME=docker|oci|native>', 'stage of one service, over --stage (repeatable, or comma-separated)', collect)
      .option('--backend <docker|podman>', 'backend of virtualisation.oci-containers (default: podman when the old host ran its containers with podman, else docker)')
      .option('--docker-run <command>', 'a `docker run` command to convert, as an input of its own (repeatable)', collect)
      .option('--secrets <files|sops|agenix>', 'where secrets found in the input go: plain files for /var/lib/secrets (default), sops-nix or agenix; their values only ever go to secrets.local/')
      .option('-f, --file <compose-file>', 'a Compose file merged over the project\'s main file, as `docker compose -f` (repeatable)', collect)
      .option('--env-file <file>', 'the env file Compose files are interpolated with, instead of the project\'s .env (repeatable)', collect)
      .option('--profile <name>', 'a Compose profile whose services are converted too (repeatable)', collect)
      .option('-p, --project-name <name>', 'the Compose project name (default: `name:`, else the directory\'s name)')
      .option('--project-directory <dir>', 'where the Compose project lives on the new host (relative paths resolve against it)')
      .option('--json', 'print the migration report as JSON on stdout');

  common(
    cli
      .command('convert')
      .description('convert inputs (files or directories) into a NixOS flake')
      .argument('[inputs...]', 'cloud-configs, Butane/Ignition configs, unit files, drop-in dirs, authorized_keys, docker run scripts, docker inspect JSON, or directories of them')
      .requiredOption('-o, --out <dir>', 'output directory for the flake'),
  )
    .option('--force', 'replace a non-empty output directory')
    .option('--check', 'parse every written .nix file with nix-instantiate --parse')
    .option('--deploy <tool>', 'deployment outputs and `make deploy`: nixos-rebuild (default), colmena or deploy-rs')
    .option('--target <user@host>', 'SSH destination of `make deploy` (default: an administrator of the old host, at the host name)')
    .option('--fleet <file>', 'convert the hosts a fleet file names into one flake (hosts/<name>/, modules/common.nix)')
    .option('--each-host', 'each input (file or directory) is a host of its own, all in one flake')
    .option('--update', 'convert again into a flake nixport wrote: rewrite its files, keep those marked `# nixport: keep`, show what changed')
    .action(async (inputs: string[], flags: CommonFlags & DeployFlags & { out: string; force?: boolean; check?: boolean }) => {
      const options = { ...convertOptions(flags, inputs), ...deployOptions(flags) };
      if (flags.fleet !== undefined || flags.eachHost) {
        process.exitCode = await convertFleetCommand(inputs, flags, options);
        return;
      }
      const gathered = await gatherAll(inputs, flags, flags.out);
      const result = convert(gathered.files, options);
      if (result.exitCode === 2) {
        printDiagnostics(result.report);
        process.exitCode = EXIT_USAGE;
        return;
      }
      requireReadableDirectories(gathered, result.report);
      let exit: number = result.exitCode;
      if (flags.check) exit = reportNixCheck(result.files, exit);
      const updated = flags.update ? await updateOutput(flags.out, result.files) : undefined;
      if (!updated) await writeOutput(flags.out, result.files, { force: flags.force === true, inputs: gathered.files.filter((f) => typeof f.content !== 'string').map((f) => f.path) });
      if (flags.json) process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
      else if (updated) {
        printDiagnostics(result.report);
        process.stdout.write(describeUpdate(updated, flags.out, `host ${result.report.host ?? ''}`));
      }
      else printSummary(result.report, [...inputs, ...(flags.dockerRun ?? []).map(() => '--docker-run')], flags.out);
      process.exitCode = exit;
    });

  common(
    cli
      .command('explain')
      .description('show the plan and the migration report for inputs; write nothing')
      .argument('[inputs...]', 'cloud-configs, Butane/Ignition configs, unit files, drop-in dirs, authorized_keys, docker run scripts, docker inspect JSON, or directories of them'),
  ).action(async (inputs: string[], flags: CommonFlags) => {
    const options = convertOptions(flags, inputs);
    const gathered = await gatherAll(inputs, flags);
    const result = convert(gathered.files, options);
    if (result.exitCode === 2) {
      printDiagnostics(result.report);
      process.exitCode = EXIT_USAGE;
      return;
    }
    requireReadableDirectories(gathered, result.report);
    const markdown = result.files.find((f) => f.path === 'MIGRATION.md');
    process.stdout.write(flags.json ? `${JSON.stringify(result.report, null, 2)}\n` : String(markdown?.content ?? ''));
    process.exitCode = result.exitCode;
  });

  cli
    .command('recipes')
    .description('list the apps stage 3 (--stage native) turns into NixOS modules, and the images each recipe converts')
    .option('--json', 'print the list as JSON')
    .action((flags: { json?: boolean }) => {
      process.stdout.write(renderRecipes(flags.json === true));
    });
  return cli;
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await program().parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed the message (or the help/version text).
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (e instanceof UsageError) {
      process.stderr.write(formatDiagnostic({ severity: 'error', code: 'cli/usage', message: e.message, ...(e.hint ? { hint: e.hint } : {}) }));
      process.exitCode = EXIT_USAGE;
    } else {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`nixport: internal error: ${message}\nThis is a bug in nixport; please report it with the input that caused it.\n`);
      process.exitCode = EXIT_BUG;
    }
  }
}

await main(process.argv);
