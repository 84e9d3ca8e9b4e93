package dev.onhand.e2e.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The suite under fault: its gateway (with the development key), its databases (read directly to
 * check invariants the API cannot show), and its processes (to kill one and start it again with
 * {@code scripts/run.sh --restart}). The environment is the one {@code scripts/faults.sh} exported.
 */
final class Suite {
  static final String DEV_KEY = "onhand-dev-key";
  final Http api;
  final Http anonymous;
  final Http wrongKey;
  private final Path runDir;
  private final String gateway;
  private final String dbSuffix = System.getenv().getOrDefault("ONHAND_DB_SUFFIX", "_faults");

  Suite(String gateway, String runDir) {
    this.api = new Http(gateway, DEV_KEY);
    this.anonymous = new Http(gateway, null);
    this.wrongKey = new Http(gateway, "not-a-key-of-this-suite");
    this.runDir = Path.of(runDir);
    this.gateway = gateway;
  }

  String gateway() {
    return gateway;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  void awaitReady() {
    awaitTrue(() -> api.send("GET", "/api/v1/locations?limit=1", null).ok(), 60, "the gateway");
  }

  static void awaitTrue(BooleanSupplier condition, int seconds, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException(what + " not reached within " + seconds + " s");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- set-up through the API

  String location() {
    String code = unique("FLT");
    require(
        api.send("PUT", "/api/v1/locations/" + code, Map.of("name", code, "type", "WAREHOUSE")),
        201);
    return code;
  }

  String item() {
    String sku = unique("FSKU");
    require(api.send("PUT", "/api/v1/items/" + sku, Map.of("name", sku, "unitCost", 3)), 201);
    return sku;
  }

  void adjust(String sku, String location, long delta) {
    require(
        api.send(
            "POST",
            "/api/v1/inventory/adjustments",
            Map.of(
                "reason",
                "found",
                "lines",
                List.of(
                    Map.of(
                        "sku", sku, "location", location, "state", "available", "delta", delta)))),
        201);
  }

  static Http.Reply require(Http.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("expected " + status + " but got " + reply);
    }
    return reply;
  }

  // --- the databases

  Connection connect(String service) throws Exception {
    var env = System.getenv();
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + env.getOrDefault("ONHAND_DB_HOST", "127.0.0.1")
            + ":"
            + env.getOrDefault("ONHAND_DB_PORT", "5432")
            + "/onhand_"
            + service.replace('-', '_')
            + dbSuffix,
        env.getOrDefault("ONHAND_DB_USER", "postgres"),
        env.getOrDefault("ONHAND_DB_PASSWORD", ""));
  }

