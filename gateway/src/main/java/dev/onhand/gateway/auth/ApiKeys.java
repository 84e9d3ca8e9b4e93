package dev.onhand.gateway.auth;

import dev.onhand.gateway.config.GatewayConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling. API keys from configuration (a Secret in production), held as SHA-256 hashes: a
 * request's key is hashed and looked up, so the keys themselves are never stored. Keys come as
 * {@code Authorization: Bearer <key>} or {@code X-Api-Key}; a bearer value shaped like a JWT goes
 * to {@link JwtTokens} when JWTs are configured.
 */
@ApplicationScoped
public class ApiKeys {
  public static final String HEADER = "X-Api-Key";

  /** Bounds {@link #verified}: random wrong keys are never added, and a full cache starts over. */
  static final int MAX_VERIFIED = 1024;

  private final Map<String, Caller> byHash = new HashMap<>();

  /**
   * Keys already matched to a caller. Hashing every request's key cost about 5 % of the gateway's
   * CPU per forwarded request under load; the key is in this process's memory during each request
   * anyway, and only keys that matched a configured hash are kept.
   */
  private final Map<String, Caller> verified = new ConcurrentHashMap<>();

  private final GatewayConfig config;
  private final JwtTokens jwts;

  public ApiKeys(GatewayConfig config, JwtTokens jwts) {
    this.config = config;
    this.jwts = jwts;
    config
        .keys()
        .forEach(
            (name, key) ->
                byHash.put(
                    key.hash().toLowerCase(Locale.ROOT),
                    new Caller(
                        name,
                        Set.copyOf(key.scopes()),
                        new TokenBucket(key.ratePerSecond(), key.burst()))));
  }

  /** In production the development key must not open anything: refuse to start. */
  void refuseDevelopmentKeyInProduction(@Observes StartupEvent event) {
    if (LaunchMode.current() != LaunchMode.NORMAL || !"prod".equals(activeProfile())) {
      return;
    }
    if (byHash.containsKey(config.developmentKeyHash().toLowerCase(Locale.ROOT))) {
      throw new IllegalStateException(
          "The development API key is configured in the production profile; configure real"
              + " keys (onhand.gateway.keys.<name>.hash) and remove it.");
    }
  }

  private static String activeProfile() {
    return io.quarkus.runtime.configuration.ConfigUtils.getProfiles().get(0);
  }

  public Optional<Caller> authenticate(HttpServerRequest request) {
    String key = request.getHeader(HEADER);
    if (key == null) {
      String authorization = request.getHeader("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String bearer = authorization.substring(7).trim();
        if (jwts.enabled() && JwtTokens.looksLikeJwt(bearer)) {
          return bearer.length() > 8192 ? Optional.empty() : jwts.authenticate(bearer);
        }
        key = bearer;
      }
    }
    if (key == null || key.isEmpty() || key.length() > 512) {
      return Optional.empty();
    }
    Caller caller = verified.get(key);
    if (caller == null) {
      caller = byHash.get(sha256(key));
      if (caller != null) {
        if (verified.size() >= MAX_VERIFIED) {
          verified.clear();
        }
        verified.put(key, caller);
      }
    }
    return Optional.ofNullable(caller);
  }

  public static String sha256(String text) {
    return HexFormat.of().formatHex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  // MessageDigest.getInstance looks the provider up on every call; one digest per thread (the
  // event loops) is enough, as digest() resets it
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });
}
