/** The top-level sections of a Container Linux Config (ct's config/types/config.go), none of which a cloud-config has. */
export const CLC_SECTIONS: ReadonlySet<string> = new Set(['ignition', 'storage', 'systemd', 'networkd', 'passwd', 'etcd', 'flannel', 'update', 'docker', 'locksmith']);

/**
 * A Container Linux Config, by content: YAML whose top-level keys (at column
 * 1) are all CLC sections (plus ct's undocumented `version`). The callers
 * ask first for `#cloud-config` and Butane's `variant:`, which a CLC lacks.
 */
export function isContainerLinuxConfig(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  const keys = [...body.matchAll(/^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:/gm)].map((m) => m[1]!);
  const sections = keys.filter((k) => k !== 'version');
  return sections.length > 0 && sections.every((k) => CLC_SECTIONS.has(k));
}
