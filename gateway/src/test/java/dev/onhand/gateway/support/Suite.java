package dev.onhand.gateway.support;

import dev.onhand.platform.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * What the gateway's tests route to: the real stock service (its packaged jar, on the tests'
 * database and RabbitMQ virtual host), a recording stand-in for the other services, and an address
 * where nothing listens.
 */
public class Suite implements QuarkusTestResourceLifecycleManager {
  private ServiceProcess stock;

  @Override
  public Map<String, String> start() {
    int recording;
    try {
      recording = RecordingUpstream.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the recording upstream", e);
    }
    int nothing = ServiceProcess.freePort();
    stock = ServiceProcess.start("stock", Map.of("ONHAND_DB_NAME", "onhand_stock_test"));
    String recordingUrl = "http://127.0.0.1:" + recording;
    return Map.of(
        "onhand.gateway.upstreams.stock.url", stock.url(),
        "onhand.gateway.upstreams.receiving.url", recordingUrl,
        "onhand.gateway.upstreams.fulfillment.url", recordingUrl,
        "onhand.gateway.upstreams.channel-sync.url", recordingUrl,
        "onhand.gateway.upstreams.returns.url", "http://127.0.0.1:" + nothing);
  }

  @Override
  public void stop() {
    if (stock != null) {
      stock.close();
    }
  }
}
