package dev.onhand.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.StaleRead;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code Idempotency-Key} on writes. The key is claimed in the write's own transaction, so a write
 * and its key commit together: the same key with the same body returns the stored first response
 * and changes nothing; the same key with another body is refused with 422. A concurrent second
 * request with the same key waits on the first's claim, then replays it. Only successful responses
 * are stored: a refused write rolls back its claim, so a corrected retry may reuse the key.
 *
 * <p>Group commits ({@link #checkAll}, {@link #storeAll}) look their keys up first and store them
 * with their responses at the end, one write per key instead of a claim and a completion.
 */
@ApplicationScoped
public class IdempotencyKeys {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final String CLAIM =
      "INSERT INTO idempotency_key (key, request_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String FIND =
      "SELECT request_hash, status_code, response_body, location FROM idempotency_key"
          + " WHERE key = $1";
  private static final String COMPLETE =
      "UPDATE idempotency_key SET status_code = $2, response_body = $3, location = $4"
          + " WHERE key = $1";
  private static final String FIND_ALL =
      "SELECT key, request_hash, status_code, response_body, location FROM idempotency_key"
          + " WHERE key = ANY($1)";
  private static final String STORE_ALL =
      "INSERT INTO idempotency_key (key, request_hash, status_code, response_body, location)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[])"
          + " AS k(key, request_hash, status, body, location) ORDER BY key";
  private static final String KEY_CONSTRAINT = "idempotency_key_pkey";

  private final ObjectMapper mapper;
  private final Pool pool;
  private final Transactions transactions;
  private final Duration retention;

  public IdempotencyKeys(
      ObjectMapper mapper,
      Pool pool,
      Transactions transactions,
      @ConfigProperty(name = "onhand.idempotency.retention", defaultValue = "PT48H")
          Duration retention) {
    this.mapper = mapper;
    this.pool = pool;
    this.transactions = transactions;
    this.retention = retention;
  }

  /**
   * Identifies one write: the key (null when the client sent none) and a fingerprint of the route
   * and the body as parsed, so formatting differences do not count as another body.
   */
  public record Request(String key, String fingerprint) {
    public boolean present() {
      return key != null;
    }
  }

  /** A claim of one of many keys: the claim, or the problem that refuses its request. */
  public record ClaimResult(Claim claim, ProblemException refused) {}

  /**
   * Looks up many keys at once (a group commit), before the writes they guard; a key found is
   * replayed, or refused when it came with another body. A key not found is free: its write runs,
   * and {@link #storeAll} records the key with its response in the same transaction. Nothing is
   * written here, so a batch stores each key once, with its response, instead of claiming it first
   * and completing it later (two writes of the row). The keys must be distinct; requests without a
   * key are free.
   */
  public Uni<List<ClaimResult>> checkAll(SqlConnection sql, List<Request> requests) {
    String[] keys =
        requests.stream().filter(Request::present).map(Request::key).toArray(String[]::new);
    Uni<Map<String, Row>> existing =
        keys.length == 0
            ? Uni.createFrom().item(Map.of())
            : sql.preparedQuery(FIND_ALL)
                .execute(Tuple.of((Object) keys))
                .map(
                    rows -> {
                      Map<String, Row> byKey = new HashMap<>();
                      rows.forEach(row -> byKey.put(row.getString("key"), row));
                      return byKey;
                    });
    return existing.map(
        found ->
            requests.stream()
                .map(
                    r -> {
                      Row row = r.present() ? found.get(r.key()) : null;
                      if (row == null) {
                        return new ClaimResult(new Claim(null), null);
                      }
                      try {
                        return new ClaimResult(replayOf(r, row), null);
                      } catch (ProblemException refused) {
                        return new ClaimResult(null, refused);
                      }
                    })
                .toList());
  }

  /**
   * Stores the keys that {@link #checkAll} found free with their responses; a null response (a
   * refused write) stores nothing, so a corrected retry may use the key. Another transaction may
   * have stored one of these keys since the check (a retry sent to another instance): the insert
   * then fails on the key, and the whole transaction runs again ({@link StaleRead}), now finding
   * the key and replaying its response. Its write is rolled back, so it is never applied twice.
   */
  public void storeAll(UnitOfWork unit, List<Request> requests, List<StoredResponse> responses) {
    List<String> keys = new ArrayList<>();
    List<String> fingerprints = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      StoredResponse response = responses.get(i);
      if (request.present() && response != null) {
        keys.add(request.key());
        fingerprints.add(request.fingerprint());
        statuses.add(response.status());
        bodies.add(response.body());
        locations.add(response.location());
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    unit.send(
        STORE_ALL,
        Tuple.tuple()
            .addArrayOfString(keys.toArray(String[]::new))
            .addArrayOfString(fingerprints.toArray(String[]::new))
            .addArrayOfInteger(statuses.toArray(Integer[]::new))
            .addArrayOfString(bodies.toArray(String[]::new))
            .addArrayOfString(locations.toArray(String[]::new)),
        IdempotencyKeys::storedMeanwhile);
  }

  private static Throwable storedMeanwhile(Throwable failure) {
    return failure instanceof PgException pg
            && "23505".equals(pg.getSqlState())
            && KEY_CONSTRAINT.equals(pg.getConstraint())
        ? new StaleRead("an Idempotency-Key was stored by another transaction since it was checked")
        : failure;
  }

  /** What a claim found: either the write may proceed, or its first response must be replayed. */
  public record Claim(StoredResponse replay) {
    public boolean claimed() {
      return replay == null;
    }
  }

  public Request request(String key, String route, Object body) {
    if (key == null) {
      return new Request(null, null);
    }
    if (!VALID.matcher(key).matches()) {
      throw ProblemException.badRequest(
          "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    try {
      String canonical = route + "\n" + mapper.writeValueAsString(body);
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return new Request(key, HexFormat.of().formatHex(digest));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint request", e);
    }
  }

  /**
   * The usual shape of a write endpoint: one transaction that claims the key (if any), performs the
   * write and stores its response. {@code route} names the operation, e.g. {@code "PUT /items/A"}.
   */
  public Uni<Response> write(
      String key, String route, Object body, Function<UnitOfWork, Uni<StoredResponse>> write) {
    Request request = request(key, route, body);
    return transactions
        .run(unit -> execute(unit, request, () -> write.apply(unit)))
        .map(StoredResponse::toResponse);
  }

  /** Runs a write at most once per key; the write must run in {@code unit}'s transaction. */
  public Uni<StoredResponse> execute(
      UnitOfWork unit, Request request, Supplier<Uni<StoredResponse>> write) {
    if (!request.present()) {
      return write.get();
    }
    return claim(unit.sql(), request)
        .chain(
            claim ->
                claim.claimed()
                    ? write.get().invoke(response -> complete(unit, request, response))
                    : Uni.createFrom().item(claim.replay()));
  }

  /** Claims the key in the caller's transaction, or finds the response to replay. */
  public Uni<Claim> claim(SqlConnection sql, Request request) {
    return sql.preparedQuery(CLAIM)
        .execute(Tuple.of(request.key(), request.fingerprint()))
        .chain(
            inserted -> {
              if (inserted.rowCount() == 1) {
                return Uni.createFrom().item(new Claim(null));
              }
              // the insert waited for any concurrent claim of this key to commit or roll back
              return sql.preparedQuery(FIND)
                  .execute(Tuple.of(request.key()))
                  .map(
                      rows ->
                          replayOf(
                              request, rows.iterator().hasNext() ? rows.iterator().next() : null));
            });
  }

  /** Stores the response of a claimed key, sent with the transaction's other writes. */
  public void complete(UnitOfWork unit, Request request, StoredResponse response) {
    if (request.present()) {
      unit.send(
          COMPLETE,
          Tuple.of(request.key(), response.status(), response.body(), response.location()));
    }
  }

  /** The response a fresh write sends, serialized once so a replay sends identical bytes. */
  public StoredResponse response(int status, Object body, String location) {
    try {
      return new StoredResponse(status, mapper.writeValueAsString(body), location, false);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize response", e);
    }
  }

  /** 422: the key was used with another request. */
  public static ProblemException reusedWithAnotherBody() {
    return ProblemException.unprocessable(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was used with another request; use a new key for a new write.");
  }

  private Claim replayOf(Request request, Row row) {
    if (row == null) {
      // claimed by a transaction that rolled back between our insert and read: a rare race
      throw ProblemException.conflict(
          "IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is in progress; retry.");
    }
    if (!request.fingerprint().equals(row.getString("request_hash"))) {
      throw reusedWithAnotherBody();
    }
    return new Claim(
        new StoredResponse(
            row.getInteger("status_code"),
            row.getString("response_body"),
            row.getString("location"),
            true));
  }

  @Scheduled(
      every = "${onhand.idempotency.purge-interval:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> purgeExpired() {
    return pool.preparedQuery(
            "DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }
}
