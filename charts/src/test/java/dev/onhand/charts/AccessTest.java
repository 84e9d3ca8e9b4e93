package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.charts.Chart.Values;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Who may reach whom: the Lease Role, the NetworkPolicies and the Ingress. */
class AccessTest {

  private static final List<String> BACKENDS = WorkloadsTest.BACKENDS;
  private static final Rendered ALL = Chart.render(Values.file("all-on.yaml"));

  // --- leader election ---

  @Test
  void theLeaseRoleExistsExactlyWhereLeaderElectionRuns() {
    assertThat(ALL.names())
        .filteredOn(n -> n.startsWith("Role/") || n.startsWith("RoleBinding/"))
        .containsExactlyInAnyOrder(
            "Role/onhand-channel-sync-leases", "RoleBinding/onhand-channel-sync-leases");

    V1Role role = ALL.get("Role", "onhand-channel-sync-leases", V1Role.class);
    assertThat(role.getRules()).singleElement().satisfies(AccessTest::isLeasesOnly);
    V1RoleBinding binding =
        ALL.get("RoleBinding", "onhand-channel-sync-leases", V1RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo("onhand-channel-sync-leases");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("onhand-channel-sync");
              assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
            });
    V1Deployment channelSync = ALL.get("Deployment", "onhand-channel-sync", V1Deployment.class);
    assertThat(channelSync.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("onhand-channel-sync");
    assertThat(configOf("onhand-channel-sync"))
        .containsEntry("ONHAND_LEADER_ELECTION_ENABLED", "true");

    // only the elector mounts an API token at all
    for (V1Deployment deployment : ALL.all("Deployment", V1Deployment.class)) {
      boolean elector = deployment.getMetadata().getName().equals("onhand-channel-sync");
      assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
          .as(deployment.getMetadata().getName())
          .isEqualTo(elector);
    }
    for (V1ServiceAccount account : ALL.all("ServiceAccount", V1ServiceAccount.class)) {
      assertThat(account.getAutomountServiceAccountToken())
          .isEqualTo(account.getMetadata().getName().equals("onhand-channel-sync"));
    }
  }

  private static Map<String, String> configOf(String name) {
    return ALL.get("ConfigMap", name, io.kubernetes.client.openapi.models.V1ConfigMap.class)
        .getData();
  }

  private static void isLeasesOnly(V1PolicyRule rule) {
    assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
    assertThat(rule.getResources()).containsExactly("leases");
    assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
    assertThat(rule.getResourceNames()).isNullOrEmpty();
  }

  @Test
  void noRoleWithoutLeaderElection() {
    assertThat(Chart.render(Values.defaults()).ofKind("Role"))
        .as("by default only channel-sync elects a leader")
        .hasSize(1);
    assertThat(
            Chart.render(Values.defaults().set("services.channel-sync.enabled", "false"))
                .ofKind("Role"))
        .isEmpty();
    Rendered withoutElection =
        Chart.render(
            Values.defaults()
                .set("services.channel-sync.enabled", "true")
                .set("services.channel-sync.leaderElection.enabled", "false"));
    assertThat(withoutElection.ofKind("Role")).isEmpty();
    assertThat(withoutElection.ofKind("RoleBinding")).isEmpty();
  }

  // --- network policies ---

  @Test
  void everyPodOfTheReleaseIsIsolatedInBothDirections() {
    List<V1NetworkPolicy> policies = ALL.all("NetworkPolicy", V1NetworkPolicy.class);
    List<Map<String, String>> podLabels = new ArrayList<>();
    ALL.all("Deployment", V1Deployment.class)
        .forEach(d -> podLabels.add(d.getSpec().getTemplate().getMetadata().getLabels()));
    ALL.all("StatefulSet", V1StatefulSet.class)
        .forEach(s -> podLabels.add(s.getSpec().getTemplate().getMetadata().getLabels()));

    assertThat(podLabels).hasSize(8);
    for (Map<String, String> labels : podLabels) {
      assertThat(policies)
          .as(labels.get("app.kubernetes.io/component"))
          .anySatisfy(
              p -> {
                assertThat(selects(p.getSpec().getPodSelector(), labels)).isTrue();
                assertThat(p.getSpec().getPolicyTypes())
                    .containsExactlyInAnyOrder("Ingress", "Egress");
              });
    }
  }

