import type { Severity } from '../../model/diagnostic.ts';
import type { DockerFlag, PortSpec } from '../../model/docker.ts';
import type { Origin } from '../../model/origin.ts';
import type { Directive } from '../../model/unit.ts';
import { fromJS, type NixExpr } from '../../nix/ast.ts';
import type { ContainerPlan } from '../../plan/index.ts';
import type { ModuleRecipe, RecipeContext, RecipeInput, RecipeSecret, StepText } from '../../recipes/types.ts';
import { optionName, type BuildContext } from '../context.ts';
import type { MigrationStep } from './types.ts';

/** Top-level option names a recipe may write outside its module; any other name is under the module. */
const TOP_LEVEL = new Set(['systemd', 'users', 'networking', 'services']);

/**
 * `virtualHosts."http://10.0.0.252:8200".extraConfig` as path segments:
 * dots separate, a JSON-quoted segment may hold dots.
 */
export function splitOption(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(JSON.parse(text.slice(i, j + 1)) as string);
      i = j + 2;
    } else {
      const dot = text.indexOf('.', i);
      out.push(text.slice(i, dot < 0 ? text.length : dot));
      i = dot < 0 ? text.length : dot + 1;
    }
  }
  return out;
}

/**
 * One recipe applied to one container: the options it sets, the flags and
 * lines it has settled, the steps and notes it gathered. The engine and
 * the recipe's `extra` write through it, so two writers never define one
 * option twice and every claim lands in the ledger.
 */
export class RecipeSession implements RecipeContext {
  /** Options set, by their name relative to the module (or absolute), for later reads (the firewall's port). */
  readonly values = new Map<string, unknown>();
  readonly claimed = new Set<DockerFlag>();
  readonly consumed = new Set<Directive>();
  readonly steps: (MigrationStep & { readonly phase?: StepText['phase'] })[] = [];
  readonly differences: string[] = [];
  readonly reconfigures: string[] = [];
  readonly handledPorts = new Set<PortSpec>();
  argsClaimed = 0;

  constructor(
    private readonly ctx: BuildContext,
    readonly owner: string,
    readonly recipe: ModuleRecipe,
    readonly input: RecipeInput,
    readonly service: string,
    /** The container as planned: its `-e` flags, for envFlag. */
    private readonly plan?: ContainerPlan,
  ) {}

  get base(): string[] {
    return splitOption(this.recipe.module);
  }

  /** The full option path of a recipe-relative (or top-level) name. */
  path(option: string): string[] {
    const parts = splitOption(option);
    return TOP_LEVEL.has(parts[0]!) ? parts : [...this.base, ...parts];
  }

  optionName(option: string): string {
    return optionName(this.path(option));
  }

  set(option: string, value: unknown, comment?: string): void {
    this.define(option, fromJS(value), value, comment);
  }

  setExpr(option: string, value: NixExpr, comment?: string): void {
    this.define(option, value, value, comment);
  }

  private define(option: string, expr: NixExpr, raw: unknown, comment?: string): void {
    const key = optionName(this.path(option));
    if (this.values.has(key)) {
      const before = JSON.stringify(this.values.get(key));
      if (before === JSON.stringify(raw)) return;
      this.report('warning', 'native/option-twice', `${this.service}: ${key} would be set twice (${before} and ${JSON.stringify(raw)}); the first is kept`);
      return;
    }
    this.values.set(key, raw);
    this.ctx.tree.define(this.owner, this.path(option), expr, comment !== undefined ? [comment] : undefined);
  }

  /** The value set for an option, or undefined. */
  valueOf(option: string): unknown {
    return this.values.get(optionName(this.path(option)));
  }

  /** Settled already, by the reader (a value it could not read) or by this session. */
  isSettled(flag: DockerFlag): boolean {
    return this.ctx.ledger.fate(flag.item) !== undefined;
  }

