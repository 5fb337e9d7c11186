/** Whether an input is a Compose file: by its name, or by its top-level `services:`. */

const NAMED = /^(docker-)?compose(\.[A-Za-z0-9_-]+)*\.ya?ml$|\.compose\.ya?ml$/;

/** A Compose file by its name (compose.yml, docker-compose.prod.yml, app.compose.yaml) or its top-level `services:`. */
export function isComposeFile(path: string, text: string): boolean {
  const base = path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
  if (!/\.ya?ml$/i.test(base)) return false;
  if (NAMED.test(base)) return true;
  const body = text.replace(/^\uFEFF/, '');
  if (body.startsWith('#cloud-config')) return false;
  return /^services[ \t]*:/m.test(body) && !/^(variant|coreos|write_files|ssh_authorized_keys|users)[ \t]*:/m.test(body);
}

