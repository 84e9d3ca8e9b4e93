package dev.onhand.e2e.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * S1 and S2: thousands of generated bad requests through the gateway (malformed JSON, wrong types,
 * negative or huge quantities, unknown SKU, location or state, missing fields, unknown fields,
 * oversized bodies, malformed ids and query parameters, no key or a wrong key). Every answer must
 * be a 4xx problem+json with a code, never a 5xx, and nothing may change: the rows of every
 * service's tables and their outboxes are counted before and after.
 */
final class BadInput implements Faults.Scenario {
  private static final int REQUESTS =
      Integer.parseInt(System.getenv().getOrDefault("FAULTS_BAD_REQUESTS", "10000"));
  private final Suite suite;

  BadInput(Suite suite) {
    this.suite = suite;
  }

  private record Bad(String what, String method, String path, String body, boolean anonymous) {}

  @Override
  public Outcome run() {
    String location = suite.location();
    String sku = suite.item();
    suite.adjust(sku, location, 5);
    Suite.sleep(1500); // the other services learn the location and item
    Map<String, Long> before = fingerprint();
    Random random = new Random(42);
    Outcome outcome = new Outcome();
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, String> firstFailure = new LinkedHashMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      Bad bad = generate(random, sku, location);
      Http.Reply reply =
          (bad.anonymous() ? wrongKey(random) : suite.api)
              .send(bad.method(), bad.path(), bad.body(), Map.of());
      statuses.merge(reply.status(), 1, Integer::sum);
      outcome.operations++;
      boolean problem =
          reply.status() >= 400
              && reply.status() < 500
              && reply.contentType().startsWith("application/problem+json")
              && reply.json().hasNonNull("code");
      if (!problem) {
        outcome.unexpected++;
        firstFailure.putIfAbsent(bad.what(), reply.status() + " " + abbreviate(reply.body()));
      }
    }
    Suite.sleep(1000);
    Map<String, Long> after = fingerprint();
    outcome.check(before.equals(after), "no state change");
    if (!before.equals(after)) {
      outcome.notes.add("before " + before + " after " + after);
    }
    suite.checkStock(outcome);
    outcome.notes.add("statuses " + statuses);
    firstFailure.forEach(
        (what, answer) -> outcome.notes.add("not a 4xx problem: " + what + " → " + answer));
    return outcome;
  }

  private Http wrongKey(Random random) {
    return random.nextBoolean() ? suite.anonymous : suite.wrongKey;
  }

  /** Rows of every table that a request could change, and every pending outbox row. */
  private Map<String, Long> fingerprint() {
    Map<String, Long> rows = new TreeMap<>();
    Map<String, List<String>> tables = new HashMap<>();
    tables.put(
        "stock",
        List.of(
            "ledger",
            "balance",
            "reservation",
            "transfer",
            "cycle_count",
            "exception_entry",
            "location",
            "item",
            "outbox"));
    tables.put("receiving", List.of("purchase_order", "receipt", "ship_notice", "outbox"));
    tables.put("fulfillment", List.of("customer_order", "shipment", "outbox"));
    tables.put("returns", List.of("customer_return", "return_receipt", "inspection", "outbox"));
    tables.forEach(
        (service, names) -> {
          for (String table : names) {
            rows.put(service + "." + table, suite.scalar(service, "SELECT count(*) FROM " + table));
          }
        });
    return rows;
  }

  private static String abbreviate(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }

  // --- the generator: a valid request with one defect that makes it certainly invalid

  private Bad generate(Random random, String sku, String location) {
    int kind = random.nextInt(100);
    String junk = Long.toString(Math.abs(random.nextLong()), 36);
    if (kind < 4) {
      return new Bad("no or wrong key", "GET", "/api/v1/inventory/" + sku, null, true);
    }
    if (kind < 12) {
      String[] paths = {
        "/api/v1/orders/" + junk,
        "/api/v1/purchase-orders/" + junk,
        "/api/v1/returns/" + junk,
        "/api/v1/transfers/" + junk,
        "/api/v1/reservations/" + junk,
        "/api/v1/counts/" + junk,
        "/api/v1/ledger?limit=-" + random.nextInt(100),
        "/api/v1/ledger?after=" + junk,
        "/api/v1/inventory?location=" + junk + "%20x",
        "/api/v1/exceptions?status=" + junk,
        "/api/v1/orders/" + UUID.randomUUID(),
        "/api/v1/metrics/inventory?sku=" + sku + "&from=" + junk + "&to=x"
      };
      return new Bad(
          "malformed id or query", "GET", paths[random.nextInt(paths.length)], null, false);
    }
    List<Endpoint> endpoints = endpoints(sku, location);
    Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
    Map<String, Object> body = endpoint.valid.get();
    int defect = random.nextInt(9);
    String json;
    String what;
    switch (defect) {
      case 0 -> {
        String whole = Http.JSON.valueToTree(body).toString();
        json = whole.substring(0, 1 + random.nextInt(whole.length() - 2));
        what = "truncated JSON";
      }
      case 1 -> {
        body.put("unexpected" + junk, random.nextInt());
        json = write(body);
        what = "unknown field";
      }
      case 2 -> {
        body.remove(endpoint.required.get(random.nextInt(endpoint.required.size())));
        json = write(body);
        what = "missing required field";
      }
      case 3 -> {
        line(body).put(endpoint.quantityField, "ten");
        json = write(body);
        what = "quantity of the wrong type";
      }
      case 4 -> {
        line(body).put(endpoint.quantityField, -1 - random.nextInt(1_000_000));
        json = write(body);
        what = "negative quantity";
      }
      case 5 -> {
        line(body).put(endpoint.quantityField, "QTY");
        json = write(body).replace("\"QTY\"", "1" + "0".repeat(20 + random.nextInt(30)));
        what = "huge quantity";
      }
      case 6 -> {
        line(body).put("sku", "NOPE-" + junk);
        json = write(body);
        what = "unknown SKU";
      }
      case 7 -> {
        if (endpoint.locationField != null) {
          putLocation(body, endpoint.locationField, "NOWHERE-" + junk);
          what = "unknown location";
        } else {
          line(body).put("sku", "bad sku with spaces " + junk);
          what = "malformed SKU";
        }
        json = write(body);
      }
      default -> {
        json = "{\"lines\":[" + "{\"sku\":\"" + sku + "\"},".repeat(60_000) + "{}]}";
        what = "oversized body";
      }
    }
    return new Bad(endpoint.name + ": " + what, "POST", endpoint.path, json, false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> line(Map<String, Object> body) {
    return ((List<Map<String, Object>>) body.get("lines")).get(0);
  }

  private static void putLocation(Map<String, Object> body, String field, String value) {
    if (body.containsKey(field)) {
      body.put(field, value);
    } else {
      line(body).put(field, value);
    }
  }

  private static String write(Map<String, Object> body) {
    try {
      return Http.JSON.writeValueAsString(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private record Endpoint(
      String name,
      String path,
      java.util.function.Supplier<Map<String, Object>> valid,
      List<String> required,
      String quantityField,
      String locationField) {}

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static List<Object> lines(Map<String, Object> line) {
    List<Object> list = new ArrayList<>();
    list.add(line);
    return list;
  }

  private List<Endpoint> endpoints(String sku, String location) {
    return List.of(
        new Endpoint(
            "adjustment",
            "/api/v1/inventory/adjustments",
            () ->
                map(
                    "reason",
                    "found",
                    "lines",
                    lines(map("sku", sku, "location", location, "state", "available", "delta", 1))),
            List.of("reason", "lines"),
            "delta",
            "location"),
        new Endpoint(
            "move",
            "/api/v1/inventory/moves",
            () ->
                map(
                    "reason",
                    "damaged",
                    "lines",
                    lines(
                        map(
                            "sku",
                            sku,
                            "location",
                            location,
                            "from",
                            "available",
                            "to",
                            "damaged",
                            "quantity",
                            1))),
            List.of("lines"),
            "quantity",
            "location"),
        new Endpoint(
            "reservation",
            "/api/v1/reservations",
            () ->
                map(
                    "reference",
                    "order:bad",
                    "lines",
                    lines(map("sku", sku, "location", location, "quantity", 1))),
            List.of("reference", "lines"),
            "quantity",
            "location"),
        new Endpoint(
            "purchase order",
            "/api/v1/purchase-orders",
            () ->
                map(
                    "number",
                    "PO-" + UUID.randomUUID(),
                    "supplier",
                    "Acme",
                    "location",
                    location,
                    "lines",
                    lines(map("sku", sku, "quantity", 5))),
            List.of("number", "supplier", "location", "lines"),
            "quantity",
            "location"),
        new Endpoint(
            "order",
            "/api/v1/orders",
            () ->
                map(
                    "channel", "web",
                    "channelOrderId", UUID.randomUUID().toString(),
                    "lines", lines(map("sku", sku, "quantity", 1))),
            List.of("channel", "channelOrderId", "lines"),
            "quantity",
            null),
        new Endpoint(
            "transfer",
            "/api/v1/transfers",
            () ->
                map(
                    "source",
                    location,
                    "destination",
                    location + "X",
                    "lines",
                    lines(map("sku", sku, "quantity", 1))),
            List.of("source", "destination", "lines"),
            "quantity",
            "source"),
        new Endpoint(
            "unexpected return",
            "/api/v1/returns/unexpected",
            () ->
                map(
                    "location",
                    location,
                    "lines",
                    lines(map("sku", sku, "quantity", 1, "condition", "SELLABLE"))),
            List.of("location", "lines"),
            "quantity",
            "location"));
  }
}