  claim(flag: DockerFlag, option: string, note?: string): void {
    if (this.claimed.has(flag)) return;
    this.claimed.add(flag);
    this.ctx.ledger.carried(flag.item, option, note);
  }

  drop(flag: DockerFlag, reason: string): void {
    if (this.claimed.has(flag)) return;
    this.claimed.add(flag);
    this.ctx.ledger.dropped(flag.item, reason);
  }

  unsupported(flag: DockerFlag, reason: string, hint?: string): void {
    if (this.claimed.has(flag)) return;
    this.claimed.add(flag);
    this.ctx.ledger.unsupported(flag.item, reason);
    this.report('warning', 'native/not-expressed', `${this.service}: \`${flag.item.label}\` is not carried: ${reason}`, flag.item.origin, hint);
  }

  consume(line: Directive, option: string, note?: string): void {
    if (this.consumed.has(line)) return;
    this.consumed.add(line);
    this.ctx.ledger.carriedTree(line.item, this.optionName(option), note);
  }

  claimArgs(count: number): void {
    this.argsClaimed = Math.max(this.argsClaimed, count);
  }

  report(severity: Severity, code: string, message: string, origin?: Origin, hint?: string): void {
    this.ctx.ledger.report(severity, code, message, origin, hint);
  }

  step(title: string, detail: string, phase?: StepText['phase']): void {
    this.steps.push({ title, detail, ...(phase ? { phase } : {}) });
  }

  difference(text: string): void {
    if (!this.differences.includes(text)) this.differences.push(text);
  }

  reconfigure(text: string): void {
    if (!this.reconfigures.includes(text)) this.reconfigures.push(text);
  }

  firewallHandled(port: PortSpec): void {
    this.handledPorts.add(port);
  }

  envFlag(name: string): DockerFlag | undefined {
    const flags = (this.plan?.invocation.flags ?? []).filter((f) => f.name === '--env');
    return flags.reverse().find((f) => {
      const text = this.plan!.values.get(f) ?? f.value ?? '';
      const eq = text.indexOf('=');
      return (eq < 0 ? text : text.slice(0, eq)) === name;
    });
  }

  secretFile(spec: RecipeSecret): string {
    const origin = spec.flags[0]?.item.origin ?? this.plan?.run?.item.origin ?? this.plan?.standalone?.item.origin;
    if (!origin) throw new Error(`${this.service}: a recipe secret needs the flag or the container it came from`);
    // A secret of the command or of a provisioned file: the findings of the same value go with it.
    const findings = spec.flags.length > 0 ? spec.flags.map((f) => this.ctx.analysis.secrets.flags.get(f)).filter((f) => f !== undefined) : this.ctx.analysis.secrets.findings.filter((f) => spec.content !== undefined && f.value === spec.content);
    const unit = `${this.recipe.unit.name}.service`;
    const file = this.ctx.secrets.add({
      name: `${this.service}-${spec.name}`,
      ...(spec.content !== undefined ? { content: spec.content } : {}),
      format: 'raw',
      purpose: spec.purpose,
      restartUnits: [unit],
      findings,
      origin,
    });
    if (spec.option !== undefined) this.set(spec.option, file.path, `${spec.purpose}: a secret, read from a file outside the Nix store.`);
    const option = spec.option !== undefined ? this.optionName(spec.option) : this.recipe.module;
    for (const flag of spec.flags) {
      this.claim(flag, option, `the value went to ${file.path}, outside the Nix store`);
      const finding = this.ctx.analysis.secrets.flags.get(flag);
      if (finding) this.ctx.secrets.moved(finding, option, file);
    }
    if (spec.flags.length === 0) for (const finding of findings) this.ctx.secrets.moved(finding, option, file);
    return file.path;
  }

  /** Companion roles whose containers the module absorbed (set by the engine before the recipe runs). */
  companionRoles: ReadonlySet<string> = new Set();

  hasCompanion(role: string): boolean {
    return this.companionRoles.has(role);
  }
}
