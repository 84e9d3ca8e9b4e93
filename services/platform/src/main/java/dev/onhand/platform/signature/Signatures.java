package dev.onhand.platform.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of the HTTP bodies Onhand sends to outside systems (3PL dispatches, generic webhook
 * channels): HMAC-SHA256 over the raw body with a shared secret, hex-encoded, in {@code
 * X-Onhand-Signature: sha256=<hex>}. The receiver recomputes it over the bytes it received.
 */
public final class Signatures {
  public static final String HEADER = "X-Onhand-Signature";
  private static final String PREFIX = "sha256=";
  private static final String ALGORITHM = "HmacSHA256";

  private Signatures() {}

  /** The HMAC-SHA256 of {@code body} under {@code secret}, as lower-case hex. */
  public static String hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign", e);
    }
  }

  /** The value of {@link #HEADER} for {@code body}: {@code sha256=<hex>}. */
  public static String header(String secret, byte[] body) {
    return PREFIX + hmacSha256(secret, body);
  }

  /** Whether {@code header} signs {@code body} with {@code secret}; compared in constant time. */
  public static boolean verify(String secret, byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    return MessageDigest.isEqual(
        header(secret, body).getBytes(StandardCharsets.US_ASCII),
        header.getBytes(StandardCharsets.US_ASCII));
  }
}
