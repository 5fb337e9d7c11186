// A large but realistic cloud-config: many docker units like the example's,
// with mounts, published ports and restarts, so every pass has work to do.
export function generatedCloudConfig(units) {
  const lines = ['#cloud-config', 'hostname: bench', 'coreos:', '  units:'];
  lines.push(
    '    - name: unlock.service',
    '      command: start',
    '      content: |',
    '        [Service]',
    '        Type=oneshot',
    '        ExecStart=/bin/sh -c "vgchange -ay"',
    '        ExecStart=/bin/mount /dev/mapper/data-data /srv',
  );
  for (let i = 0; i < units - 1; i++) {
    lines.push(
      `    - name: app${i}.service`,
      '      command: start',
      '      content: |',
      '        [Unit]',
      `        Description=app ${i}`,
      '        After=docker.service',
      '        Requires=docker.service',
      '        [Service]',
      '        Restart=always',
      '        StartLimitInterval=0',
      `        ExecStartPre=-/usr/bin/docker rm -f app${i}`,
      `        ExecStart=/usr/bin/docker run --name app${i} -p ${10000 + (i % 50000)}:80 \\`,
      `          -v /srv/app${i}:/data -e TZ=Europe/Zurich --log-driver=journald nginx:1`,
    );
  }
  return lines.join('\n') + '\n';
}
