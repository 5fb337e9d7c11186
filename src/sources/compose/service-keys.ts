/**
 * Every key of a Compose service, and what becomes of it: most become the
 * `docker run` flags Docker Compose would pass (so the oci strategy maps
 * them like any other flag, and each flag is a ledger item at the value it
 * came from); the rest are read into the service's facts (depends_on,
 * restart limits), or dropped or reported with a reason. One entry per key
 * of the Compose Specification's schema; a test holds them equal, and the
 * support matrix prints `doc`.
 */
import type { DependencyCondition } from '../../model/compose.ts';
import type { Origin } from '../../model/origin.ts';
import { parseDotenv } from './dotenv.ts';
import { child, isCMap, isCScalar, isCSeq, isNull, text, type CEntry, type CMap, type CNode } from './node.ts';
import type { ServiceScope } from './scope.ts';
import { isPathSource, parseShortVolume } from './short-syntax.ts';
import { durationSeconds, shellJoin, splitWords } from './words.ts';

export type KeyStatus = 'translated' | 'partly' | 'dropped' | 'unsupported';

export interface ServiceKey {
  readonly status: KeyStatus;
  /** What happens to it, for the support matrix. */
  readonly doc: string;
  readonly read: (e: CEntry, s: ServiceScope) => void;
}

// ---- helpers -----------------------------------------------------------------

function flag(s: ServiceScope, name: string, value: string | undefined, origin: Origin): void {
  s.argv.flag(name, value, origin);
}

/** A key item of the service, settled at once. */
function settle(s: ServiceScope, e: CEntry, fate: 'dropped' | 'unsupported', reason: string, label = e.key): void {
  const item = s.scope.ledger.item('key', `services.${s.name}.${label}`, e.keyOrigin, s.item);
  if (fate === 'dropped') s.scope.ledger.dropped(item, reason);
  else s.scope.ledger.unsupported(item, reason);
}

function report(s: ServiceScope, severity: 'error' | 'warning' | 'info', code: string, message: string, origin: Origin, hint?: string): void {
  s.scope.ledger.report(severity, `compose/${code}`, `${s.name}: ${message}`, origin, hint);
}

function items(node: CNode | undefined): CNode[] {
  return isCSeq(node) ? node.items : node === undefined || isNull(node) ? [] : [node];
}

function bool(node: CNode | undefined): boolean | undefined {
  const t = text(node);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

/** Flags for each `NAME: value` of a mapping (`--sysctl`, `--label`, `--annotation`). */
function assignments(name: string, bare: 'skip' | 'empty') {
  return (e: CEntry, s: ServiceScope): void => {
    if (!isCMap(e.value)) return;
    for (const [k, v] of e.value.entries) {
      const value = text(v.value);
      if (value === undefined && bare === 'skip') continue;
      flag(s, name, `${k}=${value ?? ''}`, v.keyOrigin);
    }
  };
}

/** One flag per list entry (or for a single value). */
function each(name: string) {
  return (e: CEntry, s: ServiceScope): void => {
    for (const item of items(e.value)) {
      const v = text(item);
      if (v !== undefined) flag(s, name, v, item.origin);
    }
  };
}

/** One flag with the value as written. */
function single(name: string, map: (value: string) => string = (v) => v) {
  return (e: CEntry, s: ServiceScope): void => {
    const v = text(e.value);
    if (v === undefined) return settle(s, e, 'dropped', 'empty: the image\'s default applies');
    flag(s, name, map(v), e.value.origin);
  };
}

/** A boolean flag: `true` gives the flag, `false` is the default. */
function onOff(name: string) {
  return (e: CEntry, s: ServiceScope): void => {
    const v = bool(e.value);
    if (v === true) flag(s, name, undefined, e.value.origin);
    else settle(s, e, 'dropped', `\`${e.key}: ${text(e.value) ?? 'null'}\` is Docker's default`);
  };
}

const dropped = (reason: string, doc = reason): ServiceKey => ({ status: 'dropped', doc, read: (e, s) => settle(s, e, 'dropped', reason) });

function unsupported(reason: string, hint: string): ServiceKey {
  return {
    status: 'unsupported',
    doc: reason,
    read: (e, s) => {
      settle(s, e, 'unsupported', reason);
      report(s, 'warning', 'unsupported-key', `\`${e.key}\` is not converted: ${reason}`, e.keyOrigin, hint);
    },
  };
}

const translated = (doc: string, read: ServiceKey['read']): ServiceKey => ({ status: 'translated', doc, read });

/** A service reference (`service:db`) as the container it became; a container reference as written. */
function containerRef(s: ServiceScope, ref: string, origin: Origin): string | undefined {
  if (ref.startsWith('container:')) return ref.slice('container:'.length);
  const service = ref.startsWith('service:') ? ref.slice('service:'.length) : ref;
  const container = s.scope.containerOf.get(service);
  if (container === undefined) {
    report(s, 'error', 'unknown-service', `\`${ref}\` names no active service of the project`, origin, s.scope.inactive.has(service) ? `enable the profile of ${service} with --profile` : 'check the service name');
  }
  return container;
}

// ---- keys with more to them ----------------------------------------------------

function command(which: 'command' | 'entrypoint') {
  return (e: CEntry, s: ServiceScope): void => {
    if (isNull(e.value)) return settle(s, e, 'dropped', `null: the image's ${which === 'command' ? 'CMD' : 'ENTRYPOINT'} applies`);
    let words: string[] | undefined;
    if (isCSeq(e.value)) words = e.value.items.map((i) => text(i) ?? '');
    else {
      words = splitWords(text(e.value) ?? '');
      if (words === undefined) {
        report(s, 'error', 'unclosed-quote', `\`${which}\` has a quote that is not closed`, e.value.origin, 'close the quote, or write the command as a list');
        return settle(s, e, 'unsupported', 'a quote is not closed');
      }
    }
    s[which] = { words, origin: e.value.origin };
    // The words are the container's command line, not flags: the key is an item of its own, settled with the container.
    if (which === 'command' || words.length > 1) s.scope.ledger.item('key', `services.${s.name}.${which}`, e.keyOrigin, s.item);
  };
}

function environment(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [name, v] of e.value.entries) {
    const value = text(v.value);
    if (value !== undefined) {
      flag(s, '--env', `${name}=${value}`, v.keyOrigin);
      continue;
    }
    // `NAME` without a value takes it from the environment Compose ran in: here, the env file.
    const known = s.scope.lookup(name);
    if (known !== undefined) {
      flag(s, '--env', `${name}=${known}`, v.keyOrigin);
      continue;
    }
    settle(s, v, 'dropped', `no value, and the project's environment does not set ${name}: Compose passed nothing either`, `environment.${name}`);
    report(s, 'info', 'env-unset', `\`${name}\` has no value and the env file does not set it; the container does not get it (as with Compose)`, v.keyOrigin, `set ${name} in the project's .env file if the container needs it`);
  }
}

