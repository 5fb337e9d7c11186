import type { ContainerEngine, DockerFlag, DockerInvocation } from '../../model/docker.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { ExecWord } from '../../model/unit.ts';
import { statusOf } from './flag-spec.ts';
import type { FlagIndex, FlagSpec } from './flag-spec.ts';
import type { FlagWithOrigin } from './derive.ts';
import { deriveFields } from './derive.ts';
import { GLOBAL_FLAG_INDEX } from './global-flags.ts';
import { parseImageReference } from './image-ref.ts';
import { runFlag } from './run-flags.ts';
import { redactSecrets } from './secrets.ts';
import type { ScannedFlag } from './scan.ts';
import { scanFlags } from './scan.ts';
import { isManagementGroup, normaliseVerb, podmanVerbSpec, verbSpec } from './verbs.ts';
import { indexFlags } from './flag-spec.ts';
import { PODMAN_GLOBAL_FLAGS } from './podman-flags.ts';

/**
 * Programs recognised as the Docker CLI, by basename (`/usr/bin/docker`,
 * `${pkgs.docker}/bin/docker`).
 */
export const DOCKER_PROGRAMS: readonly string[] = ['docker'];

export function isDockerProgram(program: string): boolean {
  return DOCKER_PROGRAMS.includes(program.slice(program.lastIndexOf('/') + 1));
}

/**
 * The container CLI a program is, by basename: `docker`, or `podman` (Fedora
 * CoreOS units), which takes Docker's command lines plus flags of its own
 * and has no daemon. Undefined for anything else.
 */
export function engineOf(program: string): ContainerEngine | undefined {
  const base = program.slice(program.lastIndexOf('/') + 1);
  return base === 'docker' ? 'docker' : base === 'podman' ? 'podman' : undefined;
}

interface EngineCli {
  readonly global: FlagIndex;
  readonly verb: typeof verbSpec;
}

const CLIS: Readonly<Record<ContainerEngine, EngineCli>> = {
  docker: { global: GLOBAL_FLAG_INDEX, verb: verbSpec },
  podman: { global: indexFlags(PODMAN_GLOBAL_FLAGS), verb: podmanVerbSpec },
};

const EMPTY_INDEX: FlagIndex = { long: new Map(), short: new Map() };

/**
 * Reads a command line that runs the Docker CLI. `words[0]` is the program;
 * `at` maps an offset into the directive's raw text to an input position;
 * every flag is registered in the ledger under `parent`.
 *
 * Returns undefined when the program is not `docker`, or when no verb
 * follows (then nothing is registered and the command stays a plain one).
 * Flags before the verb (`-H`, `--context`, ...) are the docker global
 * flags: they are in `flags` too, with `word < verbWord`. For `container
 * run`, `verbWord` is the index of `run`.
 */
export function recognizeDocker(
  words: readonly ExecWord[],
  at: (offset: number) => Origin,
  parent: InputItem,
  ledger: Ledger,
): DockerInvocation | undefined {
  const program = words[0];
  const engine = program === undefined ? undefined : engineOf(program.value);
  if (program === undefined || engine === undefined) return undefined;
  const cli = CLIS[engine];

  const global = scanFlags(words, 1, { index: cli.global, interspersed: false });
  let verbWord = global.rest;
  const first = words[verbWord];
  if (first === undefined) {
    ledger.report(
      'warning',
      'docker/no-verb',
      'this docker command names no verb (run, pull, rm, ...); nixport treats it as a plain command',
      at(program.start),
    );
    return undefined;
  }

  let verb = first.value;
  const sub = words[verbWord + 1];
  if (isManagementGroup(verb, engine) && sub !== undefined && !sub.value.startsWith('-')) {
    verb = normaliseVerb(verb, sub.value);
    verbWord += 1;
  }

  const known = cli.verb(verb);
  const scan = scanFlags(words, verbWord + 1, {
    index: known?.index ?? EMPTY_INDEX,
    // Unknown verbs stop at their first plain word: what follows may be a command line.
    interspersed: known?.spec.interspersed ?? false,
  });
  const makesContainer = verb === 'run' || verb === 'create';
  const imageWord = makesContainer && scan.rest < words.length ? scan.rest : undefined;

  const context: Context = { words, at, parent, ledger, engine, verb, imageWord, strict: known !== undefined };
  const globalContext: Context = { words, at, parent, ledger, engine, verb: undefined, imageWord, strict: true };
  const globalFlags = global.flags.map((flag) => register(flag, globalContext));
  const verbFlags = scan.flags.map((flag) => register(flag, context));

  if (!makesContainer) {
    const argWords = known?.spec.interspersed === true ? scan.positionals : range(scan.rest, words.length);
    return {
      engine,
      verb,
      verbWord,
      flags: [...globalFlags, ...verbFlags].map((f) => f.flag),
      args: argWords.map((i) => (words[i] as ExecWord).value),
      ports: [],
      publishAll: false,
      volumes: [],
    };
  }

  const image = imageWord === undefined ? undefined : (words[imageWord] as ExecWord);
  if (image === undefined) {
    ledger.report(
      'error',
      'docker/no-image',
      `\`${engine} ${verb}\` names no image`,
      at((words[verbWord] as ExecWord).start),
      'The first word after the flags is the image; check for a flag that swallowed it as its value.',
    );
  } else if (!image.value.includes('$') && parseImageReference(image.value) === undefined) {
    ledger.report(
      'warning',
      'docker/bad-image',
      `\`${image.value}\` is not an image reference ${engine === 'docker' ? 'Docker' : 'podman'} accepts`,
      at(image.start),
      'Image names are lowercase: [registry[:port]/]path[:tag][@digest].',
    );
  }

  const derived = deriveFields(verbFlags, ledger, engine);
  return {
    engine,
    verb,
    verbWord,
    flags: [...globalFlags, ...verbFlags].map((f) => f.flag),
    ...(image !== undefined && imageWord !== undefined ? { image: image.value, imageWord } : {}),
    args: imageWord === undefined ? [] : range(imageWord + 1, words.length).map((i) => (words[i] as ExecWord).value),
    ...derived,
  };
}

