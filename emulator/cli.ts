// `npm run emulator -- [--port N] [--host H] [--users N] [--seed S] [--rate-limit RPS[:BURST]] [--latency MS]
//  [--fail-rate P] [--data FILE] [--cert-dir DIR] [--ephemeral-clients]` — its first stdout line is one JSON object
// other tools parse; keep it exact. Started by Tenant Desk (the local tenant), it stops when Tenant Desk goes away.
import { parseArgs } from 'node:util';
import { parseRateLimit, startEmulator, type EmulatorOptions } from './index.js';

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(2);
}

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`--${name} expects a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) fail(`--${name} must be between ${min} and ${max}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        users: { type: 'string' },
        seed: { type: 'string' },
        'rate-limit': { type: 'string' },
        latency: { type: 'string' },
        'fail-rate': { type: 'string' },
        data: { type: 'string' },
        'cert-dir': { type: 'string' },
        'ephemeral-clients': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const options: EmulatorOptions = {
    port: intOption('port', values.port, 0, 65535) ?? 0,
    host: values.host ?? '127.0.0.1',
    users: intOption('users', values.users, 0, 2_000_000) ?? 0,
    seed: values.seed ?? 'tenant-desk',
    latencyMs: intOption('latency', values.latency, 0, 600_000) ?? 0,
  };
  if (values['rate-limit'] !== undefined) {
    try {
      options.rateLimit = parseRateLimit(values['rate-limit']);
    } catch (err) {
      fail((err as Error).message);
    }
  }
  if (values['fail-rate'] !== undefined) {
    const p = Number(values['fail-rate']);
    if (!Number.isFinite(p) || p < 0 || p > 1)
      fail(`--fail-rate expects a probability between 0 and 1, got "${values['fail-rate']}"`);
    options.failRate = p;
  }
  if (values.data) options.dataFile = values.data;
  if (values['cert-dir']) options.certDir = values['cert-dir'];
  // New client credentials at every start, never written to the data file (Tenant Desk keeps them in the keychain).
  if (values['ephemeral-clients']) options.persistClients = false;

  const emu = await startEmulator(options);
  // Handlers go in before the first line is printed: a caller may signal as soon as it has read it.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emu
      .close()
      .then(() => {
        process.stderr.write(
          `Local tenant stopped (${signal})${options.dataFile ? `, saved ${options.dataFile}` : ''}\n`,
        );
        process.exit(0);
      })
      .catch((err: unknown) => {
        process.stderr.write(`emulator: failed to stop cleanly: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Forked by Tenant Desk (an IPC channel): when the app goes away, so does its local tenant — saved first.
  if (process.send) process.on('disconnect', () => stop('Tenant Desk exited'));
  process.stdout.write(
    `${JSON.stringify({
      domain: emu.domain,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      audience: emu.audience,
      caCertFile: emu.caCertFile,
      clients: emu.clients,
    })}\n`,
  );
  process.stderr.write(`Local tenant listening on ${emu.url} (Ctrl+C to stop)\n`);
}

main().catch((err: unknown) => fail((err as Error).message));