function envFile(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    const path = text(isCMap(item) ? child(item, 'path') : item);
    if (path === undefined) continue;
    const required = isCMap(item) ? bool(child(item, 'required')) !== false : true;
    const format = isCMap(item) ? text(child(item, 'format')) : undefined;
    const origin = item.origin;
    if (format === 'raw') report(s, 'warning', 'env-file-raw', `\`${path}\` is read with \`format: raw\`; Docker's --env-file reads NAME=value lines with its own rules`, origin, 'check that the file has no quotes or interpolation Compose would have kept raw');
    const given = format === 'raw' ? undefined : s.scope.readInput(path, origin);
    if (given !== undefined) {
      envFromFile(s, path, given, origin);
      continue;
    }
    if (!s.scope.inputExists(path, origin)) {
      if (!required) {
        settle(s, { key: `env_file ${path}`, keyOrigin: origin, value: item }, 'dropped', 'optional (`required: false`) and not among the inputs: Compose skipped it on the old host too, if it was missing there');
        continue;
      }
      report(s, 'warning', 'env-file-not-given', `the env file \`${path}\` is not among the inputs; the container reads it from ${s.scope.hostPath(path, origin)} on the new host`, origin, 'copy the file there (it may hold secrets, so it stays out of the Nix store)');
    }
    flag(s, '--env-file', s.scope.hostPath(path, origin), origin);
  }
}

/**
 * An env file among the inputs is read as Compose reads it: each variable
 * becomes the container's own (`-e NAME=value`, with its line in the file
 * as origin), so the flake names no path on the workstation and the
 * secrets pass sees every value. `environment:` wins over the file.
 */
function envFromFile(s: ServiceScope, path: string, file: { readonly path: string; readonly text: string }, origin: Origin): void {
  const entries = parseDotenv(file.path, file.text, s.scope.lookup);
  const item = s.scope.ledger.item('key', `services.${s.name}.env_file ${path}`, origin, s.item);
  const overridden = entries.filter((v) => s.environmentNames.has(v.name)).map((v) => v.name);
  for (const v of entries) if (!s.environmentNames.has(v.name)) flag(s, '--env', `${v.name}=${v.value}`, v.origin);
  s.scope.ledger.carried(
    item,
    'the container\'s environment',
    `read: ${entries.length} variable(s) from ${file.path}${overridden.length > 0 ? `; \`environment:\` sets ${overridden.join(', ')} itself` : ''}`,
  );
}

function portFlag(item: CNode): string | undefined {
  if (isCScalar(item)) return text(item);
  if (!isCMap(item)) return undefined;
  const target = text(child(item, 'target'));
  if (target === undefined) return undefined;
  const published = text(child(item, 'published'));
  const hostIp = text(child(item, 'host_ip'));
  const protocol = text(child(item, 'protocol'));
  const ip = hostIp === undefined ? '' : hostIp.includes(':') ? `[${hostIp}]:` : `${hostIp}:`;
  const host = published === undefined ? (ip === '' ? '' : ':') : `${published}:`;
  return `${ip}${host}${target}${protocol === undefined || protocol === 'tcp' ? '' : `/${protocol}`}`;
}

function ports(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    const value = portFlag(item);
    if (value !== undefined) flag(s, '--publish', value, item.origin);
    if (isCMap(item) && text(child(item, 'mode')) === 'ingress') {
      report(s, 'info', 'port-ingress', `port ${value ?? ''}: \`mode: ingress\` is Swarm's routing mesh; on one host it is published like \`mode: host\``, item.origin);
    }
  }
}

/** `restart:` as Docker's --restart; `on-failure:N` also bounds systemd's restarts. */
function restart(e: CEntry, s: ServiceScope): void {
  const v = text(e.value);
  if (v === undefined) return settle(s, e, 'dropped', 'empty: Compose\'s default, no');
  if (s.deployRestart) return settle(s, e, 'dropped', 'deploy.restart_policy is given, and Compose lets it win over `restart:`');
  if (!/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(v)) {
    report(s, 'error', 'bad-restart', `restart \`${v}\` is not a restart policy; Docker refuses it`, e.value.origin, 'use no, always, unless-stopped or on-failure[:N]');
    return settle(s, e, 'unsupported', 'not a restart policy');
  }
  s.restartSet = true;
  flag(s, '--restart', v, e.value.origin);
  const n = /^on-failure:(\d+)$/.exec(v);
  if (n) s.restartLimits = { maxAttempts: Number(n[1]), origin: e.value.origin };
}

