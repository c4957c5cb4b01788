/**
 * Worker "hosts" on one machine: a Linux bridge in the root network namespace with an address the
 * Temporal services listen on, and one network namespace per host joined to it by a veth pair, so a
 * test can cut one host's link (`ip link set <veth> down`) and heal it. Needs root (CAP_NET_ADMIN).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

function ip(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  return r.stdout;
}

/** Why network namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'network namespaces need root (CAP_NET_ADMIN); run as root to include the partition tests';
  const name = `fsprobe${randomBytes(3).toString('hex')}`;
  const r = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (r.status !== 0) return `\`ip netns add\` failed: ${(r.stderr || String(r.error)).trim()}`;
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

export interface Host {
  /** The namespace's name (`ip netns exec <ns> ...`). */
  ns: string;
  /** The host side of the veth pair, in the root namespace. */
  veth: string;
  ip: string;
  /** Link down: the host is cut off the network (its processes keep running). */
  cut(): void;
  heal(): void;
}

export interface Network {
  bridge: string;
  /** The bridge's address: what services listen on so the hosts reach them. */
  gatewayIp: string;
  addHost(): Host;
  /** Remove every namespace, veth and the bridge this network made. */
  destroy(): void;
}

/** A bridge on a free 10.231.x.0/24 subnet. */
export function createNetwork(): Network {
  const id = randomBytes(2).toString('hex');
  const used = ip(['-4', '-o', 'addr']);
  let third = -1;
  for (let tries = 0; tries < 200 && third < 0; tries++) {
    const n = 1 + Math.floor(Math.random() * 250);
    if (!used.includes(` 10.231.${n}.`)) third = n;
  }
  if (third < 0) throw new Error('no free 10.231.x.0/24 subnet for the cluster bridge');
  const bridge = `fsbr${id}`;
  const gatewayIp = `10.231.${third}.1`;
  ip(['link', 'add', bridge, 'type', 'bridge']);
  const hosts: Host[] = [];
  try {
    ip(['addr', 'add', `${gatewayIp}/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
  } catch (e) {
    spawnSync('ip', ['link', 'del', bridge]);
    throw e;
  }
  return {
    bridge,
    gatewayIp,
    addHost() {
      const n = hosts.length + 1;
      const ns = `fs${id}h${n}`;
      const veth = `fsv${id}h${n}`;
      const hostIp = `10.231.${third}.${10 + n}`;
      ip(['netns', 'add', ns]);
      const host: Host = {
        ns,
        veth,
        ip: hostIp,
        cut: () => void ip(['link', 'set', veth, 'down']),
        heal: () => void ip(['link', 'set', veth, 'up']),
      };
      hosts.push(host);
      ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', `${veth}p`]);
      ip(['link', 'set', `${veth}p`, 'netns', ns]);
      ip(['link', 'set', veth, 'master', bridge]);
      ip(['link', 'set', veth, 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', `${veth}p`, 'name', 'eth0']);
      ip(['-n', ns, 'addr', 'add', `${hostIp}/24`, 'dev', 'eth0']);
      ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      ip(['-n', ns, 'route', 'add', 'default', 'via', gatewayIp]);
      return host;
    },
    destroy() {
      for (const h of hosts) {
        spawnSync('ip', ['link', 'del', h.veth]);
        spawnSync('ip', ['netns', 'del', h.ns]);
      }
      spawnSync('ip', ['link', 'del', bridge]);
    },
  };
}
