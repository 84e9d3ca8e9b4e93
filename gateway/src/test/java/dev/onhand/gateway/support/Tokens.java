package dev.onhand.gateway.support;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * Signs JWTs as the test identity provider does (its public key is the gateway's configured issuer
 * key, src/test/resources/jwt/issuer-public.pem), or as a stranger with another key.
 */
public final class Tokens {
  public static final String ISSUER = "https://id.onhand.test";
  public static final String AUDIENCE = "onhand-api";

  private Tokens() {}

  /** A token of {@code subject} with {@code scope} (space separated), valid for a minute. */
  public static String issue(String subject, String scope) {
    return sign("issuer-private.pem", subject, scope, ISSUER, AUDIENCE, 60);
  }

  public static String sign(
      String keyFile,
      String subject,
      String scope,
      String issuer,
      String audience,
      long validForSeconds) {
    try {
      JwtClaims claims = new JwtClaims();
      claims.setIssuer(issuer);
      claims.setAudience(List.of(audience));
      claims.setSubject(subject);
      claims.setClaim("scope", scope);
      claims.setIssuedAtToNow();
      claims.setNotBeforeMinutesInThePast(1);
      claims.setExpirationTimeMinutesInTheFuture(validForSeconds / 60f);
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(privateKey(keyFile));
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
      return jws.getCompactSerialization();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey privateKey(String file) throws Exception {
    try (InputStream in = Tokens.class.getResourceAsStream("/jwt/" + file)) {
      String pem =
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .replaceAll("-----[A-Z ]+-----", "")
              .replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
  }
}