function healthcheck(e: CEntry, s: ServiceScope): void {
  const hc = e.value;
  if (!isCMap(hc)) return;
  const test = child(hc, 'test');
  const disabled = bool(child(hc, 'disable')) === true;
  const testWords = isCSeq(test) ? test.items.map((i) => text(i) ?? '') : undefined;
  if (disabled || testWords?.[0] === 'NONE') {
    flag(s, '--no-healthcheck', undefined, (disabled ? child(hc, 'disable') : test)!.origin);
    for (const [k, v] of hc.entries) if (k !== 'disable' && !(k === 'test' && testWords?.[0] === 'NONE')) settle(s, v, 'dropped', 'the health check is disabled', `healthcheck.${k}`);
    return;
  }
  for (const [k, v] of hc.entries) {
    const value = text(v.value);
    switch (k) {
      case 'test': {
        let cmd: string | undefined;
        if (testWords === undefined) cmd = value;
        else if (testWords[0] === 'CMD-SHELL') cmd = testWords.slice(1).join(' ');
        else if (testWords[0] === 'CMD') {
          cmd = shellJoin(testWords.slice(1));
          report(s, 'info', 'healthcheck-cmd', 'the health check `["CMD", ...]` runs through the image\'s shell now (docker run has only --health-cmd, which is CMD-SHELL)', v.value.origin, 'if the image has no /bin/sh, the check fails; use an image with a shell or drop the check');
        } else cmd = testWords.join(' ');
        if (cmd !== undefined && cmd !== '') {
          flag(s, '--health-cmd', cmd, v.value.origin);
          s.healthcheck = true;
        }
        break;
      }
      case 'interval':
      case 'timeout':
      case 'retries':
        if (value !== undefined) flag(s, `--health-${k}`, value, v.value.origin);
        break;
      case 'start_period':
      case 'start_interval':
        if (value !== undefined) flag(s, `--health-${k.replace('_', '-')}`, value, v.value.origin);
        break;
      case 'disable':
        settle(s, v, 'dropped', '`disable: false` is the default', 'healthcheck.disable');
        break;
      default:
        settle(s, v, 'dropped', 'an extension field', `healthcheck.${k}`);
    }
  }
}

function logging(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  const driver = child(e.value, 'driver');
  if (text(driver) !== undefined) flag(s, '--log-driver', text(driver)!, driver!.origin);
  const options = child(e.value, 'options');
  if (isCMap(options)) for (const [k, v] of options.entries) if (text(v.value) !== undefined) flag(s, '--log-opt', `${k}=${text(v.value)!}`, v.keyOrigin);
}

function ulimits(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [name, v] of e.value.entries) {
    if (isCMap(v.value)) flag(s, '--ulimit', `${name}=${text(child(v.value, 'soft')) ?? ''}:${text(child(v.value, 'hard')) ?? ''}`, v.keyOrigin);
    else flag(s, '--ulimit', `${name}=${text(v.value) ?? ''}`, v.keyOrigin);
  }
}

function devices(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    if (isCMap(item)) {
      const source = text(child(item, 'source')) ?? '';
      const target = text(child(item, 'target'));
      const permissions = text(child(item, 'permissions'));
      flag(s, '--device', [source, target ?? (permissions ? source : undefined), permissions].filter((x) => x !== undefined).join(':'), item.origin);
    } else if (text(item) !== undefined) flag(s, '--device', text(item)!, item.origin);
  }
}

function extraHosts(e: CEntry, s: ServiceScope): void {
  if (isCMap(e.value)) {
    for (const [host, v] of e.value.entries) for (const ip of items(v.value)) flag(s, '--add-host', `${host}:${text(ip) ?? ''}`, ip.origin);
    return;
  }
  for (const item of items(e.value)) {
    const raw = text(item);
    if (raw === undefined) continue;
    // `host=ip` (Compose's newer spelling) is `host:ip` for docker run; IPv6 addresses keep their colons.
    const eq = raw.indexOf('=');
    flag(s, '--add-host', eq > 0 ? `${raw.slice(0, eq)}:${raw.slice(eq + 1)}` : raw, item.origin);
  }
}

function stopGracePeriod(e: CEntry, s: ServiceScope): void {
  const v = text(e.value);
  const seconds = v === undefined ? undefined : durationSeconds(v);
  if (seconds === undefined) {
    report(s, 'warning', 'bad-duration', `stop_grace_period \`${v ?? ''}\` is not a duration`, e.value.origin, 'write it like 10s or 1m30s');
    return settle(s, e, 'unsupported', 'not a duration');
  }
  flag(s, '--stop-timeout', String(Math.ceil(seconds)), e.value.origin);
}

function networkMode(e: CEntry, s: ServiceScope): void {
  const mode = text(e.value);
  if (mode === undefined) return settle(s, e, 'dropped', 'empty');
  s.networked = true;
  if (mode.startsWith('service:') || mode.startsWith('container:')) {
    const other = containerRef(s, mode, e.value.origin);
    if (other === undefined) return settle(s, e, 'unsupported', `${mode} is not converted`);
    flag(s, '--network', `container:${other}`, e.value.origin);
    return;
  }
  flag(s, '--network', mode, e.value.origin);
}

