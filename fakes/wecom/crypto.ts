import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * WeCom callback crypto (PLATFORMS.md, "Callback crypto"), written out by hand so the fake does not share a bug with
 * `@wecom/crypto` or the adapter:
 *   signature = hex(sha1(sort([token, timestamp, nonce, encrypt]).join('')))
 *   key       = base64decode(EncodingAESKey + '=')  (43 chars → 32 bytes), IV = key[0:16], AES-256-CBC
 *   plaintext = random(16) ‖ uint32BE(len(msg)) ‖ msg (UTF-8) ‖ receiveid, PKCS#7-padded to a multiple of 32 (1..32)
 * Node's own padding works on 16-byte blocks and throws on Tencent's 17..32-byte pads, so it is switched off.
 */

const BLOCK = 32;

export function signature(token: string, timestamp: string | number, nonce: string | number, encrypt: string): string {
  const parts = [token, String(timestamp), String(nonce), encrypt].sort();
  return createHash('sha1').update(parts.join('')).digest('hex');
}

export function aesKey(encodingAESKey: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (encodingAESKey.length !== 43 || key.length !== 32) throw new Error('invalid EncodingAESKey: 43 characters expected');
  return key;
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): { data: Buffer; pad: number } {
  const n = data.length ? data[data.length - 1] : 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new Error(`invalid PKCS#7 padding ${n}`);
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new Error('invalid PKCS#7 padding bytes');
  }
  return { data: data.subarray(0, data.length - n), pad: n };
}

export function encrypt(encodingAESKey: string, message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKey(encodingAESKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random, len, msg, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export interface Decrypted {
  message: string;
  receiveId: string;
  random: Buffer;
  /** The PKCS#7 pad length found (1..32); Tencent's own POST sample has 22. */
  pad: number;
}

export function decrypt(encodingAESKey: string, encrypted: string): Decrypted {
  const key = aesKey(encodingAESKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const { data, pad } = pkcs7Unpad(padded);
  if (data.length < 20) throw new Error('decrypted payload too short');
  const len = data.readUInt32BE(16);
  if (20 + len > data.length) throw new Error('message length beyond payload');
  return {
    random: data.subarray(0, 16),
    message: data.subarray(20, 20 + len).toString('utf8'),
    receiveId: data.subarray(20 + len).toString('utf8'),
    pad,
  };
}

/** One party's settings: a self-built app (receiveId = corpid) or the in-corp AI bot (receiveId = ""). */
export class CallbackCrypto {
  constructor(
    readonly token: string,
    readonly encodingAESKey: string,
    readonly receiveId: string,
  ) {
    aesKey(encodingAESKey);
  }

  seal(message: string, timestamp: string, nonce: string): { encrypt: string; signature: string } {
    const enc = encrypt(this.encodingAESKey, message, this.receiveId);
    return { encrypt: enc, signature: signature(this.token, timestamp, nonce, enc) };
  }

  /** Verify and decrypt; throws on a wrong signature or receiveid. */
  open(msgSignature: string, timestamp: string, nonce: string, encrypted: string): string {
    if (signature(this.token, timestamp, nonce, encrypted) !== msgSignature) throw new Error('signature mismatch');
    const d = decrypt(this.encodingAESKey, encrypted);
    if (d.receiveId !== this.receiveId) throw new Error(`receiveid mismatch: ${JSON.stringify(d.receiveId)}`);
    return d.message;
  }
}

/** Numeric nonce and second timestamp, as WeCom sends them. */
export function nonce(): string {
  return String(randomBytes(4).readUInt32BE(0));
}
