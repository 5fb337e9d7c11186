import { isSecretName, SECRET_NAME } from '../../model/secret.ts';

/**
 * Invariant 3: secrets never reach the Nix store. The report's item labels
 * quote the input, and a flake directory may be copied into the store, so
 * `-e NAME=value` labels whose name says secret lose their value here; the
 * one rule for what a secret name is lives in the model (model/secret.ts),
 * shared with the secrets pass and the recipes.
 */
export { isSecretName };

/** `POSTGRES_PASSWORD=hunter2` -> `POSTGRES_PASSWORD=…` wherever it appears in a text meant for people. */
export function redactSecrets(text: string): string {
  if (!SECRET_NAME.test(text)) return text;
  return text.replace(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s,"']+)/g, (all, name: string) => (isSecretName(name) ? `${name}=…` : all));
}
