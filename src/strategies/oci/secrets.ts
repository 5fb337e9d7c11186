export { isSecretName } from '../../sources/docker/secrets.ts';

/** Where a container's secret environment file lives on the new host (root-only, outside the store). */
export function secretEnvFile(container: string): string {
  return `/var/lib/nixport-secrets/${container}.env`;
}