/** Service networks: the first by `priority` (then name) is the container's network, the others are joined with Docker's long form. */
function networks(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  s.networked = true;
  const list = [...e.value.entries.values()].sort((a, b) => {
    const pa = Number(text(child(a.value, 'priority')) ?? 0);
    const pb = Number(text(child(b.value, 'priority')) ?? 0);
    return pb - pa || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
  list.forEach((n, i) => {
    const ref = s.scope.networks.get(n.key);
    if (!ref) {
      report(s, 'error', 'unknown-network', `the network \`${n.key}\` is not defined under the top-level networks`, n.keyOrigin, 'define it under `networks:` (Compose refuses the file too)');
      return settle(s, n, 'unsupported', 'the network is not defined', `networks.${n.key}`);
    }
    s.scope.usedNetworks.add(n.key);
    const aliases = [s.name, ...items(child(n.value, 'aliases')).map((a) => text(a) ?? '').filter((a) => a !== '' && a !== s.name)];
    const ipv4 = text(child(n.value, 'ipv4_address'));
    const ipv6 = text(child(n.value, 'ipv6_address'));
    const mac = text(child(n.value, 'mac_address'));
    for (const k of isCMap(n.value) ? n.value.entries.keys() : []) {
      if (!['aliases', 'ipv4_address', 'ipv6_address', 'mac_address', 'priority', 'gw_priority'].includes(k)) {
        const sub = n.value.kind === 'map' ? n.value.entries.get(k)! : n;
        settle(s, sub, 'unsupported', 'docker run has no flag for it', `networks.${n.key}.${k}`);
        report(s, 'warning', 'network-option', `networks.${n.key}.${k} is not converted: docker run has no flag for it`, sub.keyOrigin, 'connect the container by hand (`docker network connect`) if it matters');
      }
    }
    if (i === 0) {
      flag(s, '--network', ref.real, n.keyOrigin);
      for (const a of aliases) flag(s, '--network-alias', a, n.keyOrigin);
      if (ipv4 !== undefined) flag(s, '--ip', ipv4, child(n.value, 'ipv4_address')!.origin);
      if (ipv6 !== undefined) flag(s, '--ip6', ipv6, child(n.value, 'ipv6_address')!.origin);
      if (mac !== undefined) flag(s, '--mac-address', mac, child(n.value, 'mac_address')!.origin);
      return;
    }
    const parts = [`name=${ref.real}`, ...aliases.map((a) => `alias=${a}`)];
    if (ipv4 !== undefined) parts.push(`ip=${ipv4}`);
    if (ipv6 !== undefined) parts.push(`ip6=${ipv6}`);
    if (mac !== undefined) parts.push(`mac-address=${mac}`);
    flag(s, '--network', parts.join(','), n.keyOrigin);
  });
}

function volumes(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    if (isCScalar(item)) shortVolume(item, s);
    else if (isCMap(item)) longVolume(item, s);
  }
}

function volumeName(s: ServiceScope, key: string, origin: Origin): string | undefined {
  const ref = s.scope.volumes.get(key);
  if (!ref) {
    report(s, 'error', 'unknown-volume', `the volume \`${key}\` is not defined under the top-level volumes`, origin, 'define it under `volumes:` (Compose refuses the file too), or write a path (`./x`) for a bind mount');
    return undefined;
  }
  s.scope.usedVolumes.add(key);
  s.volumes.add(ref.real);
  return ref.real;
}

function shortVolume(item: CNode, s: ServiceScope): void {
  const raw = text(item) ?? '';
  const v = parseShortVolume(raw);
  const mode = v.options.length > 0 ? `:${v.options.join(',')}` : '';
  if (v.source === undefined || v.source === '') {
    anonymous(s, v.target, item.origin, mode);
    return;
  }
  if (isPathSource(v.source)) {
    if (v.source.startsWith('~')) report(s, 'warning', 'home-path', `\`${v.source}\` is in the home directory of whoever ran Compose; it is taken as root's`, item.origin, 'write the absolute path');
    flag(s, '--volume', `${s.scope.hostPath(v.source, item.origin)}:${v.target}${mode}`, item.origin);
    return;
  }
  const name = volumeName(s, v.source, item.origin);
  if (name === undefined) return settle(s, { key: `volumes ${raw}`, keyOrigin: item.origin, value: item }, 'unsupported', 'the volume is not defined');
  flag(s, '--volume', `${name}:${v.target}${mode}`, item.origin);
}

/** An anonymous volume would be new at every start (the module removes the container): it is named, so its data stays. */
function anonymous(s: ServiceScope, target: string, origin: Origin, mode: string): void {
  const name = `${s.container}${target.replace(/[^A-Za-z0-9_.-]+/g, '-')}`.replace(/-+$/, '');
  s.volumes.add(name);
  report(s, 'info', 'anonymous-volume', `the anonymous volume at ${target} is named \`${name}\`: oci-containers makes a new container at every start, which would start with an empty anonymous volume`, origin, `copy the old volume's data (docker inspect shows its directory) into the volume ${name}`);
  flag(s, '--volume', `${name}:${target}${mode}`, origin);
}

function longVolume(item: CMap, s: ServiceScope): void {
  const type = text(child(item, 'type')) ?? 'volume';
  const source = text(child(item, 'source'));
  const target = text(child(item, 'target')) ?? '';
  const readOnly = bool(child(item, 'read_only')) === true;
  const bind = child(item, 'bind');
  const volume = child(item, 'volume');
  const origin = item.origin;
  const unused = (key: string, why: string) => {
    const e = isCMap(item) ? item.entries.get(key) : undefined;
    if (e) settle(s, e, 'dropped', why, `volumes[${target}].${key}`);
  };
  unused('consistency', 'a Docker Desktop (macOS) setting; Linux ignores it');
  switch (type) {
    case 'bind': {
      if (source === undefined) return;
      const host = s.scope.hostPath(source, origin);
      const create = bool(child(bind, 'create_host_path'));
      const propagation = text(child(bind, 'propagation'));
      const selinux = text(child(bind, 'selinux'));
      const recursive = text(child(bind, 'recursive'));
      // create_host_path (true unless said) is `-v`'s behaviour: it makes a missing source. `--mount` refuses one, as `create_host_path: false` asks.
      if (create === false && selinux === undefined) {
        const opts = [`type=bind`, `source=${host}`, `target=${target}`, ...(readOnly ? ['readonly'] : []), ...(propagation ? [`bind-propagation=${propagation}`] : []), ...(recursive ? [`bind-recursive=${recursive}`] : [])];
        flag(s, '--mount', opts.join(','), origin);
        return;
      }
      const opts = [...(readOnly ? ['ro'] : []), ...(selinux ? [selinux] : []), ...(propagation ? [propagation] : [])];
      if (recursive) report(s, 'warning', 'bind-recursive', `bind.recursive \`${recursive}\` has no -v spelling; the mount is recursive (Docker's default)`, origin);
      flag(s, '--volume', `${host}:${target}${opts.length ? `:${opts.join(',')}` : ''}`, origin);
      return;
    }
    case 'volume': {
      const nocopy = bool(child(volume, 'nocopy')) === true;
      const subpath = text(child(volume, 'subpath'));
      const name = source === undefined || source === '' ? undefined : volumeName(s, source, origin);
      if (source !== undefined && source !== '' && name === undefined) return;
      if (name === undefined) {
        anonymous(s, target, origin, readOnly ? ':ro' : '');
        return;
      }
      if (subpath !== undefined) {
        flag(s, '--mount', [`type=volume`, `source=${name}`, `target=${target}`, `volume-subpath=${subpath}`, ...(nocopy ? ['volume-nocopy'] : []), ...(readOnly ? ['readonly'] : [])].join(','), origin);
        return;
      }
      const opts = [...(readOnly ? ['ro'] : []), ...(nocopy ? ['nocopy'] : [])];
      flag(s, '--volume', `${name}:${target}${opts.length ? `:${opts.join(',')}` : ''}`, origin);
      return;
    }
    case 'tmpfs': {
      const tmpfs = child(item, 'tmpfs');
      const opts = [text(child(tmpfs, 'size')) === undefined ? undefined : `size=${text(child(tmpfs, 'size'))!}`, text(child(tmpfs, 'mode')) === undefined ? undefined : `mode=${text(child(tmpfs, 'mode'))!}`].filter((o): o is string => o !== undefined);
      flag(s, '--tmpfs', `${target}${opts.length ? `:${opts.join(',')}` : ''}`, origin);
      return;
    }
    case 'image': {
      // nixport's mount model has no image mounts (Docker 28+), so the container's other settings can still be checked; this one is written out for the owner.
      const subpath = text(child(child(item, 'image'), 'subpath')) ?? text(child(volume, 'subpath'));
      const mount = [`type=image`, `source=${source ?? ''}`, `target=${target}`, ...(subpath ? [`image-subpath=${subpath}`] : []), ...(readOnly ? ['readonly'] : [])].join(',');
      settle(s, { key: `volumes[${target}]`, keyOrigin: origin, value: item }, 'unsupported', 'an image mount (Docker 28+), which nixport does not model');
      report(s, 'warning', 'image-mount', `the image mount of \`${source ?? ''}\` at ${target} is not converted`, origin, `add "--mount=${mount}" to the container's extraOptions (Docker 28 or newer, or podman)`);
      return;
    }
    default:
      settle(s, { key: `volumes[${target}]`, keyOrigin: origin, value: item }, 'unsupported', `a \`${type}\` mount is not something a Linux host has`);
      report(s, 'warning', 'mount-type', `the \`${type}\` mount at ${target} is not converted`, origin);
  }
}

function tmpfs(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) if (text(item) !== undefined) flag(s, '--tmpfs', text(item)!, item.origin);
}

