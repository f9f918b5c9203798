/**
 * The one UTF-8 encoder and the one latin1 decoder of the package's verifying and minting path (the
 * WebCrypto backend, the JOSE codec, the chain forms), made once. Neither keeps state between calls
 * (`encode`, `encodeInto` and a non-streaming `decode` are each complete), so every reader shares them.
 * Not `byteText`: on Node that one is Buffer's latin1, which differs from this decoder's on 0x80–0x9F.
 */
export const utf8Encoder = new TextEncoder();
export const latin1Decoder = new TextDecoder('latin1');
