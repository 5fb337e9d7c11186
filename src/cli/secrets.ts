import { SECRETS_MODES, type SecretsMode } from '../passes/secrets/index.ts';
import { UsageError } from './usage-error.ts';

/** `--secrets files|sops|agenix`: where the secrets found in the input go. */
export function checkSecrets(value: string): SecretsMode {
  if ((SECRETS_MODES as readonly string[]).includes(value)) return value as SecretsMode;
  throw new UsageError(
    `--secrets ${JSON.stringify(value)}: expected files, sops or agenix`,
    'files (the default) writes plain files for /var/lib/secrets; sops and agenix encrypt them into the flake (README.md, "Secrets")',
  );
}
