import { Command, CommanderError, Option } from 'commander';
import { convert, type ConvertOptions } from '../index.ts';
import { VERSION } from '../report/build.ts';
import { checkWithNix } from './check.ts';
import { gatherNamedInputs, requireReadableDirectories } from './inputs.ts';
import { formatDiagnostic, printDiagnostics, printSummary } from './summary.ts';
import { UsageError } from './usage-error.ts';
import { checkHost, checkRelease } from './validate.ts';
import { writeOutput } from './write.ts';

/** Exit codes: 0 converted, 1 converted with errors, 2 usage or unreadable input, 3 a nixport bug. */
const EXIT_USAGE = 2;
const EXIT_BUG = 3;

interface CommonFlags {
  readonly host?: string;
  readonly release?: string;
  readonly json?: boolean;
}

/** Checks the flags before any input is read; `--host ''` is an error, not "no --host". */
function convertOptions(flags: CommonFlags): ConvertOptions {
  return {
    ...(flags.host !== undefined ? { host: checkHost(flags.host) } : {}),
    ...(flags.release !== undefined ? { release: checkRelease(flags.release) } : {}),
  };
}

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
      .option('--json', 'print the migration report as JSON on stdout');

  common(
    cli
      .command('convert')
      .description('convert inputs (files or directories) into a NixOS flake')
      .argument('<inputs...>', 'cloud-config files, unit files, drop-in dirs, authorized_keys, or directories of them')
      .requiredOption('-o, --out <dir>', 'output directory for the flake'),
  )
    .option('--force', 'replace a non-empty output directory')
    .option('--check', 'parse every written .nix file with nix-instantiate --parse')
    .action(async (inputs: string[], flags: CommonFlags & { out: string; force?: boolean; check?: boolean }) => {
      const options = convertOptions(flags);
      const gathered = await gatherNamedInputs(inputs, flags.out);
      const result = convert(gathered.files, options);
      if (result.exitCode === 2) {
        printDiagnostics(result.report);
        process.exitCode = EXIT_USAGE;
        return;
      }
      requireReadableDirectories(gathered, result.report);
      let exit: number = result.exitCode;
      if (flags.check) {
        const check = checkWithNix(result.files);
        if (!check.ran) process.stderr.write('nixport: --check skipped: nix-instantiate is not installed\n');
        else if (check.failures.length > 0) {
          for (const f of check.failures) process.stderr.write(`nixport: --check: ${f}\n`);
          process.stderr.write('nixport: generated Nix did not parse; this is a nixport bug, please report it\n');
          exit = EXIT_BUG;
        }
      }
      await writeOutput(flags.out, result.files, { force: flags.force === true, inputs: gathered.files.map((f) => f.path) });
      if (flags.json) process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
      else printSummary(result.report, inputs, flags.out);
      process.exitCode = exit;
    });

  common(
    cli
      .command('explain')
      .description('show the plan and the migration report for inputs; write nothing')
      .argument('<inputs...>', 'cloud-config files, unit files, drop-in dirs, authorized_keys, or directories of them'),
  ).action(async (inputs: string[], flags: CommonFlags) => {
    const options = convertOptions(flags);
    const gathered = await gatherNamedInputs(inputs);
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
