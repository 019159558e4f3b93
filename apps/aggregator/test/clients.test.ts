import { describe, expect, it } from 'vitest';
import { requestInitFor } from '../src/clients.js';

describe('requestInitFor: the address range token and registration requests may reach', () => {
  it('is the non-public range the resource itself is on, as for its discovery', () => {
    expect(requestInitFor('http://localhost:3000/mcp')).toEqual({ allowAddressRanges: ['loopback'] });
    expect(requestInitFor('http://127.0.0.2:3000/mcp')).toEqual({ allowAddressRanges: ['loopback'] });
    expect(requestInitFor('http://[::1]:3000/mcp')).toEqual({ allowAddressRanges: ['loopback'] });
    expect(requestInitFor('https://10.1.2.3/mcp')).toEqual({ allowAddressRanges: ['private'] });
  });

  it('is nothing for a public address or a DNS name (a name proves nothing about where it lives)', () => {
    expect(requestInitFor('https://93.184.215.14/mcp')).toEqual({});
    expect(requestInitFor('https://mcp.internal.example/mcp')).toEqual({});
  });
});
