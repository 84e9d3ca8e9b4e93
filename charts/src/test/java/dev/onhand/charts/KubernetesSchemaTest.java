package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** The validator the render tests rely on refuses what the API server would refuse. */
class KubernetesSchemaTest {

  private static JsonObject deployment() {
    return Chart.render(Chart.Values.defaults()).ofKind("Deployment").get(0).deepCopy();
  }

  private static JsonObject podSpec(JsonObject deployment) {
    return deployment.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec");
  }

  @Test
  void acceptsTheRenderedDeployment() {
    assertThatCode(() -> KubernetesSchema.validate(deployment())).doesNotThrowAnyException();
  }

  @Test
  void refusesAMisspelledField() {
    JsonObject deployment = deployment();
    JsonObject pod = podSpec(deployment);
    pod.add("contaners", pod.remove("containers"));

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("contaners");
  }

  @Test
  void refusesAnUnknownFieldDeepInside() {
    JsonObject deployment = deployment();
    JsonObject container =
        podSpec(deployment).getAsJsonArray("containers").get(0).getAsJsonObject();
    container.getAsJsonObject("securityContext").addProperty("readOnlyRootFileSystem", true);

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("readOnlyRootFileSystem");
  }

  @Test
  void refusesAWrongType() {
    JsonObject deployment = deployment();
    deployment.getAsJsonObject("spec").addProperty("replicas", "two");

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class);
  }

  @Test
  void refusesANumberWrittenAsAString() {
    JsonObject deployment = deployment();
    deployment.getAsJsonObject("spec").addProperty("replicas", "2");

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("replicas");
  }

  @Test
  void refusesABooleanWrittenAsAString() {
    JsonObject deployment = deployment();
    podSpec(deployment).addProperty("automountServiceAccountToken", "yes");

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("automountServiceAccountToken");
  }

  @Test
  void refusesANumberWhereTheApiWantsAString() {
    // the classic unquoted environment value
    JsonObject deployment = deployment();
    JsonObject container =
        podSpec(deployment).getAsJsonArray("containers").get(0).getAsJsonObject();
    JsonObject env = new JsonObject();
    env.addProperty("name", "ONHAND_HTTP_PORT");
    env.addProperty("value", 8080);
    container.getAsJsonArray("env").add(env);

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("value");
  }

  @Test
  void refusesAWrongTypeOfNestedObject() {
    JsonObject deployment = deployment();
    podSpec(deployment).addProperty("containers", "gateway");

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("containers");
  }

  @Test
  void refusesAMissingRequiredField() {
    JsonObject deployment = deployment();
    JsonArray containers = podSpec(deployment).getAsJsonArray("containers");
    containers.get(0).getAsJsonObject().remove("name");

    assertThatThrownBy(() -> KubernetesSchema.validate(deployment))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("name");
  }

  @Test
  void refusesAKindItHasNoSchemaFor() {
    JsonObject object = deployment();
    object.addProperty("apiVersion", "apps/v2");

    assertThatThrownBy(() -> KubernetesSchema.validate(object))
        .isInstanceOf(KubernetesSchema.InvalidObject.class)
        .hasMessageContaining("no schema");
  }
}
