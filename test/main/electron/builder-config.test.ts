// The packaging config: valid for the installed electron-builder, with the Electron fuses flipped that the security
// checklist asks for, and the app loading only the bundles and the built renderer.
import { readFileSync } from 'node:fs';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

type Configuration = Awaited<ReturnType<typeof getConfig>>;
let config: Configuration;
// Read the way `electron-builder --config electron-builder.yml` reads it.
beforeAll(async () => {
  config = await getConfig(process.cwd(), 'electron-builder.yml', null);
});

describe('electron-builder.yml', () => {
  it('matches the schema of the installed electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips the fuses: no RunAsNode, no inspect arguments, only the ASAR, checked for integrity', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the bundles package.json points at, and the native addons (@napi-rs/keyring, better-sqlite3) outside the archive', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/electron.cjs');
    // electron-builder normalises file patterns into { filter } sets.
    const patterns = [config.files]
      .flat()
      .flatMap((f) => (typeof f === 'string' ? [f] : [f?.filter ?? []].flat()));
    expect(patterns).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**']));
    expect([config.asarUnpack].flat()).toEqual(
      expect.arrayContaining([
        'node_modules/@napi-rs/keyring-*/**/*.node',
        'node_modules/better-sqlite3/**/*.node',
      ]),
    );
  });
});
