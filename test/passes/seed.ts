/**
 * The units of the seed post (a NAS moved from CoreOS to NixOS), as the old
 * host had them. unlock, healthz and samba are the post's cloud-config units;
 * jellyfin and the node exporter are written back from their NixOS ports
 * (sections N4 and N1) the way a CoreOS unit of that time looked.
 */
import { Builder } from './build.ts';

export const UNLOCK = String.raw`
[Unit]
Description=unlock hard drive
Wants=network.target
After=systemd-networkd-wait-online.service
Before=samba.service

[Service]
Type=oneshot
RemainAfterExit=yes
# Wait until the host is actually reachable.
ExecStart=/bin/sh -c "c=0; while [ $c -lt 5 ]; do /bin/ping6 -n -c 1 r.zekjur.net && break; c=$((c+1)); sleep 1; done"
ExecStart=/bin/sh -c "[ -e \"/dev/mapper/S5SSNF0T205183F_crypt\" ] || (echo -n my_local_secret && wget --retry-connrefused --ca-directory=/dev/null --ca-certificate=/etc/ssl/certs/r.zekjur.net.crt -qO - https://r.zekjur.net:8443/nascrypto) | /sbin/cryptsetup --key-file=- luksOpen /dev/disk/by-id/ata-Samsung_SSD_870_QVO_8TB_S5SSNF0T205183F S5SSNF0T205183F_crypt"
ExecStart=/bin/sh -c "vgchange -ay"
ExecStart=/bin/mount /dev/mapper/data-data /srv
`;

export const HEALTHZ = String.raw`
[Unit]
Description=nginx for /srv health check
Wants=network.target
After=srv.mount
Requires=srv.mount
StartLimitInterval=0

[Service]
Restart=always
ExecStartPre=/bin/sh -c 'systemctl is-active docker.service'
ExecStartPre=/usr/bin/docker pull nginx:1
ExecStartPre=-/usr/bin/docker kill nginx-healthz
ExecStartPre=-/usr/bin/docker rm -f nginx-healthz
ExecStart=/usr/bin/docker run \
    --name nginx-healthz \
    --publish 10.0.0.252:8200:80 \
    --log-driver=journald \
    nginx:1
`;

export const SAMBA = String.raw`
[Unit]
Description=samba server
After=docker.service unlock.mount
Requires=docker.service unlock.mount

[Service]
Restart=always
StartLimitInterval=0

# Always pull the latest version (bleeding edge).
ExecStartPre=-/usr/bin/docker pull stapelberg/docker-samba:latest
ExecStartPre=-/usr/bin/docker kill smb
ExecStartPre=-/usr/bin/docker rm smb
ExecStartPre=-/usr/bin/docker rm smb-prep
ExecStartPre=/usr/bin/docker run --name smb-prep stapelberg/docker-samba sh -c 'adduser --quiet --disabled-password --gecos "" --uid 29901 michael'
ExecStartPre=/usr/bin/docker commit smb-prep smb-prepared
ExecStartPre=/usr/bin/docker rm smb-prep

ExecStart=/usr/bin/docker run \
  -p 137:137 \
  -p 138:138 \
  -p 139:139 \
  -p 445:445 \
  --tmpfs=/run \
  -v /srv/data:/srv/data \
  --name smb \
  -t \
  smb-prepared \
    /usr/sbin/smbd --foreground --debug-stdout --no-process-group
`;

export const JELLYFIN = String.raw`
[Unit]
Description=jellyfin
After=docker.service
Requires=docker.service

[Service]
Restart=always
ExecStartPre=-/usr/bin/docker pull lscr.io/linuxserver/jellyfin:latest
ExecStartPre=-/usr/bin/docker rm jellyfin
ExecStart=/usr/bin/docker run \
  --rm \
  --net=host \
  --name=jellyfin \
  -e TZ=Europe/Zurich \
  -v /srv/jellyfin/config:/config \
  -v /srv/data/movies:/data/movies:ro \
  -v /srv/data/series:/data/series:ro \
  -v /srv/data/mp3:/data/mp3:ro \
  lscr.io/linuxserver/jellyfin:latest
`;

export const NODE_EXPORTER = String.raw`
[Unit]
Description=Prometheus node exporter
After=docker.service tailscaled.service
Requires=docker.service

[Service]
Restart=always
RestartSec=1
ExecStartPre=-/usr/bin/docker rm -f node-exporter
ExecStart=/usr/bin/docker run --rm --name node-exporter --net=host -v /:/host:ro quay.io/prometheus/node-exporter:latest --path.rootfs=/host
`;

export const RRSYNC_KEY =
  'command="docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna" ssh-rsa AAAAB3Npublickey root@midna';

export const SYNC_KEY =
  'command="/usr/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/data:/srv/data stapelberg/docker-sync",no-port-forwarding,no-X11-forwarding ssh-ed25519 AAAAC3Npublickey sync@dr';

export function seedHost(b = new Builder()) {
  const units = {
    unlock: b.unit('unlock.service', UNLOCK),
    healthz: b.unit('healthz.service', HEALTHZ),
    samba: b.unit('samba.service', SAMBA),
    jellyfin: b.unit('jellyfin.service', JELLYFIN),
    nodeExporter: b.unit('node-exporter.service', NODE_EXPORTER),
  };
  const keys = { rrsync: b.key('root', RRSYNC_KEY), sync: b.key('root', SYNC_KEY) };
  const host = b.host(Object.values(units), { authorizedKeys: Object.values(keys) });
  return { b, ledger: b.ledger, host, units, keys };
}