function dependsOn(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [service, d] of e.value.entries) {
    const condition = (text(child(d.value, 'condition')) ?? 'service_started') as DependencyCondition;
    const required = bool(child(d.value, 'required')) !== false;
    const item = s.scope.ledger.item('key', `services.${s.name}.depends_on.${service}`, d.keyOrigin, s.item);
    const container = s.scope.containerOf.get(service);
    if (container === undefined) {
      s.scope.ledger.dropped(item, `${service} is not converted (its profile is not active) and the dependency is optional`);
      continue;
    }
    s.dependsOn.push({ service, container, condition, restart: bool(child(d.value, 'restart')) === true, required, item });
  }
}

function gpus(e: CEntry, s: ServiceScope): void {
  if (text(e.value) === 'all') {
    nvidiaNote(s, e.value.origin);
    return flag(s, '--device', 'nvidia.com/gpu=all', e.value.origin);
  }
  for (const item of items(e.value)) gpuRequest(item, s);
}

function nvidiaNote(s: ServiceScope, origin: Origin): void {
  report(s, 'info', 'gpu-cdi', 'NVIDIA GPUs are passed as CDI devices (nvidia.com/gpu=...), as NixOS provides them', origin, 'set hardware.nvidia-container-toolkit.enable = true on the new host');
}

/**
 * One device request. NixOS hands GPUs to containers through CDI
 * (hardware.nvidia-container-toolkit), so NVIDIA requests become
 * `--device nvidia.com/gpu=...` rather than `--gpus`, which needs Docker's
 * own NVIDIA runtime hook; `driver: cdi` names its devices itself.
 */
function gpuRequest(item: CNode, s: ServiceScope): void {
  const driver = text(child(item, 'driver'));
  const count = text(child(item, 'count'));
  const ids = items(child(item, 'device_ids')).map((i) => text(i) ?? '');
  if (driver === 'cdi') {
    for (const id of ids) flag(s, '--device', id, item.origin);
    return;
  }
  if (driver !== undefined && driver !== 'nvidia') {
    settle(s, { key: `device request ${driver}`, keyOrigin: item.origin, value: item }, 'unsupported', `the device driver \`${driver}\` has no docker run flag`);
    report(s, 'warning', 'device-driver', `the device request with driver \`${driver}\` is not converted`, item.origin, 'pass the device with --device in extraOptions by hand');
    return;
  }
  nvidiaNote(s, item.origin);
  const all = count === undefined || count === 'all' || count === '-1';
  const devices = ids.length > 0 ? ids : all ? ['all'] : Array.from({ length: Number(count) || 1 }, (_, i) => String(i));
  for (const d of devices) flag(s, '--device', `nvidia.com/gpu=${d}`, item.origin);
}

