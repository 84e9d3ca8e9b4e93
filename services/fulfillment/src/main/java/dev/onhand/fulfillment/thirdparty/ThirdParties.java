package dev.onhand.fulfillment.thirdparty;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;

/**
 * The 3PLs orders are sent to, by THIRD_PARTY location code: {@code
 * onhand.fulfillment.third-parties."<location>".url} and {@code .secret} (the HMAC-SHA256 key the
 * 3PL verifies {@code X-Onhand-Signature} with; from a Secret in production).
 */
@ConfigMapping(prefix = "onhand.fulfillment.third-parties")
public interface ThirdParties {

  @WithParentName
  Map<String, ThirdParty> byLocation();

  interface ThirdParty {
    String url();

    String secret();

    @WithDefault("5s")
    Duration timeout();
  }
}
