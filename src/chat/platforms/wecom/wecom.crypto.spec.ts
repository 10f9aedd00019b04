import { createDecipheriv } from 'node:crypto';
import { aesKey, decrypt, encrypt, openCallback, signature, verifySignature, WeComCryptoError } from './wecom.crypto';

// Tencent's published vectors (weworkapi_python callback/Sample.py and PLATFORMS.md).
const A = { token: 'QDG6eK', key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', ts: '1409659589', nonce: '263014780' };
const A_ECHO = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const B = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', key: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corp: 'ww1436e0e65a779aee' };
const B_VERIFY = {
  sig: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  ts: '1476416373',
  nonce: '47744683',
  echo: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const B_POST = {
  sig: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
  ts: '1476422779',
  nonce: '1597212914',
  encrypt:
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
};

describe('WeCom callback crypto (PLATFORMS.md) against Tencent vectors', () => {
  it('URL verification vector: signature 5c45ff5e…, plaintext 1616140317555161061, receive id wx5823bf96d3bd56c7', () => {
    expect(signature(A.token, A.ts, A.nonce, A_ECHO)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(decrypt(A.key, A_ECHO, 'wx5823bf96d3bd56c7')).toBe('1616140317555161061');
  });

  it('the Sample.py verification vector opens with its corp id', () => {
    expect(
      openCallback(
        { token: B.token, encodingAESKey: B.key, receiveId: B.corp },
        { msgSignature: B_VERIFY.sig, timestamp: B_VERIFY.ts, nonce: B_VERIFY.nonce, encrypt: B_VERIFY.echo },
      ),
    ).toMatch(/^\d+$/);
  });

  it("the Sample.py POST vector — padded with 22 bytes, which Node's own PKCS#7 refuses — decrypts to the XML message", () => {
    // Show the 22-byte padding is really there (and why setAutoPadding(false) matters).
    const key = aesKey(B.key);
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    const raw = Buffer.concat([d.update(Buffer.from(B_POST.encrypt, 'base64')), d.final()]);
    expect(raw[raw.length - 1]).toBe(22);
    const xml = openCallback(
      { token: B.token, encodingAESKey: B.key, receiveId: B.corp },
      { msgSignature: B_POST.sig, timestamp: B_POST.ts, nonce: B_POST.nonce, encrypt: B_POST.encrypt },
    );
    expect(xml).toBe(
      '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
    );
  });

  it('refuses a forged signature (constant-time compare, any case) and a message for another receiver', () => {
    expect(verifySignature(B.token, B_POST.ts, B_POST.nonce, B_POST.encrypt, B_POST.sig.toUpperCase())).toBe(true);
    expect(verifySignature(B.token, B_POST.ts, B_POST.nonce, B_POST.encrypt, '0'.repeat(40))).toBe(false);
    expect(verifySignature(B.token, B_POST.ts, B_POST.nonce, B_POST.encrypt, 'short')).toBe(false);
    expect(() => decrypt(B.key, B_POST.encrypt, 'ww-someone-else')).toThrow(WeComCryptoError);
    try {
      openCallback(
        { token: 'wrong', encodingAESKey: B.key, receiveId: B.corp },
        { msgSignature: B_POST.sig, timestamp: B_POST.ts, nonce: B_POST.nonce, encrypt: B_POST.encrypt },
      );
      throw new Error('should not open');
    } catch (e) {
      expect((e as WeComCryptoError).reason).toBe('bad_signature');
    }
  });

  it("round-trips Chinese text, pads to multiples of 32 (1..32), and the bot's empty receive id", () => {
    for (const msg of ['', '你好', '督'.repeat(1000), 'x'.repeat(12)]) {
      const enc = encrypt(A.key, msg, '');
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(decrypt(A.key, enc, '')).toBe(msg);
    }
    // 16 random + 4 length + 12 message = 32: a full block of padding (32 bytes of 0x20), not none.
    expect(Buffer.from(encrypt(A.key, 'x'.repeat(12), ''), 'base64').length).toBe(64);
  });
});
