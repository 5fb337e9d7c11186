import type { DockerFlag } from '../../model/docker.ts';
import { normalizeTemplate, type Segment, type Template } from '../../model/template.ts';
import { unitStem, type Directive } from '../../model/unit.ts';
import { apply, attrs, bind, list, pkg, select, str, v } from '../../nix/ast.ts';
import type { ServicePlan } from '../../plan/index.ts';
import { PERL_CORE_MODULES, PERL_PACKAGES, SCRIPT_PROGRAMS } from '../../recipes/perl-modules.ts';
import type { ShippedScript } from '../../recipes/types.ts';
import { environmentFile } from '../../passes/secrets/index.ts';
import { isSecretName } from '../../sources/docker/secrets.ts';
import { carryUnit } from '../carry-unit.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { UNIT_LIST_OPTIONS } from '../unit-mapping.ts';
import { UnitWriter } from '../unit-writer.ts';
import { originComment, templateToNix } from '../values.ts';
import { nativeFlag } from './flags.ts';
import { shellWord } from '../oci/shell.ts';
import type { ServiceMigration } from './types.ts';

/**
 * A container that only ran a script from write_files (post, N7): the
 * script goes into the store with pkgs.writers.writePerlBin, with the
 * Perl modules it `use`s and its bare `rsync`/`ssh` turned into store
 * paths (as the post does), and the old unit (and its timer) runs it
 * natively. The container's view of the host is kept where it restricted:
 * read-only volumes become ReadOnlyPaths=, volumes the script saw at
 * another path become BindPaths=/BindReadOnlyPaths=.
 */
export function buildScriptService(service: ServicePlan, ctx: BuildContext): ServiceMigration {
  const plan = service.container!;
  const script = service.native!.script!;
  const owner = OWNER.service(service.name);
  const unit = plan.unit;
  const name = unit ? unitStem(unit.name) : service.name;
  const w = new UnitWriter(ctx.tree, owner, ['systemd', 'services', name]);
  const bin = binName(script.file.path);
  const { template, rewritten, onPath } = rewritePrograms(script.file.text ?? '');
  const libraries = perlLibraries(script, ctx);
  const writer = apply(select(v('pkgs'), 'writers', 'writePerlBin'), str(bin), attrs([bind(['libraries'], list(libraries.map((l) => pkg('perlPackages', l))))]), templateToNix(template));
  const words = plan.args.slice(plan.args.indexOf(script.containerPath) + 1).map(shellWord);
  w.define(['serviceConfig', 'ExecStart'], str(writer, `/bin/${bin}${words.length > 0 ? ` ${words.join(' ')}` : ''}`), [
    `${script.file.path} (write_files, ${originComment(script.file.item.origin)}), built into the store; the container ${plan.name} (${plan.image}) ran it before.`,
  ]);
  if (rewritten.length > 0) {
    ctx.ledger.report('info', 'native/script-programs', `${service.name}: ${rewritten.join(', ')} in ${script.file.path} now run from the Nix store`, script.file.item.origin);
  }
  if (onPath.length > 0) {
    w.define(['path'], list([...new Set(onPath.flatMap((p) => SCRIPT_PROGRAMS[p] ?? []))].map((a) => pkg(a))), ['Programs the script calls by name.']);
  }
  mapScriptFlags(service, w, script, ctx);
  if (unit) {
    for (const s of plan.steps) settleStep(s.directive, s.role, ctx);
    stripEngineUnits(unit.directives, w, ctx);
    ctx.ledger.carried(plan.run!.item, w.option('serviceConfig', 'ExecStart'), `runs ${script.file.path} from the store`);
    carryUnit(unit, owner, ctx);
    for (const activator of plan.activators) carryUnit(activator, owner, ctx);
  } else {
    w.define(['wantedBy'], list([str('multi-user.target')]), ['The container was started with the host.']);
    ctx.ledger.carried(plan.standalone!.item, w.option('serviceConfig', 'ExecStart'), `runs ${script.file.path} from the store`);
  }
  const unitName = `${name}.service`;
  const started = plan.activators.length > 0 ? `\`systemctl start ${unitName}\` (its ${plan.activators.map((a) => a.name).join(', ')} starts it otherwise)` : `\`systemctl status ${unitName}\``;
  return {
    service: service.name,
    app: 'perl-script',
    target: `systemd.services.${name}`,
    unit: unitName,
    steps: [
      { title: `Stop ${unit?.name ?? plan.name} on the old host`, detail: `\`systemctl stop ${unit?.name ?? plan.name}${plan.activators.map((a) => ` ${a.name}`).join('')}\`.` },
      { title: 'Switch to the new configuration', detail: `\`make deploy\` (nixos-rebuild switch) installs ${bin} and ${unitName}.` },
      { title: `Run ${unitName} once`, detail: `${started}, then \`journalctl -u ${unitName}\`: the script runs with nixpkgs' perl on the host now.` },
    ],
    differences: [
      `the script runs with nixpkgs' perl and the Perl modules listed in libraries, not the image's (${plan.image})`,
      'it runs on the host: it sees the host\'s file system, except where read-only volumes stay read-only (ReadOnlyPaths=)',
      ...(rewritten.length > 0 ? [`${rewritten.join(', ')} are store paths in the script now (it is built into the store; edit the Nix file, not ${script.file.path})`] : []),
    ],
    reconfigure: [],
  };
}

