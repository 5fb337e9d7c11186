import { FILES_DIR, safeName } from '../../passes/secrets/index.ts';

export { isSecretName } from '../../sources/docker/secrets.ts';

/**
 * Where a container's secret environment file lives with `--secrets files`
 * (the default), for callers without a build (the playground's
 * dockerRunToContainer); conversions ask the SecretStore.
 */
export function secretEnvFile(container: string): string {
  return `${FILES_DIR}/${safeName(`${container}.env`)}`;
}
