package dev.onhand.gateway.auth;

import dev.onhand.gateway.config.GatewayConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * JWT bearer tokens, verified with SmallRye JWT against the configured issuer key: signature,
 * {@code iss}, {@code aud} when configured, {@code exp} and {@code nbf}. The caller is the token's
 * subject ({@code jwt:<sub>} as the actor upstream), its scopes the OAuth 2 {@code scope} claim
 * (space separated) and its {@code groups}; each subject gets its own rate limit.
 */
@ApplicationScoped
public class JwtTokens {
  // a verified token is remembered until it expires, at most this long: verifying an RS256
  // signature costs more than the rest of the gateway's work on a request
  private static final long REMEMBER_NANOS = 60_000_000_000L;
  private static final int MAX_REMEMBERED = 10_000;

  private final JWTParser parser;
  private final GatewayConfig.Jwt config;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Caller caller, long validUntilNanos) {}

  public JwtTokens(GatewayConfig gateway) {
    this.config = gateway.jwt();
    if (config.publicKeyLocation().isEmpty()) {
      parser = null;
      return;
    }
    String issuer =
        config
            .issuer()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "onhand.gateway.jwt.issuer is required when JWTs are accepted"));
    JWTAuthContextInfo context = new JWTAuthContextInfo(config.publicKeyLocation().get(), issuer);
    config.audience().ifPresent(audience -> context.setExpectedAudience(Set.of(audience)));
    parser = new DefaultJWTParser(context);
  }

  public boolean enabled() {
    return parser != null;
  }

  /** A compact JWS has three dot-separated parts; API keys have none. */
  public static boolean looksLikeJwt(String credential) {
    int first = credential.indexOf('.');
    return first > 0 && credential.indexOf('.', first + 1) > first + 1;
  }

  public Optional<Caller> authenticate(String token) {
    if (parser == null) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    Verified known = verified.get(token);
    if (known != null) {
      if (now - known.validUntilNanos() < 0) {
        return Optional.of(known.caller());
      }
      verified.remove(token);
    }
    JsonWebToken jwt;
    try {
      jwt = parser.parse(token);
    } catch (ParseException e) {
      return Optional.empty();
    }
    String subject = jwt.getSubject();
    if (subject == null || subject.isBlank()) {
      return Optional.empty();
    }
    Caller caller =
        new Caller(
            "jwt:" + subject,
            scopes(jwt),
            buckets.computeIfAbsent(
                subject, s -> new TokenBucket(config.ratePerSecond(), config.burst())));
    long expiresIn = (jwt.getExpirationTime() - System.currentTimeMillis() / 1000) * 1_000_000_000L;
    if (verified.size() >= MAX_REMEMBERED) {
      verified.clear();
    }
    verified.put(token, new Verified(caller, now + Math.min(REMEMBER_NANOS, expiresIn)));
    return Optional.of(caller);
  }

  private static Set<String> scopes(JsonWebToken jwt) {
    Set<String> scopes = new HashSet<>(jwt.getGroups() == null ? Set.of() : jwt.getGroups());
    Object scope = jwt.getClaim("scope");
    if (scope != null) {
      String text = scope.toString().replace("\"", "");
      for (String s : text.split(" ")) {
        if (!s.isBlank()) {
          scopes.add(s);
        }
      }
    }
    return Set.copyOf(scopes);
  }
}
