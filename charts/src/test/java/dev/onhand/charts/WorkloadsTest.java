package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.charts.Chart.Values;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the Deployments, their settings and their Secrets promise, read from rendered objects. */
class WorkloadsTest {

  static final List<String> BACKENDS =
      List.of("stock", "receiving", "fulfillment", "returns", "channel-sync");
  static final Map<String, String> DATABASES =
      Map.of(
          "stock", "onhand_stock",
          "receiving", "onhand_receiving",
          "fulfillment", "onhand_fulfillment",
          "returns", "onhand_returns",
          "channel-sync", "onhand_channel_sync");

  static Stream<Values> renders() {
    return Stream.of(
        Values.defaults(),
        Values.file("values-dev.yaml"),
        Values.file("values-production.yaml"),
        Values.file("all-on.yaml"),
        Values.file("all-off.yaml"));
  }

  private static final Rendered ALL = Chart.render(Values.file("all-on.yaml"));

  private static V1Container app(V1Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String name(V1Deployment deployment) {
    return deployment.getMetadata().getName();
  }

  private static Map<String, String> config(Rendered rendered, String service) {
    return rendered.get("ConfigMap", "onhand-" + service, V1ConfigMap.class).getData();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void probesAskTheQuarkusHealthEndpointsOnTheServicePort(Values values) {
    Rendered rendered = Chart.render(values);
    List<V1Deployment> deployments = rendered.all("Deployment", V1Deployment.class);

    assertThat(deployments).isNotEmpty();
    for (V1Deployment deployment : deployments) {
      V1Container app = app(deployment);
      assertThat(path(app.getStartupProbe())).as(name(deployment)).isEqualTo("/q/health/started");
      assertThat(path(app.getLivenessProbe())).as(name(deployment)).isEqualTo("/q/health/live");
      assertThat(path(app.getReadinessProbe())).as(name(deployment)).isEqualTo("/q/health/ready");
      for (V1Probe probe :
          List.of(app.getStartupProbe(), app.getLivenessProbe(), app.getReadinessProbe())) {
        assertThat(probe.getHttpGet().getPort().getStrValue()).isEqualTo("http");
      }
      // the named port is where the service listens (ONHAND_HTTP_PORT)
      assertThat(app.getPorts())
          .singleElement()
          .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
      String component = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
      assertThat(config(rendered, component).get("ONHAND_HTTP_PORT"))
          .isEqualTo(String.valueOf(app.getPorts().get(0).getContainerPort()));
    }
  }

  private static String path(V1Probe probe) {
    assertThat(probe).isNotNull();
    return probe.getHttpGet().getPath();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void everyContainerIsNonRootWithAReadOnlyRootFilesystemAndNoCapabilities(Values values) {
    Rendered rendered = Chart.render(values);
    List<V1PodSpec> pods = new ArrayList<>();
    rendered
        .all("Deployment", V1Deployment.class)
        .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
    rendered
        .all("StatefulSet", V1StatefulSet.class)
        .forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));

    assertThat(pods).isNotEmpty();
    for (V1PodSpec pod : pods) {
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      List<V1Container> containers = new ArrayList<>(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
      for (V1Container container : containers) {
        V1SecurityContext security = container.getSecurityContext();
        assertThat(security).as(container.getName()).isNotNull();
        assertThat(security.getRunAsNonRoot()).as(container.getName()).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
        assertThat(security.getPrivileged()).as(container.getName()).isFalse();
        assertThat(security.getCapabilities().getDrop())
            .as(container.getName())
            .containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).as(container.getName()).isNullOrEmpty();
        Long user =
            Objects.requireNonNullElse(
                security.getRunAsUser(), pod.getSecurityContext().getRunAsUser());
        assertThat(user).as(container.getName() + " runs as").isNotNull().isNotZero();
      }
    }
  }

  @Test
  void everyServiceGetsItsOwnDatabaseAndTheGatewayNone() {
    for (String service : BACKENDS) {
      Map<String, String> config = config(ALL, service);
      assertThat(config)
          .as(service)
          .containsEntry("ONHAND_DB_NAME", DATABASES.get(service))
          .containsEntry("ONHAND_DB_HOST", "onhand-postgresql")
          .containsEntry("ONHAND_DB_PORT", "5432")
          .containsKey("ONHAND_DB_POOL_SIZE")
          .containsEntry("ONHAND_RABBITMQ_HOST", "onhand-rabbitmq")
          .containsEntry("ONHAND_RABBITMQ_PORT", "5672")
          .containsEntry("ONHAND_RABBITMQ_VHOST", "/");
      // the init container creates exactly this service's database
      V1Deployment deployment = ALL.get("Deployment", "onhand-" + service, V1Deployment.class);
      V1Container init = deployment.getSpec().getTemplate().getSpec().getInitContainers().get(0);
      assertThat(env(init, "ONHAND_DB_NAME").getValue()).isEqualTo(DATABASES.get(service));
    }
    assertThat(BACKENDS.stream().map(s -> config(ALL, s).get("ONHAND_DB_NAME")).distinct())
        .hasSize(BACKENDS.size());
    assertThat(config(ALL, "gateway").keySet())
        .noneMatch(key -> key.startsWith("ONHAND_DB_") || key.startsWith("ONHAND_RABBITMQ_"));
    V1Container gateway = app(ALL.get("Deployment", "onhand-gateway", V1Deployment.class));
    assertThat(gateway.getEnv()).noneMatch(e -> e.getName().startsWith("ONHAND_DB_"));
  }

  @Test
  void productionTakesEachServicesDatabaseFromTheExternalServerAndItsOwnSecret() {
    Rendered production = Chart.render(Values.file("values-production.yaml"));

    assertThat(config(production, "stock"))
        .containsEntry("ONHAND_DB_HOST", "onhand-db.example.internal")
        .containsEntry("ONHAND_DB_NAME", "onhand_stock")
        .containsEntry("ONHAND_JSON_LOGS", "true")
        .containsEntry("QUARKUS_PROFILE", "prod");
    assertThat(config(production, "receiving")).containsEntry("ONHAND_DB_NAME", "onhand_receiving");
    V1Container stock = app(production.get("Deployment", "onhand-stock", V1Deployment.class));
    assertThat(env(stock, "ONHAND_DB_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("onhand-stock-db");
    assertThat(env(stock, "ONHAND_RABBITMQ_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("onhand-rabbitmq");
    // every credential comes from an existing Secret: the chart creates none
    assertThat(production.ofKind("Secret")).isEmpty();
    assertThat(production.ofKind("StatefulSet")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void credentialsAreReferencedFromSecretsNeverInlined(Values values) {
    Rendered rendered = Chart.render(values);
    List<V1Container> containers = new ArrayList<>();
    List<V1PodSpec> pods = new ArrayList<>();
    rendered
        .all("Deployment", V1Deployment.class)
        .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
    rendered
        .all("StatefulSet", V1StatefulSet.class)
        .forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
    for (V1PodSpec pod : pods) {
      containers.addAll(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
    }
    for (V1Container container : containers) {
      for (V1EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<V1EnvVar>of())) {
        if (env.getName().matches(".*(PASSWORD|PASS|_USER|PGUSER|SECRET).*")) {
          assertThat(env.getValue()).as(container.getName() + " " + env.getName()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
        }
      }
    }
    for (V1ConfigMap configMap : rendered.all("ConfigMap", V1ConfigMap.class)) {
      assertThat(configMap.getData().keySet())
          .as(configMap.getMetadata().getName())
          .noneMatch(key -> key.matches(".*(PASSWORD|USER|SECRET|HASH).*"));
    }
  }

  @Test
  void backendServicesReadDatabaseAndBrokerCredentialsFromTheirSecrets() {
    for (String service : BACKENDS) {
      V1Container app = app(ALL.get("Deployment", "onhand-" + service, V1Deployment.class));
      assertThat(env(app, "ONHAND_DB_USER").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("onhand-postgresql-auth");
      assertThat(env(app, "ONHAND_DB_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
          .isEqualTo("password");
      assertThat(env(app, "ONHAND_RABBITMQ_USER").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("onhand-rabbitmq-auth");
      assertThat(env(app, "ONHAND_RABBITMQ_PASSWORD").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("onhand-rabbitmq-auth");
    }
    assertThat(ALL.names())
        .contains("Secret/onhand-postgresql-auth", "Secret/onhand-rabbitmq-auth");
  }

  @Test
  void theGatewayReadsItsApiKeysFromAMountedSecretFile() {
    V1Deployment gateway = ALL.get("Deployment", "onhand-gateway", V1Deployment.class);
    V1Container app = app(gateway);
    assertThat(app.getWorkingDir()).isEqualTo("/deployments");
    assertThat(app.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("api-keys");
              assertThat(m.getMountPath()).isEqualTo("/deployments/config");
              assertThat(m.getReadOnly()).isTrue();
            });
    V1Volume keys =
        gateway.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("api-keys"))
            .findFirst()
            .orElseThrow();
    assertThat(keys.getSecret().getSecretName()).isEqualTo("onhand-gateway-api-keys");
    assertThat(keys.getSecret().getItems().get(0).getPath()).isEqualTo("application.properties");

    String file =
        ALL.ofKind("Secret").stream()
            .filter(
                s -> s.getAsJsonObject("metadata").get("name").getAsString().endsWith("api-keys"))
            .findFirst()
            .orElseThrow()
            .getAsJsonObject("stringData")
            .get("application.properties")
            .getAsString();
    assertThat(file)
        .contains(
            "onhand.gateway.keys.erp.hash=3aec1946afb01344ae0065f3b123820a2144e455c13e5816dbd439e6634f7f26",
            "onhand.gateway.keys.erp.scopes=inventory:read,orders:write",
            "onhand.gateway.keys.erp.rate-per-second=50",
            "onhand.gateway.keys.erp.burst=100",
            "onhand.gateway.keys.reader.scopes=inventory:read");

    Rendered production = Chart.render(Values.file("values-production.yaml"));
    V1Deployment productionGateway =
        production.get("Deployment", "onhand-gateway", V1Deployment.class);
    assertThat(productionGateway.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("onhand-gateway-keys"));
  }

  @Test
  void theGatewayFindsEveryEnabledServiceAndKnowsTheOthersAreNotDeployed() {
    Map<String, String> defaults = config(Chart.render(Values.defaults()), "gateway");
    assertThat(defaults)
        .containsEntry("ONHAND_STOCK_URL", "http://onhand-stock:8080")
        .containsEntry("ONHAND_RECEIVING_URL", "http://onhand-receiving:8080")
        .containsEntry("ONHAND_FULFILLMENT_URL", "http://onhand-fulfillment:8080")
        .containsEntry("ONHAND_RETURNS_URL", "http://onhand-returns:8080")
        .containsEntry("ONHAND_CHANNEL_SYNC_URL", "http://onhand-channel-sync:8080");
    assertThat(
            config(
                Chart.render(Values.defaults().set("services.channel-sync.enabled", "false")),
                "gateway"))
        .as("a service switched off is not deployed, and the gateway knows it")
        .containsEntry("ONHAND_CHANNEL_SYNC_URL", "");
    Map<String, String> all = config(ALL, "gateway");
    for (String service : BACKENDS) {
      String key = "ONHAND_" + service.toUpperCase().replace('-', '_') + "_URL";
      assertThat(all).containsEntry(key, "http://onhand-" + service + ":8080");
      // the URL names a Service that exists and reaches the service's pods on their http port
      V1Service target = ALL.get("Service", "onhand-" + service, V1Service.class);
      assertThat(target.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
      assertThat(target.getSpec().getPorts().get(0).getTargetPort().getStrValue())
          .isEqualTo("http");
      V1Deployment deployment = ALL.get("Deployment", "onhand-" + service, V1Deployment.class);
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(target.getSpec().getSelector());
    }
  }

  @Test
  void everyServiceIsDeployedByDefault() {
    assertThat(Chart.render(Values.defaults()).names())
        .contains(
            "Deployment/onhand-gateway",
            "Deployment/onhand-stock",
            "Deployment/onhand-receiving",
            "Deployment/onhand-fulfillment",
            "Deployment/onhand-returns",
            "Deployment/onhand-channel-sync");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void upgradesRollWithoutLosingServingPodsAndStopsDrainInTime(Values values) {
    Rendered rendered = Chart.render(values);
    for (V1Deployment deployment : rendered.all("Deployment", V1Deployment.class)) {
      assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(
              deployment
                  .getSpec()
                  .getStrategy()
                  .getRollingUpdate()
                  .getMaxUnavailable()
                  .getIntValue())
          .as(name(deployment))
          .isZero();
      V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      V1Container app = pod.getContainers().get(0);
      String component = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
      long preStop =
          app.getLifecycle().getPreStop().getSleep() != null
              ? app.getLifecycle().getPreStop().getSleep().getSeconds()
              : Long.parseLong(app.getLifecycle().getPreStop().getExec().getCommand().get(1));
      String timeout = config(rendered, component).get("QUARKUS_SHUTDOWN_TIMEOUT");
      long shutdown = Long.parseLong(timeout.replace("s", ""));
      assertThat(preStop).as("preStop sleep lets endpoints go first").isPositive();
      assertThat(pod.getTerminationGracePeriodSeconds())
          .as(name(deployment) + ": grace covers preStop + Quarkus shutdown timeout")
          .isGreaterThan(preStop + shutdown);
    }
    V1Deployment stock =
        Chart.render(Values.defaults()).get("Deployment", "onhand-stock", V1Deployment.class);
    assertThat(stock.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(45L);
    assertThat(app(stock).getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "10");
  }

  @Test
  void budgetsAndAutoscalersSelectTheirOwnService() {
    for (String service : List.of("gateway", "stock", "receiving", "fulfillment")) {
      V1Deployment deployment = ALL.get("Deployment", "onhand-" + service, V1Deployment.class);
      V2HorizontalPodAutoscaler hpa =
          ALL.get("HorizontalPodAutoscaler", "onhand-" + service, V2HorizontalPodAutoscaler.class);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("onhand-" + service);
      assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns replicas").isNull();
    }
    for (V1PodDisruptionBudget pdb : ALL.all("PodDisruptionBudget", V1PodDisruptionBudget.class)) {
      V1Deployment deployment =
          ALL.get("Deployment", pdb.getMetadata().getName(), V1Deployment.class);
      assertThat(deployment.getSpec().getSelector().getMatchLabels())
          .isEqualTo(pdb.getSpec().getSelector().getMatchLabels());
    }
    assertThat(ALL.ofKind("PodDisruptionBudget")).hasSize(6);
    assertThat(Chart.render(Values.file("all-off.yaml")).ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(Chart.render(Values.defaults()).ofKind("HorizontalPodAutoscaler")).isEmpty();
  }

  private static V1EnvVar env(V1Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
  }

  @Test
  void channelSyncMountsTheChannelsSecretsWhereCredentialReferencesLook() {
    Rendered rendered =
        Chart.render(
            Values.defaults()
                .set("services.channel-sync.channelSecrets[0]", "shopify-store")
                .set("services.channel-sync.channelSecrets[1]", "amazon-seller"));
    var pod =
        rendered
            .get(
                "Deployment",
                "onhand-channel-sync",
                io.kubernetes.client.openapi.models.V1Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null && v.getName().startsWith("channel-secret-"))
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("shopify-store", "amazon-seller");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("channel-secret-"))
        .extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : ""))
        .containsExactly(
            "/etc/onhand/channel-secrets/shopify-store ro",
            "/etc/onhand/channel-secrets/amazon-seller ro");
    // the other services mount none
    assertThat(
            rendered
                .get(
                    "Deployment",
                    "onhand-stock",
                    io.kubernetes.client.openapi.models.V1Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .noneMatch(v -> v.getName().startsWith("channel-secret-"));
  }
}
