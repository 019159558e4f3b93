import { parseAddress } from './address-parse.js';
import { boundedMemo } from './bounded-memo.js';

/**
 * Well-known instance metadata and credential services of cloud providers, each the address an
 * attacker asks a server-side fetch to reach (IAM credentials, instance identity, Azure WireServer).
 */
const CLOUD_METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254', // AWS IMDS, GCP, Azure IMDS, OCI, DigitalOcean, OpenStack, Hetzner, …
  '169.254.170.2', // AWS ECS task metadata and credentials
  '169.254.170.23', // AWS EKS Pod Identity agent
  '169.254.0.23', // Tencent Cloud metadata
  '100.100.100.200', // Alibaba Cloud metadata
  '192.0.0.192', // Oracle Cloud (legacy metadata)
  '168.63.129.16', // Azure WireServer (host agent, certificates)
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // AWS EKS Pod Identity agent over IPv6
  'fd20:ce::254', // GCP metadata server over IPv6
];

const NORMALIZED = new Set(CLOUD_METADATA_ADDRESSES.map((ip) => parseAddress(ip)?.toNormalizedString()));

/**
 * True for a cloud metadata service address, in any spelling (IPv4-mapped or IPv4-compatible IPv6
 * included; NAT64 and 6to4 forms are checked through their embedded IPv4 by `isAddressAllowed`).
 * No resource range unlocks these: a resource on a link-local or unique-local address may reach its
 * neighbours, never the metadata service of the machine it runs on.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
 */
export function isCloudMetadataAddress(ip: string): boolean {
  return cloudMetadataAddress(ip);
}

const cloudMetadataAddress = boundedMemo((ip: string): boolean => {
  const address = parseAddress(ip);
  return address !== undefined && NORMALIZED.has(address.toNormalizedString());
});
