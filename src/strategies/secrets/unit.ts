import type { SecretFinding, SecretVariable } from '../../model/secret.ts';
import type { Directive, EnvAssignment } from '../../model/unit.ts';
import { environmentFile } from '../../passes/secrets/index.ts';
import type { BuildContext } from '../context.ts';

/**
 * A unit's secrets, as the unit is carried: the secret assignments of its
 * Environment= lines and the secrets of its command lines (which now say
 * `${NIXPORT_SECRET_n}` or `-e NAME`) go to one environment file outside
 * the store, named by the unit's EnvironmentFile=. Only directives that
 * are carried contribute, so a line the conversion drops leaves its
 * secrets out of the file too.
 */
export class UnitSecrets {
  private readonly variables: SecretVariable[] = [];
  private readonly options = new Map<SecretFinding, string>();

  /**
   * @param unit the unit the configuration declares (`docker-web.service` at stage 2)
   * @param label the old unit's name, which names the file
   */
  constructor(
    private readonly ctx: BuildContext,
    private readonly unit: string,
    private readonly label: string,
  ) {}

  /** The assignments of an Environment= line that stay in the configuration. */
  assignments(d: Directive): readonly EnvAssignment[] {
    return this.ctx.analysis.secrets.keptAssignments.get(d) ?? d.assignments ?? [];
  }

  /** A directive is carried at `option`: the variables its secrets became must be in the file. */
  use(d: Directive, option: string): void {
    for (const v of this.ctx.analysis.secrets.variables.get(d) ?? []) {
      if (!this.variables.some((x) => x.name === v.name)) this.variables.push(v);
      if (!this.options.has(v.finding)) this.options.set(v.finding, option);
    }
  }

  /** `SetCredential=ID:VALUE` -> the `ID:<file>` of LoadCredential=, the value in a secret file. */
  credential(d: Directive, option: string): string | undefined {
    const credential = this.ctx.analysis.secrets.credentials.get(d);
    if (!credential) return undefined;
    const file = this.ctx.secrets.add({
      // The id names the file, unless it looks like more than a name (it is input text, and may quote a secret).
      name: /^[A-Za-z0-9_.-]{1,64}$/.test(credential.id) ? `${this.label}.${credential.id}` : `${this.label}.credential`,
      content: credential.finding.value,
      format: 'raw',
      purpose: `the credential ${credential.id} of ${this.unit}`,
      restartUnits: [this.unit],
      findings: [credential.finding],
      origin: credential.finding.origin,
    });
    this.ctx.secrets.moved(credential.finding, option, file);
    return `${credential.id}:${file.path}`;
  }

  /** The path of the unit's secret environment file, when a carried directive needs one. */
  environmentFile(): string | undefined {
    if (this.variables.length === 0) return undefined;
    const file = this.ctx.secrets.add({
      name: `${this.label}.env`,
      content: environmentFile('systemd-env', this.variables)!,
      format: 'systemd-env',
      purpose: `the environment of ${this.unit}`,
      restartUnits: [this.unit],
      findings: [...this.options.keys()],
      origin: this.variables[0]!.finding.origin,
    });
    for (const [finding, at] of this.options) this.ctx.secrets.moved(finding, at, file);
    return file.path;
  }
}

/** What a unit's EnvironmentFile= line for its secrets says above it. */
export const SECRET_ENVIRONMENT_COMMENT = 'Secrets of this unit, outside the Nix store (MIGRATION.md, "Secrets").';
