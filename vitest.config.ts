import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Every workspace folder with a package.json becomes a vitest project named after its package. */
const projectDirs = ['packages', 'apps']
  .flatMap((group) => (existsSync(group) ? readdirSync(group).map((name) => `${group}/${name}`) : []))
  .concat(['bench'])
  .filter((dir) => existsSync(`${dir}/package.json`));

export default defineConfig({
  resolve: { conditions: ['@oauth-discovery/source'] },
  ssr: { resolve: { conditions: ['@oauth-discovery/source'] } },
  test: {
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/').pop() ?? dir,
        root: dir,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 20_000,
        hookTimeout: 30_000,
      },
    })),
  },
});
