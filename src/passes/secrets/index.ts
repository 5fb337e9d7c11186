/**
 * Invariant 3, secrets never reach the Nix store: detection (detect.ts on
 * the tables of patterns.ts), the pass over the host (analyse.ts), the
 * store of secret files the strategies fill (store.ts), and the leak check
 * that keeps whatever was not moved out of the output (leaks.ts).
 */
export { analyseSecrets, SECRET_VARIABLE_PREFIX } from './analyse.ts';
export { isLiteralSecretValue, isSecretAssignment, isSecretName, looksRandom, scanFormats } from './detect.ts';
export { isDistinctive, leakedIn, needles, redactor, REMOVED, scrubText, type Needle } from './leaks.ts';
export {
  environmentFile,
  FILES_DIR,
  KIND_WORDS,
  plaintextAt,
  SECRETS_MODES,
  SecretStore,
  safeName,
  type SecretFile,
  type SecretFileSpec,
  type SecretFormat,
  type SecretMove,
  type SecretsMode,
} from './store.ts';
