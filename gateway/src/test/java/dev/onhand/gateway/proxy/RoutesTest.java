package dev.onhand.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.gateway.auth.Caller;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each service's operators' calls go to that service and need the admin scope, reads included. */
class RoutesTest {

  @Test
  void eachServicesAdminCallsGoToItAndNeedTheAdminScope() {
    for (String service : List.of("stock", "receiving", "fulfillment", "returns", "channel-sync")) {
      for (String path :
          List.of(
              "/api/v1/admin/" + service + "/dead-letters",
              "/api/v1/admin/" + service + "/dead-letters/replay")) {
        Routes.Route route = Routes.of(path).orElseThrow();
        assertThat(route.upstream()).as(path).isEqualTo(service);
        assertThat(route.scopeFor("GET")).as(path).isEqualTo(Caller.ADMIN);
        assertThat(route.scopeFor("POST")).as(path).isEqualTo(Caller.ADMIN);
      }
    }
    assertThat(Routes.of("/api/v1/admin/billing/dead-letters")).isEmpty();
    assertThat(Routes.of("/api/v1/admin")).isEmpty();
    assertThat(Routes.of("/api/v1/admin/stocks/dead-letters")).isEmpty();

    Caller reader = new Caller("reader", Set.of(Routes.READ, "inventory:write"), null);
    assertThat(reader.may(Routes.of("/api/v1/admin/stock/dead-letters").get().scopeFor("GET")))
        .as("inventory scopes do not reach the admin calls")
        .isFalse();
  }
}
