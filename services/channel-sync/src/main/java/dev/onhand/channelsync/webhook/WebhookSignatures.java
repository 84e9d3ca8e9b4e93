package dev.onhand.channelsync.webhook;

import dev.onhand.platform.signature.Signatures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The two signatures inbound webhooks carry, both HMAC-SHA256 computed by the platform's {@link
 * Signatures} and compared in constant time.
 */
final class WebhookSignatures {
  static final String SHOPIFY_HEADER = "X-Shopify-Hmac-Sha256";

  private WebhookSignatures() {}

  /** Shopify: base64 of the HMAC-SHA256 of the raw body, keyed with the app's webhook secret. */
  static boolean shopify(String secret, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    byte[] mac = HexFormat.of().parseHex(Signatures.hmacSha256(secret, body));
    return MessageDigest.isEqual(
        Base64.getEncoder().encode(mac), header.strip().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Generic: {@code X-Onhand-Signature: sha256=<hex>} over {@code <X-Onhand-Timestamp>.<raw body>},
   * so the timestamp the window is checked on cannot be changed without the secret.
   */
  static boolean generic(String secret, String timestamp, byte[] body, String header) {
    return Signatures.verify(secret, signed(timestamp, body), header);
  }

  /** The bytes a generic webhook's signature covers. */
  static byte[] signed(String timestamp, byte[] body) {
    byte[] prefix = ((timestamp == null ? "" : timestamp) + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return signed;
  }
}
