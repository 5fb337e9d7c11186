import { defaultTarget } from '../layout/index.ts';
import type { ConvertOptions } from '../options.ts';
import type { Pipeline } from '../pipeline.ts';
import { buildReport, type ReportInput } from './build.ts';
import { optionDigests } from './options.ts';
import { plaintextAt, redactor, type SecretStore } from '../passes/secrets/index.ts';
import type { Report, ReportSecret, ReportSecrets } from './types.ts';

/**
 * The report of one host's run, listing `files` as the output. A fleet
 * passes the tree and placement of the host's own share of the flake.
 */
export function reportOfRun(
  run: Pipeline,
  options: Pick<ConvertOptions, 'deploy' | 'target'>,
  files: readonly string[],
  layout: Pick<ReportInput, 'tree' | 'placement'> = { tree: run.build.tree, placement: run.layout.placement },
): Report {
  return buildReport({ host: run.host, plan: run.plan, ledger: run.ledger, ...layout, files, hostName: run.hostName, release: run.release, ...reportExtras(run, options) });
}

/** The report's parts about the flake beyond the old host: VM, deploying, upgrades, option digests. */
export function reportExtras(run: Pipeline, options: Pick<ConvertOptions, 'deploy' | 'target'>): Pick<ReportInput, 'vm' | 'deploy' | 'health' | 'options' | 'migrations' | 'secrets' | 'redact'> {
  const { build } = run;
  const disko = build.disko;
  return {
    vm: build.vm,
    deploy: {
      tool: options.deploy ?? 'nixos-rebuild',
      target: options.target ?? defaultTarget(build, run.hostName),
      reason: build.access.reason,
      installDisk: disko.device,
      installDiskUnknown: disko.placeholder,
    },
    ...(build.health ? { health: build.health } : {}),
    options: optionDigests(build.tree),
    migrations: build.migrations,
    secrets: secretsOf(run),
    redact: redactor(run.analysis.secrets.findings),
  };
}

/** Each secret found, with where it went: the moves the strategies recorded, or why it has none. */
function secretsOf(run: Pipeline): ReportSecrets {
  const { build } = run;
  const leaked = new Set(build.leaked);
  const found = run.analysis.secrets.findings.map((f): ReportSecret => {
    const moves = build.secrets.moves.filter((m) => m.finding === f);
    const base = { kind: f.kind, what: f.what, origin: f.origin };
    if (moves.length > 0) {
      const to = [...new Map(moves.map((m) => [`${m.option}\0${m.path}`, { option: m.option, path: m.path }])).values()];
      return { ...base, status: leaked.has(f) ? 'placeholder' : 'moved', to, file: plaintextOf(build.secrets, moves[0]!.file) };
    }
    return { ...base, status: leaked.has(f) ? 'placeholder' : 'not-carried' };
  });
  return { mode: build.secrets.mode, found };
}

/** Where the report says a moved secret's plaintext is (the move names its file). */
function plaintextOf(store: Pick<SecretStore, 'mode' | 'files'>, name: string): string {
  const file = store.files.find((f) => f.name === name);
  return file ? plaintextAt(store.mode, file) : `secrets.local/${name}`;
}