/** deploy: resources onto flags, restart_policy onto the restart policy and systemd's limits; Swarm settings dropped. */
function deploy(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [k, v] of e.value.entries) {
    switch (k) {
      case 'resources':
        resources(v, s);
        break;
      case 'restart_policy':
        restartPolicy(v, s);
        break;
      case 'replicas': {
        const n = Number(text(v.value) ?? '1');
        if (n === 1) settle(s, v, 'dropped', 'one replica is what a container is', 'deploy.replicas');
        else {
          settle(s, v, 'unsupported', `${n} replicas: oci-containers runs one container per declaration`, 'deploy.replicas');
          report(s, 'warning', 'replicas', `deploy.replicas ${n}: one container is declared`, v.keyOrigin, 'declare more containers by hand if the service needs them');
        }
        break;
      }
      default:
        settle(s, v, 'dropped', 'a Swarm setting; a single host has no use for it', `deploy.${k}`);
    }
  }
}

function resources(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [side, part] of e.value.entries) {
    if (!isCMap(part.value)) continue;
    for (const [k, v] of part.value.entries) {
      const value = text(v.value);
      const at = `deploy.resources.${side}.${k}`;
      if (side === 'limits' && k === 'cpus' && value !== undefined) flag(s, '--cpus', value, v.value.origin);
      else if (side === 'limits' && k === 'memory' && value !== undefined) flag(s, '--memory', value, v.value.origin);
      else if (side === 'limits' && k === 'pids' && value !== undefined) flag(s, '--pids-limit', value, v.value.origin);
      else if (side === 'reservations' && k === 'memory' && value !== undefined) flag(s, '--memory-reservation', value, v.value.origin);
      else if (side === 'reservations' && k === 'cpus') settle(s, v, 'dropped', 'Docker has no CPU reservation for a container; Compose ignores it too', at);
      else if (side === 'reservations' && k === 'devices') for (const d of items(v.value)) gpuRequest(d, s);
      else {
        settle(s, v, 'unsupported', 'no docker run flag for it', at);
        report(s, 'warning', 'resource', `${at} is not converted`, v.keyOrigin);
      }
    }
  }
}

function restartPolicy(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  const condition = text(child(e.value, 'condition')) ?? 'any';
  const attempts = text(child(e.value, 'max_attempts'));
  const window = text(child(e.value, 'window'));
  const delay = text(child(e.value, 'delay'));
  const policy = condition === 'none' ? 'no' : condition === 'on-failure' ? 'on-failure' : 'always';
  // Compose lets deploy.restart_policy win over `restart:`.
  s.restartSet = true;
  flag(s, '--restart', policy === 'on-failure' && attempts !== undefined ? `on-failure:${attempts}` : policy, child(e.value, 'condition')?.origin ?? e.keyOrigin);
  const windowSeconds = window === undefined ? undefined : durationSeconds(window);
  s.restartLimits = {
    ...(attempts !== undefined && policy === 'on-failure' ? { maxAttempts: Number(attempts) } : {}),
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
    ...(delay !== undefined ? { delay } : {}),
    origin: e.keyOrigin,
  };
  for (const [k, v] of e.value.entries) {
    if (k === 'condition') continue;
    const item = s.scope.ledger.item('key', `services.${s.name}.deploy.restart_policy.${k}`, v.keyOrigin, s.item);
    if (k === 'max_attempts' && policy !== 'on-failure') s.scope.ledger.dropped(item, 'Docker counts retries only for on-failure');
    else if (k === 'delay' || k === 'window' || k === 'max_attempts') s.scope.ledger.carried(item, `systemd.services (RestartSec/StartLimit*)`, 'onto the container unit\'s restart settings');
    else s.scope.ledger.dropped(item, 'an extension field');
  }
}

function links(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    const raw = text(item) ?? '';
    const [service, alias] = raw.split(':');
    const container = containerRef(s, service ?? '', item.origin);
    if (container !== undefined) flag(s, '--link', `${container}:${alias ?? service ?? ''}`, item.origin);
  }
}

function volumesFrom(e: CEntry, s: ServiceScope): void {
  for (const item of items(e.value)) {
    const raw = text(item) ?? '';
    const mode = /:(ro|rw)$/.exec(raw)?.[1];
    const ref = mode ? raw.slice(0, -3) : raw;
    const container = containerRef(s, ref, item.origin);
    if (container !== undefined) flag(s, '--volumes-from', `${container}${mode ? `:${mode}` : ''}`, item.origin);
  }
}

function namespace(name: string) {
  return (e: CEntry, s: ServiceScope): void => {
    const v = text(e.value);
    if (v === undefined) return;
    if (v.startsWith('service:')) {
      const other = containerRef(s, v, e.value.origin);
      if (other !== undefined) flag(s, name, `container:${other}`, e.value.origin);
      return;
    }
    flag(s, name, v, e.value.origin);
  };
}

function secretsOrConfigs(kind: 'secrets' | 'configs') {
  return (e: CEntry, s: ServiceScope): void => {
    for (const item of items(e.value)) {
      const source = text(isCMap(item) ? child(item, 'source') : item) ?? '';
      const written = text(child(item, 'target'));
      const prefix = kind === 'secrets' ? '/run/secrets/' : '/';
      const target = written === undefined ? `${prefix}${source}` : written.startsWith('/') ? written : `${prefix}${written}`;
      const ref = (kind === 'secrets' ? s.scope.secrets : s.scope.configs).get(source);
      if (kind === 'secrets') {
        const item2 = s.scope.ledger.item('key', `services.${s.name}.secrets.${source}`, item.origin, s.item);
        const uid = text(child(item, 'uid'));
        const gid = text(child(item, 'gid'));
        const mode = text(child(item, 'mode'));
        s.secrets.push({ secret: s.scope.secrets.get(source)?.name ?? source, target, item: item2, ...(uid ? { uid } : {}), ...(gid ? { gid } : {}), ...(mode ? { mode: Number(mode) } : {}) });
        continue;
      }
      if (ref?.file !== undefined) {
        flag(s, '--volume', `${ref.file}:${target}:ro`, item.origin);
        if (isCMap(item) && (child(item, 'uid') || child(item, 'gid') || child(item, 'mode'))) {
          report(s, 'info', 'config-owner', `config ${source}: uid, gid and mode are not applied to a bind-mounted file`, item.origin, `set the owner and mode of ${ref.file} on the host`);
        }
        continue;
      }
      settle(s, { key: `configs.${source}`, keyOrigin: item.origin, value: item }, 'unsupported', ref?.external ? 'an external (Swarm) config' : 'the config has no file on the host (inline `content:` or `environment:`)');
      report(s, 'warning', 'config', `config ${source} is not mounted: only configs backed by a file can be bound into the container`, item.origin, `write the config to a file and mount it at ${target} with a volume`);
    }
  };
}

