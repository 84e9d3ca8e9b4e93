package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.onhand.charts.Chart.Values;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A wrong value fails the install (helm template, lint) with a message that names it. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "broken-type.yaml             | replicas",
        "broken-unknown-key.yaml      | replica",
        "broken-unknown-service.yaml  | billing",
        "broken-scope.yaml            | scopes",
        "broken-pull-policy.yaml      | pullPolicy",
      })
  void valuesSchemaRefuses(String valuesFile, String named) {
    assertThatThrownBy(() -> Chart.render(Values.file(valuesFile)))
        .hasMessageContaining("schema")
        .hasMessageContaining(named);

    LintResult lint = Chart.lintStrict(valuesFile);
    assertThat(lint.isFailed()).isTrue();
    assertThat(String.join("\n", lint.getMessages())).contains(named);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dev-key-in-production.yaml     | development key",
        "grace-too-short.yaml           | terminationGracePeriodSeconds",
        "external-without-password.yaml | postgresql.auth.password",
      })
  void chartRefusesInconsistentValues(String valuesFile, String reason) {
    assertThatThrownBy(() -> Chart.render(Values.file(valuesFile))).hasMessageContaining(reason);
  }
}