  long scalar(String service, String sql, Object... args) {
    try (Connection c = connect(service);
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The ids of a purchase order's receipts, as receiving holds them. */
  List<String> receipts(String purchaseOrderId) {
    List<String> ids = new java.util.ArrayList<>();
    try (Connection c = connect("receiving");
        PreparedStatement statement =
            c.prepareStatement("SELECT id::text FROM receipt WHERE purchase_order_id = ?::uuid")) {
      statement.setString(1, purchaseOrderId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  /** The invariants of stock's whole database: no negative bucket, balances equal the ledger. */
  void checkStock(Outcome outcome) {
    outcome.check(
        scalar(
                "stock",
                "SELECT count(*) FROM balance WHERE least(available, committed, reserved,"
                    + " safety_stock, quality_control, damaged, incoming) < 0")
            == 0,
        "no negative bucket");
    outcome.check(
        scalar(
                "stock",
                "SELECT count(*) FROM balance b CROSS JOIN LATERAL (SELECT"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'available'), 0) AS a,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'committed'), 0) AS c,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'reserved'), 0) AS r,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'safetyStock'), 0) AS s,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'qualityControl'), 0) AS q,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'damaged'), 0) AS d,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'incoming'), 0) AS i"
                    + " FROM ledger l WHERE l.sku = b.sku AND l.location = b.location) t"
                    + " WHERE (b.available, b.committed, b.reserved, b.safety_stock,"
                    + " b.quality_control, b.damaged, b.incoming) IS DISTINCT FROM"
                    + " (t.a, t.c, t.r, t.s, t.q, t.d, t.i)")
            == 0,
        "balances equal the ledger");
  }

  /** The suite's broker, in its virtual host. */
  static com.rabbitmq.client.ConnectionFactory broker() {
    var env = System.getenv();
    com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
    factory.setHost(env.getOrDefault("ONHAND_RABBITMQ_HOST", "127.0.0.1"));
    factory.setPort(Integer.parseInt(env.getOrDefault("ONHAND_RABBITMQ_PORT", "5672")));
    factory.setUsername(env.getOrDefault("ONHAND_RABBITMQ_USER", "guest"));
    factory.setPassword(env.getOrDefault("ONHAND_RABBITMQ_PASSWORD", "guest"));
    factory.setVirtualHost(env.getOrDefault("ONHAND_RABBITMQ_VHOST", "onhand-faults"));
    return factory;
  }

  /** A service's own port in this suite. */
  static int port(String service) {
    int offset = Integer.parseInt(System.getenv().getOrDefault("ONHAND_PORT_OFFSET", "0"));
    return Map.of(
                "gateway",
                8080,
                "stock",
                8081,
                "receiving",
                8082,
                "fulfillment",
                8083,
                "returns",
                8084,
                "channel-sync",
                8085)
            .get(service)
        + offset;
  }

  /** Messages now in the dead-letter queues of this suite's virtual host. */
  static long deadLettered() {
    try {
      Process process =
          new ProcessBuilder(
                  "rabbitmqctl",
                  "-q",
                  "list_queues",
                  "-p",
                  System.getenv().getOrDefault("ONHAND_RABBITMQ_VHOST", "onhand-faults"),
                  "name",
                  "messages")
              .redirectErrorStream(true)
              .start();
      long total = 0;
      for (String line : new String(process.getInputStream().readAllBytes()).split("\n")) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length == 2 && fields[0].endsWith(".dlq") && fields[1].matches("\\d+")) {
          total += Long.parseLong(fields[1]);
        }
      }
      process.waitFor(30, TimeUnit.SECONDS);
      return total;
    } catch (Exception e) {
      throw new IllegalStateException("cannot count the dead letters", e);
    }
  }

  /** Waits until every service's outbox is relayed (nothing left to publish). */
  void awaitOutboxesDrained(List<String> services) {
    for (String service : services) {
      awaitTrue(
          () -> scalar(service, "SELECT count(*) FROM outbox") == 0,
          120,
          service + "'s outbox drained");
    }
  }

  // --- the processes

  /** {@code kill -9} of a service started by scripts/run.sh. */
  void kill(String service) throws Exception {
    long pid = Long.parseLong(Files.readString(runDir.resolve(service + ".pid")).trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    awaitTrue(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), 10, "exit");
  }

  /** {@code kill -9} of every RabbitMQ process on this machine (the broker's Erlang VM). */
  static void killRabbitMq() throws Exception {
    shell("pkill -9 -f 'beam.smp.*rabbit' ; sleep 1");
  }

  /** {@code kill -9} of every PostgreSQL process on this machine, postmaster and backends. */
  static void killPostgres() throws Exception {
    shell("pkill -9 -x postgres ; sleep 1");
  }

  /** Starts PostgreSQL and RabbitMQ where they are stopped, as {@code make infra} does. */
  static void restartInfra() throws Exception {
    shell("scripts/infra.sh >/dev/null");
  }

  private static void shell(String command) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", command).inheritIO().start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish");
    }
  }

  /** Waits until every service answers ready again, without having been restarted. */
  void awaitHealthy(List<String> services, int seconds) {
    int offset = Integer.parseInt(System.getenv().getOrDefault("ONHAND_PORT_OFFSET", "0"));
    Map<String, Integer> ports =
        Map.of(
            "stock",
            8081,
            "receiving",
            8082,
            "fulfillment",
            8083,
            "returns",
            8084,
            "channel-sync",
            8085);
    for (String service : services) {
      Http health = new Http("http://127.0.0.1:" + (ports.get(service) + offset), null);
      awaitTrue(
          () -> health.send("GET", "/q/health/ready", null).status() == 200,
          seconds,
          service + " ready again");
    }
  }

  void restart(String service) throws Exception {
    Process process =
        new ProcessBuilder("scripts/run.sh", "--restart", service)
            .inheritIO()
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(service + " did not start again");
    }
  }
}
