/**
 * WeCom callback crypto (PLATFORMS.md "Callback crypto"), for self-built apps and the 智能机器人 in API mode.
 * Pure; written here because `@wecom/crypto` neither checks the receive id nor compares signatures in constant time.
 *
 *  signature = hex(sha1(sort([token, timestamp, nonce, encrypt]).join('')))
 *  key = base64(EncodingAESKey + '='): 32 bytes; AES-256-CBC with IV = key[0..16); PKCS#7 padding to a multiple of 32
 *  plaintext = random(16) ‖ uint32BE(len(msg)) ‖ msg ‖ receiveid   (receiveid: the corp id for apps, "" for the bot)
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

export class WeComCryptoError extends Error {
  constructor(
    readonly reason: 'bad_signature' | 'bad_key' | 'bad_padding' | 'bad_length' | 'wrong_receiver',
    message: string,
  ) {
    super(message);
  }
}

export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

export function verifySignature(token: string, timestamp: string, nonce: string, encrypt: string, given: string): boolean {
  const expected = Buffer.from(signature(token, timestamp, nonce, encrypt));
  const got = Buffer.from(String(given).toLowerCase());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function aesKey(encodingAESKey: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (encodingAESKey.length !== 43 || key.length !== 32) throw new WeComCryptoError('bad_key', 'EncodingAESKey must be 43 characters (32 bytes)');
  return key;
}

/** Decrypts and checks the receive id: a message for another corp (or app) is refused, not quietly accepted. */
export function decrypt(encodingAESKey: string, encrypt: string, expectedReceiveId: string): string {
  const key = aesKey(encodingAESKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false); // Tencent pads to 32, which Node's PKCS#7 (16) rejects — e.g. its own 22-byte sample
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  const pad = padded[padded.length - 1];
  if (pad < 1 || pad > BLOCK || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
    throw new WeComCryptoError('bad_padding', 'invalid PKCS#7 padding');
  }
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < 20) throw new WeComCryptoError('bad_length', 'message too short');
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new WeComCryptoError('bad_length', 'message length out of range');
  const msg = plain.subarray(20, 20 + len).toString('utf8');
  const receiveId = plain.subarray(20 + len).toString('utf8');
  if (receiveId !== expectedReceiveId) throw new WeComCryptoError('wrong_receiver', `receive id "${receiveId}" is not ours`);
  return msg;
}

export function encrypt(encodingAESKey: string, msg: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKey(encodingAESKey);
  const body = Buffer.from(msg, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([random, len, body, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** Signature check, then decryption — the order that keeps a forged message from costing us an AES run. */
export function openCallback(
  p: { token: string; encodingAESKey: string; receiveId: string },
  q: { msgSignature: string; timestamp: string; nonce: string; encrypt: string },
): string {
  if (!verifySignature(p.token, q.timestamp, q.nonce, q.encrypt, q.msgSignature)) throw new WeComCryptoError('bad_signature', 'signature mismatch');
  return decrypt(p.encodingAESKey, q.encrypt, p.receiveId);
}
