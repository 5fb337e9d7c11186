/**
 * `docker inspect` output: JSON (an array, or one record) whose records have
 * `Id`, `Config` and `HostConfig`. Ignition configs are JSON objects with an
 * `ignition` section and are detected before this; Ignition has no
 * `HostConfig`, and inspect output no `ignition` key at the top.
 */
export function isDockerInspect(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (!body.startsWith('[') && !body.startsWith('{')) return false;
  return /"HostConfig"\s*:/.test(body) && /"Config"\s*:/.test(body) && /"Id"\s*:/.test(body);
}
