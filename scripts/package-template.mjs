// Writes the files every workspace package shares: package.json, tsconfig.json and tsconfig.build.json (the
// scripts call scripts/package.mjs and the tsconfigs extend tsconfig.package*.json: one definition for all).
// Used when a package is created (see scripts/new-preset.mjs); kept here so every package has one shape.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} dir           folder of the package, relative to the repository root
 * @param {object} manifest      name, description, private, dependencies, peerDependencies, devDependencies, bin
 */
export function writePackageSkeleton(dir, manifest) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const depth = dir.split('/').length;
  const up = '../'.repeat(depth);
  const pkg = {
    name: manifest.name,
    version: '0.0.0',
    description: manifest.description,
    ...(manifest.private ? { private: true } : {}),
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    ...(manifest.bin ? { bin: manifest.bin } : {}),
    exports: {
      '.': {
        '@oauth-discovery/source': './src/index.ts',
        types: './dist/index.d.ts',
        default: './dist/index.js',
      },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'src', '!src/**/*.test.ts', '!src/**/*.test-helper.ts'],
    scripts: {
      build: `node ${up}scripts/package.mjs build`,
      typecheck: `node ${up}scripts/package.mjs typecheck`,
      test: `node ${up}scripts/package.mjs test`,
      ...(manifest.private ? {} : { publint: `node ${up}scripts/package.mjs publint` }),
    },
    ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
    ...(manifest.peerDependencies ? { peerDependencies: manifest.peerDependencies } : {}),
    ...(manifest.devDependencies ? { devDependencies: manifest.devDependencies } : {}),
    ...(manifest.private ? {} : { publishConfig: { access: 'public' } }),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // The compiler options and include lists live once at the root (tsconfig.package*.json).
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ extends: `${up}tsconfig.package.json` }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'tsconfig.build.json'),
    `${JSON.stringify({ extends: `${up}tsconfig.package.build.json` }, null, 2)}\n`,
  );
}
