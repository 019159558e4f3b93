import { describe, expect, it } from 'vitest';
import { resourceAddressRanges } from './resource-ranges.js';

describe('resourceAddressRanges', () => {
  it.each([
    ['http://localhost:3000/mcp', ['loopback']],
    ['http://mcp.localhost/mcp', ['loopback']],
    ['http://127.0.0.2:8080/mcp', ['loopback']],
    ['http://[::1]:8080/mcp', ['loopback']],
    ['https://10.1.2.3/mcp', ['private']],
    ['https://192.168.0.10/mcp', ['private']],
    ['https://[fd00::1]/mcp', ['uniqueLocal']],
    ['https://93.184.216.34/mcp', []],
    // A name proves nothing about where it lives: never resolved for this.
    ['https://intranet.example/mcp', []],
  ])('%s → %j', (resource, ranges) => {
    expect(resourceAddressRanges(resource)).toEqual(ranges);
  });
});