/** `sync.pl` -> `syncpl`, as the post names it. */
export function binName(path: string): string {
  const base = path.split('/').pop() ?? 'script';
  return base.replace(/[^A-Za-z0-9_-]/g, '') || 'script';
}

/**
 * Programs the script runs by name, as store paths: a quoted word that is
 * exactly the program (`'rsync'`, `"ssh"`), or a string or backtick command
 * that starts with it (`` `rsync --version` ``). Mentions the scan cannot
 * place (inside other text) put the package on the unit's PATH instead.
 */
export function rewritePrograms(text: string): { template: Template; rewritten: string[]; onPath: string[] } {
  const names = Object.keys(SCRIPT_PROGRAMS).join('|');
  const at = new RegExp(`(['"\`])(${names})(?=\\1|\\s)`, 'g');
  const out: Segment[] = [];
  const rewritten = new Set<string>();
  let last = 0;
  for (const m of text.matchAll(at)) {
    const program = m[2]!;
    const start = m.index! + m[1]!.length;
    out.push(text.slice(last, start), { attr: [SCRIPT_PROGRAMS[program]![0]!], path: `/bin/${program}` });
    last = start + program.length;
    rewritten.add(program);
  }
  out.push(text.slice(last));
  const rest = text.replace(at, '');
  const onPath = Object.keys(SCRIPT_PROGRAMS).filter((p) => new RegExp(`(^|[^\\w/.-])${p}([^\\w-]|$)`).test(rest.replace(/^#.*$/gm, '')) && !rewritten.has(p));
  return { template: normalizeTemplate(out), rewritten: [...rewritten].sort(), onPath };
}

/** `use Module::Name` lines: perl's own modules need nothing; known CPAN ones become perlPackages; others are reported. */
function perlLibraries(script: ShippedScript, ctx: BuildContext): string[] {
  const found = new Set<string>();
  for (const m of (script.file.text ?? '').matchAll(/^\s*(?:use|require)\s+([A-Za-z][\w:]*)/gm)) {
    const module = m[1]!;
    if (/^[a-z]/.test(module) || PERL_CORE_MODULES.has(module)) continue;
    const attr = PERL_PACKAGES[module];
    if (attr) found.add(attr);
    else {
      ctx.ledger.report('warning', 'native/perl-module', `${script.file.path} uses the Perl module ${module}, which nixport cannot name in perlPackages`, script.file.item.origin, `add it to the libraries of writePerlBin (search.nixos.org: perlPackages ${module.replace(/::/g, '')})`);
    }
  }
  return [...found].sort();
}

/** The container's flags: its environment and its view of the host stay; the rest is container machinery. */
function mapScriptFlags(service: ServicePlan, w: UnitWriter, script: ShippedScript, ctx: BuildContext): void {
  const plan = service.container!;
  const input = service.native!.input;
  const { ledger } = ctx;
  const readOnly: string[] = [];
  const binds: { ro: string[]; rw: string[] } = { ro: [], rw: [] };
  const volumeOf = new Map(input.volumes.map((x) => [x.flag, x] as const));
  for (const flag of plan.invocation.flags) {
    if (flag.word < plan.invocation.verbWord || ledger.fate(flag.item)) continue;
    const volume = volumeOf.get(flag);
    if (volume) {
      if (volume.source !== undefined && `${volume.source}${script.containerPath.slice(volume.target.length)}` === script.file.path) {
        ledger.carried(flag.item, w.option('serviceConfig', 'ExecStart'), 'the script itself, built into the store');
      } else if (volume.kind !== 'bind' || volume.source === undefined) {
        unsupported(flag, `a ${volume.kind} volume at ${volume.target}; the script sees the host's file system now`, ctx);
      } else if (volume.source === volume.target) {
        if (volume.readOnly) {
          readOnly.push(volume.source);
          ledger.carried(flag.item, w.option('serviceConfig', 'ReadOnlyPaths'), 'read-only, as the volume was');
        } else ledger.dropped(flag.item, 'the script sees the host path directly, at the same place');
      } else {
        (volume.readOnly ? binds.ro : binds.rw).push(`${volume.source}:${volume.target}`);
        ledger.carried(flag.item, w.option('serviceConfig', volume.readOnly ? 'BindReadOnlyPaths' : 'BindPaths'), 'the script still finds it where the container saw it');
      }
      continue;
    }
    if (flag.name === '--env') environment(flag, plan.values.get(flag) ?? flag.value ?? '', w, input.environment, ctx);
    else if (flag.name === '--user') {
      w.define(['serviceConfig', 'User'], str(flag.value ?? ''), ['The container ran the script as this user.']);
      ledger.carried(flag.item, w.option('serviceConfig', 'User'));
    } else if (flag.name === '--log-driver' && flag.value === 'none') {
      ledger.dropped(flag.item, 'the old container discarded the script\'s output; the unit logs it to the journal now');
    } else if (flag.name === '--network' || flag.name === '--restart') {
      ledger.dropped(flag.item, flag.name === '--network' ? 'the script uses the host\'s network' : 'the unit decides restarts');
    } else {
      const fate = nativeFlag(flag.name);
      if (fate?.fate === 'dropped') ledger.dropped(flag.item, fate.reason);
      else unsupported(flag, fate?.reason ?? 'a container setting the script\'s unit does not have', ctx, fate?.hint?.replace('<unit>', w.base[2]!));
    }
  }
  if (readOnly.length > 0) w.define(['serviceConfig', 'ReadOnlyPaths'], list(readOnly.map((p) => str(p))), ['The container saw these read-only; the script still does.']);
  if (binds.ro.length > 0) w.define(['serviceConfig', 'BindReadOnlyPaths'], list(binds.ro.map((p) => str(p))), ['Where the container saw these (read-only), so the script finds them.']);
  if (binds.rw.length > 0) w.define(['serviceConfig', 'BindPaths'], list(binds.rw.map((p) => str(p))), ['Where the container saw these, so the script finds them.']);
  if (plan.invocation.args[0] !== script.containerPath && plan.invocation.args[0]?.split('/').pop() !== 'perl') {
    ctx.ledger.report('info', 'native/script-command', `${service.name}: the container's command was \`${plan.invocation.args.join(' ')}\`; the unit runs the script directly`);
  }
}

function environment(flag: DockerFlag, text: string, w: UnitWriter, known: ReadonlyMap<string, string>, ctx: BuildContext): void {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? known.get(name) : text.slice(eq + 1);
  if (value === undefined) {
    unsupported(flag, `\`-e ${name}\` passed a value of the old docker command's environment, which nixport does not know`, ctx, `set systemd.services.${w.base[2]}.environment.${name}`);
  } else if ((isSecretName(name) || ctx.analysis.secrets.flags.has(flag)) && value !== '') {
    // Invariant 3: a file outside the store, which the secrets store places by --secrets.
    const unit = `${w.base[2]}.service`;
    const finding = ctx.analysis.secrets.flags.get(flag);
    const file = ctx.secrets.add({
      name: `${w.base[2]}-${name}.env`,
      content: environmentFile('systemd-env', [{ name, value }]) ?? '',
      format: 'systemd-env',
      purpose: `${name} of ${unit}`,
      restartUnits: [unit],
      findings: finding ? [finding] : [],
      origin: flag.item.origin,
    });
    w.define(['serviceConfig', 'EnvironmentFile'], list([str(file.path)]), [`${name}: a secret, read from a file outside the Nix store.`]);
    ctx.ledger.carried(flag.item, w.option('serviceConfig', 'EnvironmentFile'), `the value went to ${file.path}, outside the Nix store`);
    if (finding) ctx.secrets.moved(finding, w.option('serviceConfig', 'EnvironmentFile'), file);
  } else {
    w.define(['environment', name], str(value));
    ctx.ledger.carried(flag.item, w.option('environment'), 'the script\'s environment, as the container had it');
  }
}

function unsupported(flag: DockerFlag, reason: string, ctx: BuildContext, hint?: string): void {
  ctx.ledger.unsupported(flag.item, reason);
  ctx.ledger.report('warning', 'native/not-expressed', `\`${flag.item.label}\` is not carried: ${reason}`, flag.item.origin, hint);
}

/** Lines around the container: Docker's housekeeping goes; a line that prepared the image is reported. */
function settleStep(d: Directive, role: string, ctx: BuildContext): void {
  if (ctx.ledger.fate(d.item)) return;
  const docker = d.exec?.docker;
  if (role === 'housekeeping' || role === 'pull' || (docker && docker.verb !== 'run')) {
    ctx.ledger.settleTree(d.item, { kind: 'dropped', reason: 'Docker housekeeping around the container; the script runs without one now' });
  } else if (docker) {
    ctx.ledger.settleTree(d.item, { kind: 'unsupported', reason: 'a second container is not carried' });
    ctx.ledger.report('warning', 'native/prepare-not-read', `\`${d.key}=\` ran another container before the script; it is not carried`, d.item.origin);
  }
}

/** After=/Requires= on Docker's units: the script needs no Docker now. */
function stripEngineUnits(directives: readonly Directive[], w: UnitWriter, ctx: BuildContext): void {
  for (const d of directives) {
    const option = d.section === 'Unit' ? UNIT_LIST_OPTIONS[d.key] : undefined;
    if (!option || ctx.ledger.fate(d.item) || !/\b(docker|containerd)\.(service|socket)\b/.test(d.value)) continue;
    const kept = d.value.split(/\s+/).filter((n) => n !== '' && !/^(docker|containerd)\.(service|socket)$/.test(n));
    if (kept.length > 0) {
      w.addNames([option], kept);
      ctx.ledger.carried(d.item, w.option(option), 'Docker\'s units left out: no container any more');
    } else ctx.ledger.dropped(d.item, 'it named only Docker\'s units; no container any more');
  }
}

