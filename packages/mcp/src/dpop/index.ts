export { checkTokenType } from '../engine/token-type.js';
export { usableDPoPAlgorithms } from './algorithm.js';
export { type DPoPKey, decodeDPoPKey, encodeDPoPKey, generateDPoPKey, type StoredDPoPKey } from './key.js';
export { createDPoPNonces, type DPoPNonces, isUseDPoPNonce } from './nonce.js';
export {
  DPOP_ALGORITHMS,
  type DPoPAlgorithm,
  type DPoPOptions,
  type DPoPPolicy,
  type DPoPSetting,
  dpopPolicy,
} from './options.js';
export { createDPoPProof, type DPoPProofRequest, dpopAth, dpopHtu } from './proof.js';
export { createSessionDPoP, isDPoPBound, type SessionDPoP } from './session-keys.js';
