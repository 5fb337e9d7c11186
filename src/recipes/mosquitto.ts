import type { VolumeSpec } from '../model/docker.ts';
import { boundAddress, keptOr } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Mosquitto. nixpkgs: nixos/modules/services/networking/mosquitto.nix:
 * the module writes mosquitto.conf itself (per_listener_settings true):
 * listeners (a list of { port (1883), address (null: every address),
 * users.<name>.{password, passwordFile, hashedPassword,
 * hashedPasswordFile, acl}, acl (lines before the users' ones),
 * omitPasswordAuth, settings (listener keys: protocol, certfile,
 * allow_anonymous, ...) }); each listener gets the password-file and
 * ACL-file plugins with files the unit writes into dataDir at start, so
 * a listener without users lets nobody log in unless allow_anonymous;
 * persistence (true), logType, logDest (["stderr"]), settings (global
 * keys), dataDir (/var/lib/mosquitto, the user's home; the unit's working
 * directory, where mosquitto.db is kept). Unit mosquitto.service (user
 * `mosquitto`, Restart=on-failure, Type=notify).
 *
 * The image (eclipse-mosquitto) reads /mosquitto/config/mosquitto.conf
 * and keeps mosquitto.db in /mosquitto/data. A mosquitto.conf the old host
 * was provisioned with (write_files) is translated listener by listener,
 * with its password and ACL files; without it, the listeners come from
 * the published ports and authentication is the user's to set up.
 */

/** Keys the module takes in a listener's settings (its freeformListenerKeys). */
const LISTENER_KEYS = new Set([
  'accept_protocol_versions', 'allow_anonymous', 'allow_zero_length_clientid', 'auto_id_prefix', 'bind_interface', 'cafile', 'capath', 'certfile', 'ciphers',
  'ciphers_tls1.3', 'crlfile', 'dhparamfile', 'disable_client_cert_date_checks', 'enable_proxy_protocol', 'http_dir', 'keyfile', 'listener_allow_anonymous',
  'listener_auto_id_prefix', 'max_connections', 'max_qos', 'max_topic_alias', 'mount_point', 'protocol', 'proxy_protocol_v2_require_tls', 'psk_file', 'psk_hint',
  'require_certificate', 'socket_domain', 'tls_engine', 'tls_engine_kpass_sha1', 'tls_keyform', 'tls_version', 'use_identity_as_username',
  'use_subject_as_username', 'use_username_as_clientid', 'websockets_origin',
]);

/** Keys the module takes in its global settings (its freeformGlobalKeys). */
const GLOBAL_KEYS = new Set([
  'allow_duplicate_messages', 'autosave_interval', 'autosave_on_changes', 'check_retain_source', 'connection_messages', 'enable_control_api', 'global_max_clients',
  'global_max_connections', 'log_facility', 'log_timestamp', 'log_timestamp_format', 'max_inflight_bytes', 'max_inflight_messages', 'max_keepalive',
  'max_packet_size', 'max_queued_bytes', 'max_queued_messages', 'memory_limit', 'message_size_limit', 'persistent_client_expiration', 'queue_qos0_messages',
  'retain_available', 'retain_expiry_interval', 'set_tcp_nodelay', 'sys_interval', 'upgrade_outgoing_qos', 'websockets_headers_size', 'websockets_log_level',
]);

/** Keys that mean nothing natively: the module or systemd does it. */
const IMPLIED: Readonly<Record<string, string>> = {
  per_listener_settings: 'the module always writes per_listener_settings true',
  persistence_location: 'the module keeps mosquitto.db in dataDir',
  persistence_file: 'the module keeps mosquitto.db in dataDir',
  log_dest: 'the broker logs to the journal (services.mosquitto.logDest)',
  pid_file: 'systemd tracks the process',
  user: 'the module runs the broker as `mosquitto`',
};

export const mosquitto: ModuleRecipe = {
  kind: 'module',
  app: 'mosquitto',
  title: 'Mosquitto MQTT broker',
  images: ['eclipse-mosquitto', 'ghcr.io/eclipse/mosquitto'],
  module: 'services.mosquitto',
  unit: { name: 'mosquitto', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'mosquitto', group: 'mosquitto' },
  ports: [
    { container: 1883, what: 'MQTT', port: 1883 },
    { container: 8883, what: 'MQTT over TLS', port: 8883 },
    { container: 9001, what: 'MQTT over websockets', port: 9001 },
    { container: 8080, what: 'MQTT over websockets', port: 8080 },
  ],
  volumes: [
    { target: '/mosquitto/data', holds: 'mosquitto.db (retained messages, persistent sessions and subscriptions)', set: { dataDir: keptOr('/var/lib/mosquitto') } },
    { target: '/mosquitto/log', holds: 'the log file', drop: 'the broker logs to the journal' },
  ],
  steps: [
    { title: 'Check that the broker answers', detail: '`mosquitto_sub -h 127.0.0.1 -p <port> -u <user> -P <password> -t \'$SYS/broker/version\' -C 1` prints the version.', phase: 'switched' },
  ],
  differences: [
    'the module writes mosquitto.conf itself: one password file and one ACL file per listener, made at each start from services.mosquitto.listeners.*.users',
    'runs as the system user `mosquitto`; mosquitto.db stays in dataDir, which must belong to it',
  ],
  extra: configure,
};

interface Listener {
  port: number;
  address?: string;
  settings: Record<string, string | number | boolean>;
  acl: string[];
  users: Record<string, { hashedPasswordFile: string; acl?: string[] }>;
  passwordFile?: string;
  aclFile?: string;
  omitPasswordAuth?: boolean;
}

function configure(r: RecipeContext): void {
  const conf = r.input.volumes.find((v) => v.target === '/mosquitto/config' || v.target === '/mosquitto/config/mosquitto.conf');
  const text = conf ? confText(r, conf) : undefined;
  const listeners = text !== undefined ? fromConf(r, text) : fromPorts(r);
  if (conf) {
    if (text !== undefined) r.claim(conf.flag, 'services.mosquitto.listeners', 'mosquitto.conf, its password and ACL files, translated');
    else r.unsupported(conf.flag, 'mosquitto.conf is not among the files the old host was provisioned with, so nixport cannot translate it', 'write the listeners, users and ACLs in services.mosquitto.listeners');
  }
  placePorts(r, listeners);
  r.set(
    'listeners',
    listeners.map((l) => ({
      port: l.port,
      ...(l.address ? { address: l.address } : {}),
      ...(Object.keys(l.users).length > 0 ? { users: l.users } : {}),
      ...(l.acl.length > 0 ? { acl: l.acl } : {}),
      ...(l.omitPasswordAuth ? { omitPasswordAuth: true } : {}),
      ...(Object.keys(l.settings).length > 0 ? { settings: l.settings } : {}),
    })),
    text !== undefined ? 'The listeners of the old mosquitto.conf.' : 'One listener per published port; authentication is yours to set (see the report).',
  );
}

/** mosquitto.conf: the file itself (a file volume) or mosquitto.conf in the config directory, from write_files. */
function confText(r: RecipeContext, v: VolumeSpec): string | undefined {
  if (v.kind !== 'bind' || v.source === undefined) return undefined;
  const path = v.target.endsWith('.conf') ? v.source : `${v.source.replace(/\/+$/, '')}/mosquitto.conf`;
  return r.input.files.get(path)?.text;
}

/** A container path of a file the configuration names, as the host path its volume binds. */
function hostPath(r: RecipeContext, containerPath: string): string | undefined {
  const v = r.input.volumes.find((x) => x.kind === 'bind' && x.source !== undefined && (containerPath === x.target || containerPath.startsWith(`${x.target.replace(/\/+$/, '')}/`)));
  return v ? `${v.source!.replace(/\/+$/, '')}${containerPath.slice(v.target.replace(/\/+$/, '').length)}` : undefined;
}

function fromConf(r: RecipeContext, text: string): Listener[] {
  const listeners: Listener[] = [];
  const global: Listener = { port: 1883, settings: {}, acl: [], users: {} };
  let current: Listener | undefined;
  let perListener = false;
  const logTypes: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key = '', ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    if (key === 'listener') {
      current = { port: Number(rest[0]), ...(rest[1] ? { address: rest[1] } : {}), settings: {}, acl: [], users: {} };
      listeners.push(current);
    } else if (key === 'per_listener_settings') {
      perListener = value === 'true';
    } else if (key === 'password_file') {
      (perListener && current ? current : global).passwordFile = value;
    } else if (key === 'acl_file') {
      (perListener && current ? current : global).aclFile = value;
    } else if (key === 'persistence') {
      r.set('persistence', value === 'true', `persistence ${value} in the old mosquitto.conf.`);
    } else if (key === 'log_type') {
      logTypes.push(value);
    } else if (key in IMPLIED) {
      r.report('info', 'mosquitto/implied', `${r.service}: \`${line}\` is not carried: ${IMPLIED[key]}`);
    } else if (LISTENER_KEYS.has(key)) {
      (current && (perListener || !['allow_anonymous'].includes(key)) ? current : global).settings[key] = scalar(pathValue(r, key, value));
    } else if (GLOBAL_KEYS.has(key)) {
      r.set(`settings.${JSON.stringify(key)}`, scalar(value), `${key} in the old mosquitto.conf.`);
    } else {
      r.report('warning', 'mosquitto/directive', `${r.service}: \`${line}\` of the old mosquitto.conf is not carried: the module has no place for it`, undefined, 'see the module\'s listeners, bridges and settings options');
    }
  }
  if (logTypes.length > 0) r.set('logType', logTypes, 'log_type of the old mosquitto.conf.');
  if (listeners.length === 0) listeners.push({ port: 1883, settings: {}, acl: [], users: {} });
  for (const l of listeners) {
    // Without per_listener_settings, authentication and anonymous access applied to every listener.
    for (const [k, val] of Object.entries(global.settings)) if (!(k in l.settings)) l.settings[k] = val;
    authentication(r, l, l.passwordFile ?? global.passwordFile, l.aclFile ?? global.aclFile);
  }
  return listeners;
}

