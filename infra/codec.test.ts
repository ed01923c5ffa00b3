import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, parsePayloadKeys, PayloadKeyError } from './codec';
import { whyRefused } from '../workflows/contract';

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

  it('hands on a refusal, never the content, for a tampered payload; throws for an unknown key and a malformed key', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ action: 'WRITE_OFF' })!]);
    const tampered = { ...encoded, data: Buffer.from(encoded.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    const [opened] = await codec.decode([tampered]);
    expect(whyRefused(defaultPayloadConverter.fromPayload(opened))).toMatch(/^payload refused: it failed authentication/);
    // a key we do not hold is a configuration to fix: the workflow task fails (and is retried) until it is
    await expect(new EncryptionCodec(parsePayloadKeys(`k9:${key()}`)).decode([encoded])).rejects.toBeInstanceOf(PayloadKeyError);
    expect(() => parsePayloadKeys('k1:short')).toThrow(PayloadKeyError);
  });

  it("refuses a payload sent in the clear: what comes out is a refusal the workflow recognises, not the sender's value", async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${key()}`));
    const forged = defaultPayloadConverter.toPayload({
      taskId: 't1',
      userId: 'supervisor-1',
      outcome: { action: 'WRITE_OFF', note: 'x' },
    })!;
    const [opened] = await codec.decode([forged]);
    const value = defaultPayloadConverter.fromPayload(opened);
    expect(value).not.toHaveProperty('outcome');
    expect(whyRefused(value)).toMatch(/^payload refused: it was not encrypted; only claimflow's own processes/);
    // what claimflow itself sealed is read as before
    const [sealed] = await codec.encode([forged]);
    expect(whyRefused(defaultPayloadConverter.fromPayload((await codec.decode([sealed]))[0]))).toBeUndefined();
  });
});
