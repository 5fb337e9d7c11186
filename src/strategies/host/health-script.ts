/**
 * The health check around system.autoUpgrade, as a POSIX shell script (it
 * runs under bash in NixOS, and under any sh in nixport's tests, which stub
 * the commands it calls). health.ts explains the design; in short:
 *
 *   may-upgrade  ExecCondition of nixos-upgrade.service: skip upgrades while
 *                a rollback holds them (exit 1), until a person removes the hold
 *   record       ExecStartPre of nixos-upgrade.service: remember the running
 *                system and which probes pass before the upgrade
 *   settle       ExecStopPost of nixos-upgrade.service: forget the record
 *                when the upgrade itself failed (nothing to check)
 *   check        after a successful upgrade (OnSuccess=) and at every boot:
 *                when a new system runs, probe again, up to TRIES times,
 *                INTERVAL seconds apart; if a probe that passed before still
 *                fails, make the remembered system the current one again and
 *                hold further upgrades
 *
 * Only regressions count: a probe that failed before the upgrade (a data
 * disk not unlocked yet, a service that was already broken) never causes a
 * rollback. Every path it reads can be moved by an environment variable,
 * for the tests.
 */
export const HEALTH_SCRIPT = `# nixport health check around system.autoUpgrade (see README.md, "Updates and rollback").
set -u
set -f

state=\${NIXPORT_HEALTH_STATE:-/var/lib/nixport-health}
probes=\${NIXPORT_HEALTH_PROBES:-/etc/nixport/health-probes}
tries=\${NIXPORT_HEALTH_TRIES:-10}
interval=\${NIXPORT_HEALTH_INTERVAL:-30}
current_system=\${NIXPORT_CURRENT_SYSTEM:-/run/current-system}
booted_system=\${NIXPORT_BOOTED_SYSTEM:-/run/booted-system}
profile=\${NIXPORT_SYSTEM_PROFILE:-/nix/var/nix/profiles/system}

log() {
  echo "nixport-health: $*"
}

# probe KIND ARGUMENT...: succeeds when the thing probed is healthy.
probe() {
  kind=$1
  shift
  case $kind in
    unit) systemctl is-active --quiet "$1" ;;
    tcp) timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" ;;
    http) curl --fail --silent --max-time 10 --output /dev/null "$1" ;;
    *)
      log "unknown probe kind '$kind'"
      return 2
      ;;
  esac
}

# The lines of a probe list ("SERVICE KIND ARGUMENT...") whose probe passes (or fails) now.
select_probes() {
  want=$1
  list=$2
  while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    set -- $line
    shift
    if probe "$@" </dev/null >/dev/null 2>&1; then ok=pass; else ok=fail; fi
    if [ "$ok" = "$want" ]; then printf '%s\\n' "$line"; fi
  done <"$list"
}

forget() {
  rm -f "$state/previous" "$state/baseline"
}

record() {
  mkdir -p "$state"
  select_probes pass "$probes" >"$state/baseline.new"
  mv "$state/baseline.new" "$state/baseline"
  readlink -f "$current_system" >"$state/previous.new"
  mv "$state/previous.new" "$state/previous"
  log "before the upgrade: $(cat "$state/previous"), $(wc -l <"$state/baseline") probe(s) pass"
}

same_boot_files() {
  for f in kernel initrd kernel-modules; do
    [ "$(readlink -f "$1/$f")" = "$(readlink -f "$2/$f")" ] || return 1
  done
}

rollback() {
  previous=$1
  current=$2
  log "rolling back from $current to $previous"
  nix-env --profile "$profile" --set "$previous"
  if [ "$(readlink -f "$booted_system")" = "$current" ] && ! same_boot_files "$previous" "$current"; then
    # The new kernel runs: the old system needs a reboot to come back.
    "$previous/bin/switch-to-configuration" boot
    systemctl reboot
  else
    "$previous/bin/switch-to-configuration" switch
  fi
}

check() {
  if [ ! -f "$state/previous" ]; then
    log "no upgrade to check"
    return 0
  fi
  previous=$(cat "$state/previous")
  current=$(readlink -f "$current_system")
  if [ "$current" = "$previous" ]; then
    if [ "$(readlink -f "$profile")" = "$previous" ]; then
      log "the upgrade changed nothing"
      forget
    else
      log "the new system starts with the next boot; checking then"
    fi
    return 0
  fi
  watched=$state/watched
  grep -F -x -f "$state/baseline" "$probes" >"$watched" || true
  attempt=1
  while :; do
    failing=$(select_probes fail "$watched")
    if [ -z "$failing" ]; then
      log "healthy after the upgrade to $current ($(wc -l <"$watched") probe(s))"
      rm -f "$watched"
      forget
      return 0
    fi
    if [ "$attempt" -ge "$tries" ]; then break; fi
    attempt=$((attempt + 1))
    sleep "$interval"
  done
  log "these probes passed before the upgrade and fail after it:"
  printf '%s\\n' "$failing" | while IFS= read -r line; do log "  $line"; done
  printf 'rolled back from %s to %s\\n%s\\n' "$current" "$previous" "$failing" >"$state/hold"
  rm -f "$watched"
  forget
  rollback "$previous" "$current"
  log "upgrades are held until $state/hold is removed"
  return 1
}

may_upgrade() {
  if [ -e "$state/hold" ]; then
    log "upgrades are held since a rollback ($(head -n 1 "$state/hold")); remove $state/hold to resume"
    return 1
  fi
  return 0
}

settle() {
  if [ "\${SERVICE_RESULT:-success}" != success ]; then
    log "the upgrade failed ($SERVICE_RESULT); nothing to check"
    forget
  fi
  return 0
}

case \${1:-} in
  record) record ;;
  check) check ;;
  may-upgrade) may_upgrade ;;
  settle) settle ;;
  *)
    echo "usage: $0 record|check|may-upgrade|settle" >&2
    exit 2
    ;;
esac
`;
