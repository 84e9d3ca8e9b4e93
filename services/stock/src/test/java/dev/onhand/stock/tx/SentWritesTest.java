package dev.onhand.stock.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onhand.platform.tx.StaleRead;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Writes a transaction sends without waiting ({@code UnitOfWork.send}, the ledger's and the
 * outbox's among them): later statements see them, they commit with the rest, and one that fails
 * fails the whole transaction with its own cause, keeping nothing.
 */
@QuarkusTest
class SentWritesTest {
  private static final String INSERT_LOCATION =
      "INSERT INTO location (code, name, type) VALUES ($1, $1, $2)";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject Transactions transactions;
  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
  int poolSize;

  @Test
  void laterStatementsSeeSentWritesAndAllCommitTogether() {
    String first = code();
    String second = code();

    long seen =
        transactions
            .run(
                unit -> {
                  unit.send(INSERT_LOCATION, Tuple.of(first, "WAREHOUSE"));
                  unit.send(INSERT_LOCATION, Tuple.of(second, "STORE"));
                  return unit.sql()
                      .preparedQuery("SELECT count(*) FROM location WHERE code = ANY($1)")
                      .execute(Tuple.of((Object) new String[] {first, second}))
                      .map(rows -> rows.iterator().next().getLong(0));
                })
            .await()
            .atMost(WAIT);

    assertThat(seen).as("a read sent after the writes sees both").isEqualTo(2);
    assertThat(locations(first, second)).as("both committed").isEqualTo(2);
  }

  @Test
  void aFailedSentWriteFailsTheTransactionWithItsOwnCause() {
    String kept = code();
    String refused = code();

    // the statement after the writes fails only because the transaction is already aborted
    Throwable failure =
        failureOf(
            kept,
            refused,
            unit -> unit.sql().preparedQuery("SELECT 1").execute().replaceWithVoid());

    assertThat(failure).isInstanceOf(PgException.class);
    assertThat(((PgException) failure).getSqlState())
        .as("the check violation, not the aborted transaction it caused")
        .isEqualTo("23514");
    assertThat(locations(kept, refused)).as("nothing of the transaction kept").isZero();
  }

  @Test
  void aFailedSentWriteWithNothingAfterItStillFailsTheCommit() {
    String kept = code();
    String refused = code();

    Throwable failure = failureOf(kept, refused, unit -> Uni.createFrom().voidItem());

    assertThat(failure)
        .as("the transaction reports the failure instead of a commit")
        .isInstanceOf(PgException.class);
    assertThat(((PgException) failure).getSqlState()).isEqualTo("23514");
    assertThat(locations(kept, refused)).as("nothing of the transaction kept").isZero();
  }

  @Test
  void aFailureTheWorkSwallowedStillRollsTheTransactionBack() {
    String kept = code();
    String refused = code();

    Throwable failure =
        catchThrowable(
            () ->
                transactions
                    .run(
                        unit ->
                            unit.sql()
                                .preparedQuery(INSERT_LOCATION)
                                .execute(Tuple.of(kept, "WAREHOUSE"))
                                .chain(
                                    () ->
                                        unit.sql()
                                            .preparedQuery(INSERT_LOCATION)
                                            .execute(Tuple.of(refused, "NOT_A_TYPE"))
                                            .replaceWithVoid()
                                            .onFailure()
                                            .recoverWithNull()))
                    .await()
                    .atMost(WAIT));

    assertThat(failure).as("no commit is reported for an aborted transaction").isNotNull();
    assertThat(locations(kept, refused)).as("nothing of the transaction kept").isZero();
  }

  @Test
  void everyFailedTransactionGivesItsConnectionBackClean() {
    // more failures of each kind than the pool has connections: a connection kept by one of them,
    // or given back inside an open transaction, would starve or pollute the ones after it
    for (int i = 0; i < poolSize * 2; i++) {
      failureOf(code(), code(), unit -> Uni.createFrom().voidItem());
      String thrown = code();
      catchThrowable(
          () ->
              transactions
                  .run(
                      unit -> {
                        unit.send(INSERT_LOCATION, Tuple.of(thrown, "WAREHOUSE"));
                        return Uni.createFrom()
                            .failure(new IllegalStateException("the work failed"));
                      })
                  .await()
                  .atMost(WAIT));
      assertThat(locations(thrown))
          .as("a write sent before the work failed is rolled back")
          .isZero();
      catchThrowable(
          () ->
              transactions
                  .run(
                      unit -> {
                        // thrown, not a failed Uni
                        throw new IllegalStateException("the work threw");
                      })
                  .await()
                  .atMost(WAIT));
    }
    List<SqlConnection> taken = new ArrayList<>();
    try {
      for (int i = 0; i < poolSize; i++) {
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        taken.add(connection);
        // outside any transaction: a second BEGIN would warn, and this statement would be undone
        assertThat(
                connection
                    .query("SELECT now() = statement_timestamp()")
                    .execute()
                    .await()
                    .atMost(WAIT)
                    .iterator()
                    .next()
                    .getBoolean(0))
            .as("connection %d is not inside a transaction", i)
            .isTrue();
      }
    } finally {
      taken.forEach(c -> c.close().await().atMost(WAIT));
    }
  }

  @Test
  void actionsAfterCommitRunOnceTheCommitIsDoneAndOnlyForTheAttemptThatCommitted() {
    String first = code();
    String second = code();
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Long> seenByAction = new CopyOnWriteArrayList<>();

    transactions
        .run(
            unit -> {
              unit.afterCommit(
                  () -> {
                    ran.add("attempt " + unit.attempt());
                    // from another connection: the transaction's writes are there
                    seenByAction.add(locations(first, second));
                  });
              unit.send(INSERT_LOCATION, Tuple.of(first, "WAREHOUSE"));
              unit.send(INSERT_LOCATION, Tuple.of(second, "STORE"));
              if (unit.attempt() == 1) {
                return Uni.createFrom().failure(new StaleRead("a read found stale"));
              }
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);

    assertThat(ran).as("actions run, by attempt").containsExactly("attempt 2");
    assertThat(seenByAction).as("rows the action saw committed").containsExactly(2L);
  }

  @Test
  void noActionAfterCommitRunsForATransactionThatRolledBack() {
    List<String> ran = new CopyOnWriteArrayList<>();

    Throwable failure =
        failureOf(
            code(),
            code(),
            unit -> {
              unit.afterCommit(() -> ran.add("ran"));
              return Uni.createFrom().voidItem();
            });

    assertThat(failure).isInstanceOf(PgException.class);
    assertThat(ran).as("actions run").isEmpty();
  }

  @Test
  void aFailingActionAfterCommitDoesNotUndoTheCommitsReport() {
    String kept = code();

    String result =
        transactions
            .run(
                unit -> {
                  unit.afterCommit(
                      () -> {
                        throw new IllegalStateException("the action failed");
                      });
                  unit.send(INSERT_LOCATION, Tuple.of(kept, "WAREHOUSE"));
                  return Uni.createFrom().item("committed");
                })
            .await()
            .atMost(WAIT);

    assertThat(result).isEqualTo("committed");
    assertThat(locations(kept)).isEqualTo(1);
  }

  /** Runs a transaction that sends a valid insert and a refused one, then {@code rest}. */
  private Throwable failureOf(String kept, String refused, Function<UnitOfWork, Uni<Void>> rest) {
    return catchThrowable(
        () ->
            transactions
                .run(
                    unit -> {
                      unit.send(INSERT_LOCATION, Tuple.of(kept, "WAREHOUSE"));
                      unit.send(INSERT_LOCATION, Tuple.of(refused, "NOT_A_TYPE"));
                      return rest.apply(unit);
                    })
                .await()
                .atMost(WAIT));
  }

  private static long locations(String... codes) {
    return Db.scalar(
        "SELECT count(*) FROM location WHERE code = ANY(string_to_array(?, ','))",
        String.join(",", codes));
  }

  private static String code() {
    return "SENT-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
