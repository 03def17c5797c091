// Preloaded with `node --import` by tests that prove a command tries no network: every DNS look-up
// and every outgoing TCP connection to a host that is not loopback is appended to the file named by
// ONAIR_NET_LOG, then refused here without any packet leaving (ENOTFOUND / ECONNREFUSED).
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

const log = process.env.ONAIR_NET_LOG;
const loopback = (host) => host === undefined || host === 'localhost' || /^127\./.test(host) || host === '::1';
const record = (what) => {
  if (log) appendFileSync(log, `${what}\n`);
};

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    if (loopback(host)) return original.call(this, host, ...rest);
    record(`dns.${name} ${host}`);
    const callback = rest.find((arg) => typeof arg === 'function');
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (offline test)`), { code: 'ENOTFOUND', hostname: host });
    if (callback) process.nextTick(callback, error);
  };
}
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: args[1] };
  if (!options || options.path !== undefined || loopback(options.host)) return connect.apply(this, args);
  record(`connect ${options.host}:${options.port}`);
  process.nextTick(() => this.destroy(Object.assign(new Error(`connect ECONNREFUSED ${options.host} (offline test)`), { code: 'ECONNREFUSED' })));
  return this;
};
syncBuiltinESMExports();
