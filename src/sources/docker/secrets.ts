/**
 * Invariant 3: secrets never reach the Nix store. Environment variables
 * whose name says they hold a secret are kept out of the generated
 * configuration (stage 2 writes them to an environment file) and out of the
 * report's item labels, which a flake directory would copy into the store.
 */
const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|_PASS$|^PASS$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `POSTGRES_PASSWORD=hunter2` -> `POSTGRES_PASSWORD=…` wherever it appears in a text meant for people. */
export function redactSecrets(text: string): string {
  if (!SECRET_NAME.test(text)) return text;
  return text.replace(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s,"']+)/g, (all, name: string) => (isSecretName(name) ? `${name}=…` : all));
}
