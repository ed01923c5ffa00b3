import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, parsePayloadKeys, PayloadKeyError } from './codec';

const key = () => crypto.randomBytes(32).toString('base64');

describe('payload encryption', () => {
  it('round-trips a payload and leaves no plain text in the encoded bytes', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const payload = defaultPayloadConverter.toPayload({ name: 'Evelyn Marsh', birthDate: '1948-03-14' })!;
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toMatch(/Evelyn|1948-03-14/);
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ name: 'Evelyn Marsh', birthDate: '1948-03-14' });
  });

  it('reads payloads written under an older key after the current key rotates', async () => {
    const k1 = key();
    const old = new EncryptionCodec(parsePayloadKeys(`k1:${k1}`));
    const [encoded] = await old.encode([defaultPayloadConverter.toPayload('claim CF123')!]);
    const rotated = new EncryptionCodec(parsePayloadKeys(`k2:${key()},k1:${k1}`));
    const [decoded] = await rotated.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toBe('claim CF123');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload('x')!]);
    expect(new TextDecoder().decode(fresh.metadata!['encryption-key-id'])).toBe('k2');
  });

  it('refuses a tampered payload, an unknown key and a malformed key', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')!]);
    const tampered = { ...encoded, data: Buffer.from(encoded.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    await expect(new EncryptionCodec(parsePayloadKeys(`k9:${key()}`)).decode([encoded])).rejects.toBeInstanceOf(PayloadKeyError);
    expect(() => parsePayloadKeys('k1:short')).toThrow(PayloadKeyError);
  });
});
