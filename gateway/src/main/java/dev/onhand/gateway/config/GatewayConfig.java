package dev.onhand.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the gateway is told: where the services are, who may call, and how much. */
@ConfigMapping(prefix = "onhand.gateway")
public interface GatewayConfig {

  /** Upstream services by name (stock, receiving, ...). A service without a URL is not deployed. */
  Map<String, Upstream> upstreams();

  /** API keys by name; the name is the actor the services record. */
  Map<String, ApiKey> keys();

  Webhooks webhooks();

  /** JWT bearer tokens, accepted beside API keys when a verification key is configured. */
  Jwt jwt();

  /** The development key's SHA-256; the production profile refuses to start while a key has it. */
  @WithDefault("14f1e2aaded86ca66b8a3e5d4321b4cc1ee430e0d7d0d6e5c862d23d16731ed6")
  String developmentKeyHash();

  interface Upstream {
    /** e.g. http://stock:8080 in Kubernetes. */
    Optional<String> url();

    @WithDefault("PT2S")
    Duration connectTimeout();

    /** No byte from the upstream for this long: 504. */
    @WithDefault("PT10S")
    Duration timeout();

    CircuitBreaker circuitBreaker();
  }

  /**
   * Vert.x's circuit breaker: it opens after {@code max-failures} calls without an answer
   * (unreachable, timed out) within {@code window}, an answer resetting the count; open, it answers
   * 503 for {@code reset-timeout}, then lets one trial call through.
   */
  interface CircuitBreaker {
    @WithDefault("10")
    int maxFailures();

    @WithDefault("PT10S")
    Duration window();

    @WithDefault("PT5S")
    Duration resetTimeout();
  }

  interface ApiKey {
    /** SHA-256 of the key, lowercase hex; the key itself is never configured. */
    String hash();

    /**
     * inventory:read, inventory:write, orders:write, receiving:write, returns:write,
     * channels:admin, admin
     */
    List<String> scopes();

    /** Sustained requests per second. */
    @WithDefault("100")
    double ratePerSecond();

    /** Requests allowed in a burst above the sustained rate. */
    @WithDefault("200")
    int burst();
  }

  interface Webhooks {
    @WithDefault("262144")
    long maxBodyBytes();

    /** Per sending address. */
    @WithDefault("50")
    double ratePerSecond();

    @WithDefault("100")
    int burst();
  }

  interface Jwt {
    /**
     * Where the issuer's public key is: a PEM or JWK(S) file, classpath resource or https URL (e.g.
     * the identity provider's JWKS endpoint). Without it, JWTs are not accepted.
     */
    Optional<String> publicKeyLocation();

    /** The {@code iss} every token must carry; required when JWTs are accepted. */
    Optional<String> issuer();

    /** The {@code aud} a token must include, when set. */
    Optional<String> audience();

    /** Sustained requests per second of one subject ({@code sub}). */
    @WithDefault("100")
    double ratePerSecond();

    @WithDefault("200")
    int burst();
  }
}
