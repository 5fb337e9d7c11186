import type { Host, HostFile } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';

/**
 * Quadlet files: a `*.container` under /etc/containers/systemd/ (or a
 * user's ~/.config/containers/systemd/) is a container podman's systemd
 * generator turns into a unit at boot. nixport carries it as a plain file and
 * does not convert the container yet; the NixOS firewall is on, so its
 * published ports and its volumes are reported here, line by line, for the
 * owner to declare (virtualisation.oci-containers).
 */
export function reportQuadlets(host: Host, ledger: Ledger): void {
  for (const file of host.files) {
    if (!isQuadletContainer(file.path) || file.text === undefined) continue;
    const { ports, volumes } = quadletLines(file);
    const what = [
      ports.length > 0 ? `publishes ${ports.map((p) => `\`PublishPort=${p}\``).join(', ')}, which the NixOS firewall blocks` : 'publishes no port',
      volumes.length > 0 ? `mounts ${volumes.map((v) => `\`Volume=${v}\``).join(', ')}` : 'mounts no volume',
    ];
    ledger.report(
      'warning',
      'quadlet/container',
      `${file.path} is a podman Quadlet container, which podman's systemd generator made a unit of on the old host: it ${what.join(' and ')}; nixport does not convert it`,
      file.item.origin,
      'declare it as virtualisation.oci-containers.containers.<name> (backend podman), open its host ports in networking.firewall.allowedTCPPorts/allowedUDPPorts, and keep the host directories of its volumes',
    );
  }
}

/** `/etc/containers/systemd/x.container`, also in subdirectories, and users' `~/.config/containers/systemd/`. */
export function isQuadletContainer(path: string): boolean {
  if (!path.endsWith('.container')) return false;
  return path.startsWith('/etc/containers/systemd/') || path.startsWith('/usr/share/containers/systemd/') || /^\/(root|home\/[^/]+|var\/home\/[^/]+)\/\.config\/containers\/systemd\//.test(path);
}

/** The `PublishPort=` and `Volume=` values of the [Container] section. */
function quadletLines(file: HostFile): { readonly ports: string[]; readonly volumes: string[] } {
  const ports: string[] = [];
  const volumes: string[] = [];
  let section = '';
  for (const raw of (file.text ?? '').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[') && line.endsWith(']')) section = line.slice(1, -1);
    if (section !== 'Container') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'PublishPort') ports.push(value);
    else if (key === 'Volume') volumes.push(value);
  }
  return { ports, volumes };
}