  @Test
  void onlyTheGatewayAcceptsTrafficFromOutsideTheRelease() {
    V1NetworkPolicy gateway = policy("gateway");
    assertThat(gateway.getSpec().getIngress())
        .anySatisfy(
            rule -> {
              assertThat(rule.getFrom()).as("from anywhere").isNullOrEmpty();
              assertThat(ports(rule.getPorts())).containsExactly("http/TCP");
            });

    for (String service : BACKENDS) {
      for (V1NetworkPolicyIngressRule rule : policy(service).getSpec().getIngress()) {
        assertThat(rule.getFrom())
            .as(service + ": every ingress rule names its peers")
            .isNotEmpty();
        assertThat(ports(rule.getPorts())).containsExactly("http/TCP");
        for (V1NetworkPolicyPeer peer : rule.getFrom()) {
          if (peer.getNamespaceSelector() == null) {
            // within the namespace: the gateway only, never another service
            assertThat(peer.getPodSelector().getMatchLabels())
                .as(service)
                .containsEntry("app.kubernetes.io/component", "gateway")
                .containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
          } else {
            // Prometheus, from the configured namespace (networkPolicy.metrics)
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "monitoring");
          }
        }
      }
    }
    for (String infrastructure : List.of("postgresql", "rabbitmq")) {
      for (V1NetworkPolicyIngressRule rule : policy(infrastructure).getSpec().getIngress()) {
        assertThat(rule.getFrom()).isNotEmpty();
        for (V1NetworkPolicyPeer peer : rule.getFrom()) {
          if (peer.getNamespaceSelector() == null) {
            assertThat(componentsSelected(peer)).containsExactlyInAnyOrderElementsOf(BACKENDS);
          }
        }
      }
    }
    assertThat(ports(policy("postgresql").getSpec().getIngress().get(0).getPorts()))
        .containsExactly("5432/TCP");
    assertThat(ports(policy("rabbitmq").getSpec().getIngress().get(0).getPorts()))
        .containsExactly("5672/TCP");
  }

  @Test
  void theGatewayMayReachTheServicesAndNothingElseButDnsAndTracing() {
    List<V1NetworkPolicyEgressRule> egress = policy("gateway").getSpec().getEgress();

    assertThat(egressPorts(egress))
        .containsExactlyInAnyOrder("53/UDP", "53/TCP", "http/TCP", "4317/TCP");
    V1NetworkPolicyEgressRule toServices =
        egress.stream()
            .filter(r -> ports(r.getPorts()).contains("http/TCP"))
            .findFirst()
            .orElseThrow();
    assertThat(toServices.getTo())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(componentsSelected(peer)).containsExactlyInAnyOrderElementsOf(BACKENDS));
  }

  @Test
  void servicesReachDatabaseBrokerAndDnsOnlyAndChannelSyncAlsoTheInternetAndTheApi() {
    for (String service : BACKENDS) {
      List<V1NetworkPolicyEgressRule> egress = policy(service).getSpec().getEgress();
      Set<String> expected =
          new TreeSet<>(Set.of("53/UDP", "53/TCP", "5432/TCP", "5672/TCP", "4317/TCP"));
      if (service.equals("channel-sync")) {
        expected.addAll(Set.of("443/TCP", "6443/TCP"));
      }
      assertThat(egressPorts(egress)).as(service).containsExactlyInAnyOrderElementsOf(expected);
      // no service-to-service HTTP: nothing on http, no rule towards another service's pods
      for (V1NetworkPolicyEgressRule rule : egress) {
        for (V1NetworkPolicyPeer peer :
            Objects.requireNonNullElse(rule.getTo(), List.<V1NetworkPolicyPeer>of())) {
          assertThat(componentsSelected(peer))
              .as(service)
              .doesNotContainAnyElementsOf(BACKENDS)
              .doesNotContain("gateway");
        }
      }
      V1NetworkPolicyEgressRule database =
          egress.stream()
              .filter(r -> ports(r.getPorts()).contains("5432/TCP"))
              .findFirst()
              .orElseThrow();
      assertThat(database.getTo())
          .singleElement()
          .satisfies(peer -> assertThat(componentsSelected(peer)).containsExactly("postgresql"));
      V1NetworkPolicyEgressRule broker =
          egress.stream()
              .filter(r -> ports(r.getPorts()).contains("5672/TCP"))
              .findFirst()
              .orElseThrow();
      assertThat(broker.getTo())
          .singleElement()
          .satisfies(peer -> assertThat(componentsSelected(peer)).containsExactly("rabbitmq"));
    }
  }

  @Test
  void externalDatabaseAndBrokerAreReachedAtTheConfiguredAddresses() {
    Rendered production = Chart.render(Values.file("values-production.yaml"));
    V1NetworkPolicy stock = production.get("NetworkPolicy", "onhand-stock", V1NetworkPolicy.class);
    V1NetworkPolicyEgressRule database =
        stock.getSpec().getEgress().stream()
            .filter(r -> ports(r.getPorts()).contains("5432/TCP"))
            .findFirst()
            .orElseThrow();
    assertThat(database.getTo())
        .singleElement()
        .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("10.20.0.0/24"));
    V1NetworkPolicyEgressRule broker =
        stock.getSpec().getEgress().stream()
            .filter(r -> ports(r.getPorts()).contains("5672/TCP"))
            .findFirst()
            .orElseThrow();
    assertThat(broker.getTo())
        .singleElement()
        .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("10.20.1.0/24"));
  }

  @Test
  void networkPoliciesAreAToggle() {
    assertThat(Chart.render(Values.file("all-off.yaml")).ofKind("NetworkPolicy")).isEmpty();
    assertThat(Chart.render(Values.defaults()).ofKind("NetworkPolicy")).hasSize(6);
  }

  // --- ingress ---

  @Test
  void theIngressLeadsToTheGatewayOnly() {
    List<V1Ingress> ingresses = ALL.all("Ingress", V1Ingress.class);
    assertThat(ingresses)
        .singleElement()
        .satisfies(
            ingress -> {
              assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
              assertThat(ingress.getSpec().getTls())
                  .singleElement()
                  .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("onhand-tls"));
              ingress
                  .getSpec()
                  .getRules()
                  .forEach(
                      rule ->
                          rule.getHttp()
                              .getPaths()
                              .forEach(
                                  path -> {
                                    assertThat(path.getBackend().getService().getName())
                                        .isEqualTo("onhand-gateway");
                                    assertThat(path.getBackend().getService().getPort().getName())
                                        .isEqualTo("http");
                                  }));
            });
    assertThat(Chart.render(Values.defaults()).ofKind("Ingress")).isEmpty();
  }

  // --- helpers ---

  private static V1NetworkPolicy policy(String component) {
    return ALL.get("NetworkPolicy", "onhand-" + component, V1NetworkPolicy.class);
  }

  private static Set<String> egressPorts(List<V1NetworkPolicyEgressRule> egress) {
    Set<String> ports = new TreeSet<>();
    egress.forEach(rule -> ports.addAll(ports(rule.getPorts())));
    return ports;
  }

  private static List<String> ports(List<V1NetworkPolicyPort> ports) {
    List<String> described = new ArrayList<>();
    for (V1NetworkPolicyPort port : ports) {
      IntOrString value = port.getPort();
      described.add(
          (value.isInteger() ? value.getIntValue().toString() : value.getStrValue())
              + "/"
              + port.getProtocol());
    }
    return described;
  }

  /** The components a same-namespace pod selector of this release selects. */
  private static Set<String> componentsSelected(V1NetworkPolicyPeer peer) {
    Set<String> components = new TreeSet<>();
    V1LabelSelector selector = peer.getPodSelector();
    if (selector == null || peer.getNamespaceSelector() != null) {
      return components;
    }
    for (String candidate :
        List.of(
            "gateway",
            "stock",
            "receiving",
            "fulfillment",
            "returns",
            "channel-sync",
            "postgresql",
            "rabbitmq")) {
      Map<String, String> labels =
          Map.of(
              "app.kubernetes.io/name",
              "onhand",
              "app.kubernetes.io/instance",
              Chart.RELEASE,
              "app.kubernetes.io/component",
              candidate);
      if (selects(selector, labels)) {
        components.add(candidate);
      }
    }
    return components;
  }

  /** Label selector semantics (matchLabels and In/NotIn/Exists/DoesNotExist). */
  static boolean selects(V1LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (var expression : selector.getMatchExpressions()) {
        String value = labels.get(expression.getKey());
        boolean ok =
            switch (expression.getOperator()) {
              case "In" -> value != null && expression.getValues().contains(value);
              case "NotIn" -> value == null || !expression.getValues().contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> throw new IllegalArgumentException(expression.getOperator());
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
