import type { HostFile } from '../../model/host.ts';
import { isQuadletInput, quadletKind, quadletScope } from './detect.ts';
import type { QuadletText } from './read.ts';

/**
 * The Quadlet files a config wrote (storage.files, write_files) that
 * convert: rootful ones (/etc/containers/systemd, /usr/share/containers/
 * systemd) of the kinds nixport reads, written whole. A rootless user's
 * Quadlets stay files, reported (passes/quadlet.ts): running them as root
 * would loosen them.
 */
export function quadletHostFiles(files: readonly HostFile[]): Map<QuadletText, HostFile> {
  const out = new Map<QuadletText, HostFile>();
  for (const file of files) {
    const kind = quadletKind(file.path);
    if (kind !== 'container' && kind !== 'network' && kind !== 'volume') continue;
    if (file.text === undefined || file.append || file.remote || quadletScope(file.path) !== 'system' || !isQuadletInput(file.path, file.text)) continue;
    const origin = file.item.origin;
    out.set({ path: file.path, text: file.text, position: file.position ?? (() => origin), item: file.item }, file);
  }
  return out;
}
