import { describe, expect, it } from 'vitest';
import type { OpenPort } from '../../src/model/analysis.ts';
import { analyseFirewall, isLoopback } from '../../src/passes/firewall.ts';
import { Builder, codes } from './build.ts';
import { seedHost } from './seed.ts';

/** `tcp 8200 @10.0.0.252 healthz.service` */
const show = (p: OpenPort) =>
  `${p.protocol} ${p.from === p.to ? p.from : `${p.from}-${p.to}`}${p.boundTo ? ` @${p.boundTo}` : ''} ${p.unit}`;

function firewall(units: Record<string, string>) {
  const b = new Builder();
  const host = b.host(Object.entries(units).map(([name, text]) => b.unit(name, text)));
  const result = analyseFirewall(host, b.ledger);
  return { ...result, shown: result.ports.map(show), ledger: b.ledger };
}

describe('firewall pass', () => {
  it('opens the seed services ports (samba, healthz bound to its address, jellyfin on the host network)', () => {
    const { host, ledger } = seedHost();
    const result = analyseFirewall(host, ledger);
    expect(result.ports.map(show)).toEqual([
      'tcp 137 samba.service',
      'tcp 138 samba.service',
      'tcp 139 samba.service',
      'tcp 445 samba.service',
      'tcp 8200 @10.0.0.252 healthz.service',
    ]);
    expect(result.hostNetwork.map((h) => h.unit)).toEqual(['jellyfin.service', 'node-exporter.service']);
    expect(result.hostNetwork[0]!.origin).toEqual(
      expect.objectContaining({ file: 'jellyfin.service' }),
    );
    expect(ledger.diagnostics).toEqual([]);
  });

  it('keeps the origin of the -p flag', () => {
    const { host, ledger, units } = seedHost();
    const port = analyseFirewall(host, ledger).ports.find((p) => p.from === 8200)!;
    const flag = units.healthz.directives.find((d) => d.key === 'ExecStart')!.exec!.docker!.flags.find((f) => f.name === '--publish')!;
    expect(port.origin).toBe(flag.item.origin);
  });

  it('opens ranges and UDP (samba as -p 137-139/udp)', () => {
    const { shown } = firewall({
      'samba.service': '[Service]\nExecStart=/usr/bin/docker run -p 137-139:137-139/udp -p 445:445 smb\n',
    });
    expect(shown).toEqual(['tcp 445 samba.service', 'udp 137-139 samba.service']);
  });

  it('does not open ports bound to loopback', () => {
    const { shown, ledger } = firewall({
      'a.service': '[Service]\nExecStart=docker run -p 127.0.0.1:8080:80 -p [::1]:8081:80 -p 0.0.0.0:8082:80 -p [::]:8083:80 img\n',
    });
    expect(shown).toEqual(['tcp 8082 a.service', 'tcp 8083 a.service']);
    expect(codes(ledger)).toEqual(['info firewall/loopback', 'info firewall/loopback']);
  });

  it('reports what it cannot open: SCTP, random host ports, -P', () => {
    const { shown, ledger } = firewall({
      'a.service': '[Service]\nExecStart=docker run -p 9000:9000/sctp -p 80 -P img\n',
    });
    expect(shown).toEqual([]);
    expect(codes(ledger)).toEqual(['warning firewall/publish-all', 'warning firewall/sctp', 'warning firewall/random-host-port']);
  });

  it('opens the network ports socket units listen on, not local sockets or loopback', () => {
    const { shown, ledger } = firewall({
      'web.socket': '[Socket]\nListenStream=8080\nListenStream=10.0.0.5:8443\nListenDatagram=[::]:5353\nListenStream=127.0.0.1:9000\nListenStream=/run/web.sock\nListenStream=@abstract\n',
    });
    expect(shown).toEqual(['tcp 8080 web.socket', 'tcp 8443 @10.0.0.5 web.socket', 'udp 5353 web.socket']);
    expect(codes(ledger)).toEqual(['info firewall/loopback']);
  });

  it('keeps the Docker API socket reachable as it was, with a warning that it gives root', () => {
    const { shown, ledger } = firewall({
      'docker-tcp.socket': '[Socket]\nListenStream=4243\nService=docker.service\nBindIPv6Only=both\n',
    });
    expect(shown).toEqual(['tcp 4243 docker-tcp.socket']);
    expect(codes(ledger)).toEqual(['warning firewall/docker-api']);
  });

  it('says that -p means nothing with --network host', () => {
    const { shown, hostNetwork, ledger } = firewall({
      'a.service': '[Service]\nExecStart=docker run --network host -p 80:80 img\n',
    });
    expect(shown).toEqual([]);
    expect(hostNetwork.map((h) => h.unit)).toEqual(['a.service']);
    expect(codes(ledger)).toEqual(['info firewall/host-network-publish']);
  });

  it('deduplicates identical ports across units, the same way whatever the unit order', () => {
    const units = {
      'b.service': '[Service]\nExecStart=docker run -p 80:80 -p 10.0.0.1:443:443 img\n',
      'a.service': '[Service]\nExecStart=docker run -p 80:8080 -p 10.0.0.2:443:443 img\n',
    };
    const forward = firewall(units).shown;
    const backward = firewall(Object.fromEntries(Object.entries(units).reverse())).shown;
    expect(forward).toEqual(['tcp 80 a.service', 'tcp 443 @10.0.0.1 b.service', 'tcp 443 @10.0.0.2 a.service']);
    expect(backward).toEqual(forward);
  });

  it('ignores docker commands that publish nothing (pull, kill, rm)', () => {
    const { shown, hostNetwork } = firewall({ 'a.service': '[Service]\nExecStartPre=docker pull img\nExecStop=docker rm -f x\n' });
    expect([shown, hostNetwork]).toEqual([[], []]);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.252', false],
    ['::', false],
    ['fe80::1', false],
  ])('isLoopback(%j) is %j', (ip, expected) => {
    expect(isLoopback(ip)).toBe(expected);
  });
});
