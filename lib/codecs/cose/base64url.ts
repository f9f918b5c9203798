/** Strict base64url without padding (RFC 4648 §5): one spelling per byte string, or undefined. */
export { fromBase64url, toBase64url } from '../../runtime/base64.js';