interface Context {
  readonly words: readonly ExecWord[];
  readonly at: (offset: number) => Origin;
  readonly parent: InputItem;
  readonly ledger: Ledger;
  readonly engine: ContainerEngine;
  /** Undefined for the global flags. */
  readonly verb: string | undefined;
  readonly imageWord: number | undefined;
  /** Whether a flag table exists, so an unknown flag deserves a warning. */
  readonly strict: boolean;
}

/** Registers one scanned flag as a ledger item and reports what is wrong with it. */
function register(scanned: ScannedFlag, context: Context): FlagWithOrigin {
  const { at, ledger } = context;
  const origin = at(scanned.offset);
  // A secret's value stays out of the report (the flake directory, report included, is copied into the store).
  const label = scanned.name === '--env' && scanned.value !== undefined ? redactSecrets(scanned.label) : scanned.label;
  const item = ledger.item('flag', label, origin, context.parent);
  // Two literals rather than a spread of an optional field: spreads are slow to build, and this runs per flag.
  const flag: DockerFlag =
    scanned.value !== undefined
      ? { name: scanned.name, spelled: scanned.spelled, value: scanned.value, word: scanned.word, item }
      : { name: scanned.name, spelled: scanned.spelled, word: scanned.word, item };
  const valueOrigin = scanned.valueOffset === undefined ? origin : at(scanned.valueOffset);
  const where = context.verb === undefined ? `\`${context.engine}\`` : `\`${context.engine} ${context.verb}\``;

  if (scanned.problem !== undefined) {
    const { code, message, hint, offset } = scanned.problem;
    ledger.report('error', code, message, at(offset), hint);
    ledger.unsupported(item, message);
  } else if (scanned.spec === undefined && context.strict) {
    ledger.report('warning', 'docker/unknown-flag', unknownFlagMessage(scanned, context, where), origin, unknownFlagHint(scanned, context));
  } else if (scanned.spec !== undefined && context.verb === 'create' && isRunOnly(scanned.spec)) {
    ledger.report(
      'warning',
      'docker/run-only-flag',
      `\`${context.engine} create\` does not accept \`${scanned.spelled}\`, a \`${context.engine} run\` flag; nixport kept it`,
      origin,
      `Remove \`${scanned.spelled}\` or use \`${context.engine} run\`.`,
    );
  } else if (scanned.spec !== undefined) {
    const status = statusOf(scanned.spec);
    const note = scanned.spec.note === undefined ? '' : `: ${scanned.spec.note}`;
    if (status === 'removed' && context.engine === 'podman') {
      ledger.report('warning', 'podman/docker-only-flag', `${where} does not accept \`${scanned.spelled}\`, a Docker flag${note}`, origin, `Remove \`${scanned.spelled}\`: podman refuses to run the container with it.`);
    } else if (status === 'removed') {
      ledger.report('warning', 'docker/removed-flag', `${where} flag \`${scanned.spelled}\` is no longer accepted by Docker${note}`, origin);
    } else if (status === 'deprecated') {
      ledger.report('info', 'docker/deprecated-flag', `${where} flag \`${scanned.spelled}\` is deprecated${note}`, origin);
    }
  }
  return { flag, valueOrigin };
}

function unknownFlagMessage(scanned: ScannedFlag, context: Context, where: string): string {
  const base = `${where} has no flag \`${scanned.spelled}\`; nixport kept it`;
  if (!scanned.guessedNoValue) return `${base} with its value \`${scanned.value ?? ''}\``;
  const nextIndex = scanned.word + 1;
  const next = context.words[nextIndex];
  const guess = `${base} and assumed it takes no value`;
  if (scanned.restOfCluster !== undefined) return `${guess}, so \`${scanned.restOfCluster}\` was read as more flags`;
  if (next === undefined || (next.value.startsWith('-') && next.value.length > 1)) return guess;
  if (nextIndex === context.imageWord) return `${guess}, so \`${next.value}\` was read as the image`;
  return `${guess}, so \`${next.value}\` was read as ${context.verb === undefined ? 'the verb' : 'an argument'}`;
}

function isRunOnly(spec: FlagSpec): boolean {
  // The podman table's own entries are run-flag specs too, but not in Docker's table.
  return runFlag(spec.name)?.runOnly === true || ('runOnly' in spec && spec.runOnly === true);
}

function unknownFlagHint(scanned: ScannedFlag, context: Context): string {
  const help = context.verb === undefined ? `\`${context.engine} --help\`` : `\`${context.engine} ${context.verb} --help\``;
  if (!scanned.guessedNoValue) return `Check the flag against ${help} of the ${context.engine === 'docker' ? 'Docker' : 'podman'} version the host ran.`;
  return `If \`${scanned.spelled}\` takes a value, write it as \`${scanned.spelled}=VALUE\` so the reading is unambiguous; compare with ${help}.`;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