function pullPolicy(e: CEntry, s: ServiceScope): void {
  const v = text(e.value) ?? '';
  const docker: Readonly<Record<string, string>> = { always: 'always', never: 'never', missing: 'missing', if_not_present: 'missing' };
  if (docker[v]) return flag(s, '--pull', docker[v], e.value.origin);
  if (v === 'build') {
    settle(s, e, 'unsupported', 'the image is built by Compose; nixport does not build images');
    return;
  }
  settle(s, e, 'unsupported', `\`${v}\` is a Compose pull schedule docker run does not have`);
  report(s, 'info', 'pull-policy', `pull_policy \`${v}\` has no docker run equivalent; the image is pulled when missing`, e.value.origin, 'set pull = "always" on the container to update it at every start');
}

function build(e: CEntry, s: ServiceScope): void {
  s.build = e;
}

function image(e: CEntry, s: ServiceScope): void {
  const v = text(e.value);
  if (v === undefined) return settle(s, e, 'dropped', 'empty');
  s.image = { value: v, origin: e.value.origin };
  // The image is no flag: its own item, settled with the container.
  s.scope.ledger.item('key', `services.${s.name}.image`, e.keyOrigin, s.item);
}

function scale(e: CEntry, s: ServiceScope): void {
  const n = Number(text(e.value) ?? '1');
  if (n === 1) return settle(s, e, 'dropped', 'one container is what the service runs');
  settle(s, e, 'unsupported', `${n} containers: oci-containers declares one per name`);
  report(s, 'warning', 'scale', `scale ${n}: one container is declared`, e.value.origin, 'declare more containers by hand if the service needs them');
}

