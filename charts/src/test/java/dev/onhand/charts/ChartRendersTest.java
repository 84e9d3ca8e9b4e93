package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.marcnuri.helm.LintResult;
import dev.onhand.charts.Chart.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart lints strictly and renders under the default, dev and production values, with every
 * toggle on and off, and every object it renders is valid for the Kubernetes API.
 */
class ChartRendersTest {

  static Stream<Values> everyValuesCombination() {
    Values defaults = Values.defaults();
    return Stream.of(
        defaults,
        Values.file("values-dev.yaml"),
        Values.file("values-production.yaml"),
        Values.file("all-on.yaml"),
        Values.file("all-off.yaml"),
        // each toggle flipped alone from the defaults
        defaults.set("networkPolicy.enabled", "false"),
        defaults.set("networkPolicy.metrics.enabled", "true"),
        defaults.set("ingress.enabled", "true"),
        defaults.set("ingress.hosts", "null"),
        defaults
            .set("postgresql.bundled.enabled", "true")
            .set("postgresql.auth.existingSecret", "")
            .set("postgresql.auth.password", "trial"),
        defaults
            .set("rabbitmq.bundled.enabled", "true")
            .set("rabbitmq.auth.existingSecret", "")
            .set("rabbitmq.auth.password", "trial"),
        defaults.set("postgresql.createDatabases", "true"),
        defaults.set("services.gateway.enabled", "false"),
        defaults.set("services.stock.enabled", "false"),
        defaults.set("services.receiving.enabled", "false"),
        defaults.set("services.fulfillment.enabled", "false"),
        defaults.set("services.returns.enabled", "false"),
        defaults.set("services.channel-sync.enabled", "true"),
        defaults
            .set("services.channel-sync.enabled", "true")
            .set("services.channel-sync.leaderElection.enabled", "false"),
        defaults.set("services.stock.autoscaling.enabled", "true"),
        defaults.set("services.gateway.podDisruptionBudget.enabled", "false"),
        defaults.set("metrics.podAnnotations", "false"),
        defaults.set("gracefulShutdown.preStopSleepAction", "true"),
        defaults.set("global.tracing.exporter", "otlp"),
        defaults.set("services.gateway.apiKeys.existingSecret", "gateway-keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyValuesCombination")
  void rendersObjectsTheKubernetesApiAccepts(Values values) {
    Rendered rendered = Chart.render(values);

    assertThat(rendered.objects()).isNotEmpty();
    List<String> invalid = new ArrayList<>();
    for (JsonObject object : rendered.objects()) {
      try {
        KubernetesSchema.validate(object);
      } catch (KubernetesSchema.InvalidObject e) {
        invalid.add(e.getMessage());
      }
    }
    assertThat(invalid).as("objects the API server would refuse").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"", "values-dev.yaml", "values-production.yaml", "all-on.yaml", "all-off.yaml"})
  void lintsStrictly(String valuesFile) {
    LintResult lint = valuesFile.isEmpty() ? Chart.lintStrict() : Chart.lintStrict(valuesFile);

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }
}
