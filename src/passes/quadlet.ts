import type { Host, HostFile } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { quadletKind, quadletScope } from '../sources/quadlet/detect.ts';
import { QUADLET_HINTS } from '../sources/quadlet/hints.ts';

/**
 * Quadlet files that did not convert. Rootful `.container`, `.network` and
 * `.volume` files a config wrote are read as containers, networks and
 * volumes (sources/quadlet) and are no longer files; what is left here is
 * carried as a plain file and reported: a rootless user's Quadlets (running
 * them as root would loosen them), the kinds nixport does not convert
 * (`.pod`, `.kube`, `.image`, `.build`, `.artifact`), drop-ins, and files it
 * could not read whole. The NixOS firewall is on, so a container's
 * published ports and volumes are listed for the owner to declare.
 */
export function reportQuadlets(host: Host, ledger: Ledger): void {
  for (const file of host.files) {
    const dropIn = quadletDropIn(file.path);
    if (dropIn) {
      ledger.report('warning', 'quadlet/drop-in', `${file.path} amends the Quadlet file ${dropIn}; nixport does not merge Quadlet drop-ins, so it is carried as a file only`, file.item.origin, `merge its lines into ${dropIn} and convert again`);
      continue;
    }
    const kind = quadletKind(file.path);
    const scope = quadletScope(file.path);
    if (kind === undefined || scope === undefined) continue;
    if (kind !== 'container' && kind !== 'network' && kind !== 'volume') {
      ledger.report('warning', 'quadlet/not-converted', `${file.path} is a Quadlet .${kind} file, which nixport does not convert; it is carried as a file only`, file.item.origin, QUADLET_HINTS[kind]);
      continue;
    }
    const why =
      scope === 'user'
        ? 'a rootless Quadlet of a user; nixport converts only rootful (system) ones, since running it as root would loosen it'
        : file.text === undefined || file.remote
          ? 'its content is not in the input'
          : file.append
            ? 'the config appends to it'
            : 'it has no readable Quadlet section';
    if (kind !== 'container') {
      ledger.report('warning', 'quadlet/not-converted', `${file.path} is a podman Quadlet .${kind} file, not converted: ${why}`, file.item.origin, `create the ${kind} by hand (\`podman ${kind} create\`)`);
      continue;
    }
    const { ports, volumes } = quadletLines(file);
    const what = [
      ports.length > 0 ? `publishes ${ports.map((p) => `\`PublishPort=${p}\``).join(', ')}, which the NixOS firewall blocks` : 'publishes no port',
      volumes.length > 0 ? `mounts ${volumes.map((v) => `\`Volume=${v}\``).join(', ')}` : 'mounts no volume',
    ];
    ledger.report(
      'warning',
      'quadlet/container',
      `${file.path} is a podman Quadlet container, which podman's systemd generator made a unit of on the old host: it ${what.join(' and ')}; nixport does not convert it (${why})`,
      file.item.origin,
      scope === 'user'
        ? 'declare it as virtualisation.oci-containers.containers.<name> with podman.user set to its user, open its host ports in networking.firewall, and keep the host directories of its volumes'
        : 'declare it as virtualisation.oci-containers.containers.<name> (backend podman), open its host ports in networking.firewall.allowedTCPPorts/allowedUDPPorts, and keep the host directories of its volumes',
    );
  }
}

/** `/etc/containers/systemd/web.container.d/10-x.conf` -> `web.container`. */
function quadletDropIn(path: string): string | undefined {
  const m = /\/([^/]+\.(?:container|volume|network|pod|kube|image|build|artifact))\.d\/[^/]+\.conf$/.exec(path);
  return m && quadletScope(path.slice(0, path.lastIndexOf('.d/'))) !== undefined ? m[1] : undefined;
}

/** `/etc/containers/systemd/x.container`, also in subdirectories, and users' `~/.config/containers/systemd/`. */
export function isQuadletContainer(path: string): boolean {
  return quadletKind(path) === 'container' && quadletScope(path) !== undefined;
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