/** Certificate and other file paths of a listener, as host paths. */
function pathValue(r: RecipeContext, key: string, value: string): string {
  if (!/file$|path$|dir$/.test(key) || !value.startsWith('/')) return value;
  return hostPath(r, value) ?? value;
}

function scalar(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * The password file's users, each with its hash in a secret file
 * (hashedPasswordFile); the ACL file's lines as the listener's acl
 * (without one every topic was open: `pattern readwrite #` keeps it so).
 * Without a password file the old listener took anyone its
 * allow_anonymous let in: omitPasswordAuth keeps that.
 */
function authentication(r: RecipeContext, l: Listener, passwordFile: string | undefined, aclFile: string | undefined): void {
  if (passwordFile === undefined) {
    l.omitPasswordAuth = true;
  } else {
    const host = hostPath(r, passwordFile);
    const text = host === undefined ? undefined : r.input.files.get(host)?.text;
    if (text === undefined) {
      r.report('warning', 'mosquitto/passwords', `${r.service}: the password file ${passwordFile} is not among the files the old host was provisioned with; the listener on ${l.port} lets nobody log in until its users are set`, undefined, `for each line user:hash of ${host ?? passwordFile}, set services.mosquitto.listeners.*.users.<user>.hashedPasswordFile to a file holding the hash`);
    } else {
      for (const entry of text.split('\n')) {
        const colon = entry.indexOf(':');
        if (colon <= 0) continue;
        const user = entry.slice(0, colon).trim();
        const hash = entry.slice(colon + 1).trim();
        // The path goes into the listener's entry (listeners.*.users.<user>.hashedPasswordFile).
        const path = r.secretFile({ name: `${l.port}-${user}.hash`, content: hash, purpose: `the password hash of the MQTT user ${user} (listener ${l.port})`, flags: [] });
        l.users[user] = { hashedPasswordFile: path };
      }
    }
  }
  if (aclFile === undefined) {
    // The module always loads an ACL file, and an empty one denies every topic: the old broker had none.
    l.acl.push('pattern readwrite #');
  } else {
    const host = hostPath(r, aclFile);
    const text = host === undefined ? undefined : r.input.files.get(host)?.text;
    if (text === undefined) {
      r.report('warning', 'mosquitto/acl', `${r.service}: the ACL file ${aclFile} is not among the files the old host was provisioned with; the listener on ${l.port} allows no topic until its ACL is set`, undefined, 'write its lines into services.mosquitto.listeners.*.acl (or per user, users.<user>.acl)');
    } else {
      l.acl.push(...text.split('\n').map((x) => x.trim()).filter((x) => x !== '' && !x.startsWith('#')));
    }
  }
}

/** Without a configuration: one listener per published port, websockets on 9001/8080. */
function fromPorts(r: RecipeContext): Listener[] {
  const ports = r.input.network === 'host' ? [1883] : [...new Set(r.input.ports.filter((p) => p.protocol === 'tcp').map((p) => p.containerPort.from))];
  r.report('warning', 'mosquitto/auth', `${r.service}: the broker's configuration could not be read; its listeners come from the published ports and let nobody log in until users are set`, undefined, 'set services.mosquitto.listeners.*.users (hashedPasswordFile), or settings.allow_anonymous = true where anonymous access was allowed');
  return ports.map((port): Listener => ({ port, settings: port === 9001 || port === 8080 ? { protocol: 'websockets' } : {}, acl: [], users: {} }));
}

/** A listener listens on the host now: on the published port and address. */
function placePorts(r: RecipeContext, listeners: Listener[]): void {
  for (const p of r.input.ports) {
    const l = listeners.find((x) => x.port === p.containerPort.from);
    if (!l || !p.hostPort || p.hostPort.from !== p.hostPort.to) continue;
    l.port = p.hostPort.from;
    const bound = boundAddress(p.hostIp);
    if (bound !== undefined) l.address = bound;
    r.claim(p.flag, 'services.mosquitto.listeners', `a listener on ${p.hostPort.from}${bound ? ` (${bound})` : ''}`);
  }
}
