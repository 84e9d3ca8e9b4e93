package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.charts.Chart.Values;
import org.junit.jupiter.api.Test;

/** After an install the operator is told where the gateway is and what to do next. */
class NotesTest {

  @Test
  void withoutIngressTheNotesShowHowToReachTheGatewayAndThatNoKeyIsConfigured() {
    String notes = Chart.notes(Values.defaults());

    assertThat(notes)
        .contains("kubectl --namespace inventory port-forward service/onhand-gateway 8080:8080")
        .contains("http://127.0.0.1:8080/api/v1/locations")
        .contains("NONE configured")
        .contains("stock         enabled   http://onhand-stock:8080")
        .contains("fulfillment   enabled   http://onhand-fulfillment:8080")
        .contains("returns       enabled   http://onhand-returns:8080")
        .contains("channel-sync  enabled   http://onhand-channel-sync:8080")
        .contains("rollout status")
        .contains("docs/operations-kubernetes.md");
  }

  @Test
  void withIngressTheNotesGiveThePublicAddress() {
    String notes = Chart.notes(Values.file("values-production.yaml"));

    assertThat(notes)
        .contains("https://api.onhand.example.com/api/v1")
        .contains("https://api.onhand.example.com/api/docs")
        .contains("read from Secret \"onhand-gateway-keys\"")
        .contains("PostgreSQL: onhand-db.example.internal:5432")
        .doesNotContain("port-forward");
  }

  @Test
  void aTrialSaysWhatIsBundled() {
    String notes = Chart.notes(Values.file("values-dev.yaml"));

    assertThat(notes)
        .contains("1 key(s) configured from values: dev")
        .contains("BUNDLED (trial only");
  }
}
