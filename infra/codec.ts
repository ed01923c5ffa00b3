// Encrypts every Temporal payload (workflow inputs, results, signals, updates, queries, activity
// arguments and, with the failure converter below, failure messages) with AES-256-GCM, so that a claim's
// dates, codes and notes never sit in Temporal's history in plain text. The key id travels in the
// payload's metadata: old payloads stay readable after the encrypting key rotates.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { REFUSED_PAYLOAD_KEY } from '../workflows/contract';
import { dataDirSecret } from './dataDir';
import {
  defaultPayloadConverter,
  METADATA_ENCODING_KEY,
  type DataConverter,
  type FailureConverter,
  type LoadedDataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
// @temporalio/proto is CommonJS whose exports Node's ESM loader cannot see by name: require it (tsx, Node, vitest alike).
const { temporal } = createRequire(import.meta.url)('@temporalio/proto') as typeof import('@temporalio/proto');

const ENCODING = 'binary/encrypted';
export const FAILURE_CONVERTER_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'failureConverter.cjs');
const enc = new TextEncoder();
const dec = new TextDecoder();

export class PayloadKeyError extends Error {}

export interface PayloadKeys {
  /** id of the key new payloads are encrypted with */
  current: string;
  keys: Map<string, Buffer>;
}

/** "id:base64key,id2:base64key2" with the first (or CLAIMFLOW_PAYLOAD_KEY_ID) as the current key. */
export function parsePayloadKeys(spec: string, currentId?: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id, b64] = part.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) throw new PayloadKeyError(`payload key "${id ?? '?'}" must be "id:<32 bytes in base64>"`);
    keys.set(id, key);
  }
  const current = currentId ?? [...keys.keys()][0];
  if (!current || !keys.has(current)) throw new PayloadKeyError('no current payload key: set CLAIMFLOW_PAYLOAD_KEYS');
  return { current, keys };
}

/** The settings loadPayloadKeys reads (Config's CLAIMFLOW_DATA_DIR, CLAIMFLOW_PAYLOAD_KEYS and CLAIMFLOW_PAYLOAD_KEY_ID). */
export interface PayloadKeySettings {
  dataDir: string;
  payloadKeys?: string;
  payloadKeyId?: string;
}

/** Keys from CLAIMFLOW_PAYLOAD_KEYS, or one generated once and kept in the data dir for the embedded setup. */
export function loadPayloadKeys({ dataDir, payloadKeys, payloadKeyId }: PayloadKeySettings): PayloadKeys {
  if (payloadKeys) return parsePayloadKeys(payloadKeys, payloadKeyId);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return parsePayloadKeys(dataDirSecret(dataDir, 'payload-keys', () => `local1:${crypto.randomBytes(32).toString('base64')}`));
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.keys.get(this.keys.current)!, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: enc.encode(ENCODING), 'encryption-key-id': enc.encode(this.keys.current) },
        data: body,
      };
    });
  }

  /**
   * Only what one of our keys sealed gets through. A payload sent in the clear (anyone who reaches Temporal's
   * port can send an Update or a signal with the `temporal` CLI) or one that fails authentication comes out as
   * a refusal (`refusedPayload`), which the workflow refuses in words: an Update is rejected with the reason, a
   * signal is dropped. Throwing here instead would fail the workflow task, and a signal's payload stays in the
   * history for good: every replay would fail again and the claim would never move. A payload sealed with a key
   * we do not have throws: that is a configuration to fix (add the key), not a message to drop.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata || dec.decode(p.metadata[METADATA_ENCODING_KEY]) !== ENCODING) return refusedPayload('it was not encrypted');
      const keyId = dec.decode(p.metadata['encryption-key-id']);
      const key = this.keys.keys.get(keyId);
      if (!key) throw new PayloadKeyError(`payload was encrypted with key "${keyId}", which is not configured`);
      const body = Buffer.from(p.data ?? new Uint8Array());
      if (body.length < 12 + 16) return refusedPayload('its ciphertext is truncated');
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
        decipher.setAuthTag(body.subarray(body.length - 16));
        const plain = Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        return refusedPayload('it failed authentication (tampered, or sealed by someone else)');
      }
    });
  }
}

/** What a payload the codec will not open decodes to: a value the workflow recognises and refuses. */
export function refusedPayload(why: string): Payload {
  return defaultPayloadConverter.toPayload({
    [REFUSED_PAYLOAD_KEY]: `payload refused: ${why}; only claimflow's own processes, holding its payload key, may send to a claim`,
  })!;
}

/** For workers and workflow bundles: the codec, and the failure converter by path (the sandbox loads it too). */
export function workerDataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** For clients: the same, already loaded. */
export function clientDataConverter(keys: PayloadKeys): LoadedDataConverter {
  const { failureConverter } = createRequire(import.meta.url)(FAILURE_CONVERTER_PATH) as { failureConverter: FailureConverter };
  return { payloadConverter: defaultPayloadConverter, failureConverter, payloadCodecs: [new EncryptionCodec(keys)] };
}
