import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { atlassianV1World, testScope } from '@oauth-discovery/testkit';
import { browserSkipReason, screenshotPage } from '@oauth-discovery/testkit/browser';
import { createRecommendedPipeline } from 'oauth-discovery';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDiscoverySvg } from '../src/index.js';

const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));
const scope = testScope();
afterEach(() => scope.close());

describe('the waterfall in a browser', () => {
  const skip = browserSkipReason();
  it.skipIf(skip !== undefined)(
    `Chromium draws the Atlassian v1 waterfall (a non-blank picture of the SVG’s size)${skip === undefined ? '' : ` — skipped: ${skip}`}`,
    async () => {
      const shape = atlassianV1World({ latencyMs: 20 });
      const world = await scope.world(shape);
      const pipeline = createRecommendedPipeline({ presets: false });
      const result = await pipeline.discover(shape.expect.resource(world)).finally(() => pipeline.close());
      const svg = renderDiscoverySvg(result) ?? '';
      await mkdir(OUTPUT, { recursive: true });
      const file = `${OUTPUT}atlassian-v1.svg`;
      await writeFile(file, svg);
      const shot = await screenshotPage(pathToFileURL(file).href, `${OUTPUT}atlassian-v1.png`);
      const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
      expect(shot.width).toBeGreaterThanOrEqual(width);
      expect(shot.height).toBeGreaterThan(200);
      expect(shot.distinctColors).toBeGreaterThan(20);
    },
  );
});