function labelsOf(name: string) {
  const inner = assignments(name, 'empty');
  return (e: CEntry, s: ServiceScope): void => {
    inner(e, s);
    // compose2nix reads settings from labels; people moving from it have them.
    const own = isCMap(e.value) ? [...e.value.entries.values()].filter((l) => l.key.startsWith('compose2nix.')) : [];
    if (own.length > 0) {
      report(s, 'info', 'compose2nix-label', `${own.map((l) => `\`${l.key}\``).join(', ')}: compose2nix settings, kept as labels; nixport does not read them`, own[0]!.keyOrigin, `set what they say on virtualisation.oci-containers.containers.${s.container} or systemd.services.<backend>-${s.container} by hand`);
    }
  };
}

const handled = (doc: string): ServiceKey => ({ status: 'translated', doc, read: () => undefined });

/** One entry per service key of the Compose Specification's schema. */
export const SERVICE_KEYS: Readonly<Record<string, ServiceKey>> = {
  annotations: translated('--annotation', assignments('--annotation', 'empty')),
  attach: dropped('logs go to the journal whether or not a client attaches'),
  blkio_config: translated('--blkio-weight, --blkio-weight-device, --device-read/write-bps/iops', blkio),
  build: { status: 'unsupported', doc: 'not built: with an image, the image is used; without one the service is not converted (hint: build it with Nix dockerTools, or push it to a registry)', read: build },
  cap_add: translated('capabilities (true)', each('--cap-add')),
  cap_drop: translated('capabilities (false)', each('--cap-drop')),
  cgroup: translated('--cgroupns', single('--cgroupns')),
  cgroup_parent: translated('--cgroup-parent', single('--cgroup-parent')),
  command: translated('cmd (a string is split as Compose splits it)', command('command')),
  configs: { status: 'partly', doc: 'file configs bind-mounted read-only at their target; inline and Swarm configs reported', read: secretsOrConfigs('configs') },
  container_name: handled('the container\'s attribute name'),
  cpu_count: translated('--cpu-count (Windows only; dropped by the oci mapping)', single('--cpu-count')),
  cpu_percent: translated('--cpu-percent (Windows only; dropped by the oci mapping)', single('--cpu-percent')),
  cpu_period: translated('--cpu-period', single('--cpu-period')),
  cpu_quota: translated('--cpu-quota', single('--cpu-quota')),
  cpu_rt_period: translated('--cpu-rt-period', single('--cpu-rt-period')),
  cpu_rt_runtime: translated('--cpu-rt-runtime', single('--cpu-rt-runtime')),
  cpu_shares: translated('--cpu-shares', single('--cpu-shares')),
  cpus: translated('--cpus', single('--cpus')),
  cpuset: translated('--cpuset-cpus', single('--cpuset-cpus')),
  credential_spec: dropped('a Windows (gMSA) setting'),
  depends_on: translated('dependsOn; service_healthy and service_completed_successfully wait for the dependency (readiness gate)', dependsOn),
  deploy: { status: 'partly', doc: 'resources as --cpus/--memory/--pids-limit/--memory-reservation/--gpus/--device, restart_policy as the restart policy and systemd limits; Swarm settings dropped', read: deploy },
  develop: dropped('`compose watch` is a development feature'),
  device_cgroup_rules: translated('--device-cgroup-rule', each('--device-cgroup-rule')),
  devices: translated('devices (CDI names too)', devices),
  dns: translated('--dns', each('--dns')),
  dns_opt: translated('--dns-option', each('--dns-option')),
  dns_search: translated('--dns-search', each('--dns-search')),
  domainname: translated('--domainname', single('--domainname')),
  entrypoint: translated('entrypoint (first word) and cmd (the rest)', command('entrypoint')),
  env_file: translated('environmentFiles (paths on the host; secrets stay out of the store)', envFile),
  environment: translated('environment (secret-looking values go to an environment file)', environment),
  expose: translated('--expose', each('--expose')),
  extends: handled('merged when the project loads'),
  external_links: translated('--link', links),
  extra_hosts: translated('--add-host', extraHosts),
  gpus: translated('devices (NVIDIA GPUs as CDI devices nvidia.com/gpu=...)', gpus),
  group_add: translated('--group-add', each('--group-add')),
  healthcheck: translated('--health-cmd and the other --health-* flags; disable as --no-healthcheck', healthcheck),
  hostname: translated('hostname', single('--hostname')),
  image: translated('image', image),
  init: translated('--init', onOff('--init')),
  ipc: translated('--ipc (service:x as container:<x\'s container>)', namespace('--ipc')),
  isolation: translated('--isolation', single('--isolation')),
  label_file: translated('--label-file', each('--label-file')),
  labels: translated('labels', labelsOf('--label')),
  links: translated('--link', links),
  logging: translated('log-driver and --log-opt', logging),
  mac_address: translated('--mac-address', single('--mac-address')),
  mem_limit: translated('--memory', single('--memory')),
  mem_reservation: translated('--memory-reservation', single('--memory-reservation')),
  mem_swappiness: translated('--memory-swappiness', single('--memory-swappiness')),
  memswap_limit: translated('--memory-swap', single('--memory-swap')),
  models: unsupported('Docker Model Runner models have no NixOS equivalent', 'run the model server as a service of its own'),
  network_mode: translated('--network (service:x as container:<x\'s container>)', networkMode),
  networks: translated('networks with aliases, ipv4/ipv6 and MAC addresses; the networks are created by oneshot units', networks),
  oom_kill_disable: translated('--oom-kill-disable', onOff('--oom-kill-disable')),
  oom_score_adj: translated('--oom-score-adj', single('--oom-score-adj')),
  pid: translated('--pid', namespace('--pid')),
  pids_limit: translated('--pids-limit', single('--pids-limit')),
  platform: translated('--platform', single('--platform')),
  ports: translated('ports (long syntax written short; the firewall is opened)', ports),
  post_start: unsupported('lifecycle hooks run by Compose', 'add a systemd ExecStartPost that runs `docker exec` on the container'),
  pre_stop: unsupported('lifecycle hooks run by Compose', 'add a systemd ExecStop that runs `docker exec` on the container before it stops'),
  privileged: translated('privileged', onOff('--privileged')),
  profiles: {
    status: 'translated',
    doc: 'selects the services that are converted (--profile)',
    read: (e, s) => s.scope.ledger.carried(s.scope.ledger.item('key', `services.${s.name}.profiles`, e.keyOrigin, s.item), 'the services converted', 'its profile is active'),
  },
  provider: unsupported('a service provided by an external program, not a container', 'set the service up on NixOS by hand'),
  pull_policy: translated('pull', pullPolicy),
  pull_refresh_after: dropped('a Compose pull schedule; the module pulls when the image is missing'),
  read_only: translated('--read-only', onOff('--read-only')),
  restart: translated('the unit\'s Restart= (systemd restarts the container, with Docker-like backoff)', restart),
  runtime: translated('--runtime', single('--runtime')),
  scale: { status: 'partly', doc: 'one container; more are reported', read: scale },
  secrets: translated('mounted read-only at /run/secrets/<name> from a file outside the Nix store', secretsOrConfigs('secrets')),
  security_opt: translated('--security-opt', each('--security-opt')),
  shm_size: translated('--shm-size', single('--shm-size')),
  stdin_open: translated('--interactive', onOff('--interactive')),
  stop_grace_period: translated('--stop-timeout (the unit waits longer)', stopGracePeriod),
  stop_signal: translated('--stop-signal', single('--stop-signal')),
  storage_opt: translated('--storage-opt', assignments('--storage-opt', 'skip')),
  sysctls: translated('--sysctl', assignments('--sysctl', 'skip')),
  tmpfs: translated('--tmpfs', tmpfs),
  tty: translated('--tty', onOff('--tty')),
  ulimits: translated('--ulimit', ulimits),
  use_api_socket: translated('--use-api-socket', onOff('--use-api-socket')),
  user: translated('user', single('--user')),
  userns_mode: translated('--userns', single('--userns')),
  uts: translated('--uts', single('--uts')),
  volumes: translated('volumes (bind, named, tmpfs, image; subpath and create_host_path: false as --mount)', volumes),
  volumes_from: translated('--volumes-from', volumesFrom),
  working_dir: translated('workdir', single('--workdir')),
};

function blkio(e: CEntry, s: ServiceScope): void {
  if (!isCMap(e.value)) return;
  for (const [k, v] of e.value.entries) {
    if (k === 'weight') {
      if (text(v.value) !== undefined) flag(s, '--blkio-weight', text(v.value)!, v.value.origin);
      continue;
    }
    const name = { weight_device: '--blkio-weight-device', device_read_bps: '--device-read-bps', device_read_iops: '--device-read-iops', device_write_bps: '--device-write-bps', device_write_iops: '--device-write-iops' }[k];
    if (name === undefined) {
      settle(s, v, 'dropped', 'an extension field', `blkio_config.${k}`);
      continue;
    }
    for (const d of items(v.value)) {
      const path = text(child(d, 'path')) ?? '';
      const rate = text(child(d, k === 'weight_device' ? 'weight' : 'rate')) ?? '';
      flag(s, name, `${path}:${rate}`, d.origin);
    }
  }
}
