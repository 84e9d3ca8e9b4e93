package dev.onhand.gateway.health;

import dev.onhand.gateway.proxy.Upstreams;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while at least one upstream is ready (each one's state is listed): a gateway that can still
 * route some of the API stays in service.
 */
@Readiness
@ApplicationScoped
public class UpstreamsReadiness implements AsyncHealthCheck {
  private final Upstreams upstreams;

  public UpstreamsReadiness(Upstreams upstreams) {
    this.upstreams = upstreams;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    List<Future<Boolean>> checks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, URI> upstream : upstreams.urls().entrySet()) {
      URI uri = upstream.getValue();
      names.add(upstream.getKey());
      checks.add(
          upstreams
              .client()
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost(uri.getHost())
                      .setPort(uri.getPort() > 0 ? uri.getPort() : 80)
                      .setURI("/q/health/ready")
                      .setConnectTimeout(1000)
                      .setIdleTimeout(2000))
              .compose(request -> request.send())
              .map(response -> response.statusCode() == 200)
              .otherwise(false));
    }
    return Uni.createFrom()
        .completionStage(Future.join(new ArrayList<>(checks)).toCompletionStage())
        .onFailure()
        .recoverWithNull()
        .map(
            ignored -> {
              HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstreams");
              boolean any = false;
              for (int i = 0; i < checks.size(); i++) {
                boolean up = Boolean.TRUE.equals(checks.get(i).result());
                builder.withData(names.get(i), up ? "UP" : "DOWN");
                any |= up;
              }
              return builder.status(any || checks.isEmpty()).build();
            });
  }
}
