package dev.onhand.gateway.proxy;

import dev.onhand.gateway.auth.Caller;
import java.util.List;
import java.util.Optional;

/**
 * The public API's paths (PRODUCT.md section 3), the service that owns each, and the scope a call
 * needs: reads need {@code inventory:read}; writes need the scope of their domain. Each service's
 * operators' calls (dead-letter list and replay) are under {@code /api/v1/admin/<service>} and need
 * {@code admin} for reads and writes alike.
 */
public final class Routes {
  public static final String READ = "inventory:read";

  /** A path prefix, its upstream and the scope of its writes (and of its reads, when set). */
  public record Route(String prefix, String upstream, String writeScope, String readScope) {
    public String scopeFor(String method) {
      boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
      return read ? readScope : writeScope;
    }

    boolean matches(String path) {
      return path.startsWith(prefix)
          && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
  }

  private static Route stock(String path) {
    return new Route("/api/v1/" + path, "stock", "inventory:write", READ);
  }

  private static Route admin(String service) {
    return new Route("/api/v1/admin/" + service, service, Caller.ADMIN, Caller.ADMIN);
  }

  public static final List<Route> API =
      List.of(
          stock("locations"),
          stock("items"),
          stock("inventory"),
          stock("ledger"),
          stock("reservations"),
          stock("transfers"),
          stock("counts"),
          stock("exceptions"),
          stock("metrics"),
          new Route("/api/v1/purchase-orders", "receiving", "receiving:write", READ),
          new Route("/api/v1/orders", "fulfillment", "orders:write", READ),
          new Route("/api/v1/returns", "returns", "returns:write", READ),
          new Route("/api/v1/channels", "channel-sync", "channels:admin", "channels:admin"),
          admin("stock"),
          admin("receiving"),
          admin("fulfillment"),
          admin("returns"),
          admin("channel-sync"));

  /** Inbound webhooks: no API key (channel-sync verifies their signatures). */
  public static final String WEBHOOKS = "/webhooks";

  public static final String WEBHOOK_UPSTREAM = "channel-sync";

  private Routes() {}

  public static Optional<Route> of(String path) {
    for (Route route : API) {
      if (route.matches(path)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }
}
