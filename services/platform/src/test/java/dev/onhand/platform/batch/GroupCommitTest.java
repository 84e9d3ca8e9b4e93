package dev.onhand.platform.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void requestsArrivingWhileABatchIsInFlightAreProcessedTogetherInOrder() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> firstBatchMayFinish = new CompletableFuture<>();
    GroupCommit<Integer, String> group =
        new GroupCommit<>(
            1,
            100,
            r -> 0,
            requests -> {
              batches.add(requests);
              Uni<Void> gate =
                  batches.size() == 1
                      ? Uni.createFrom().completionStage(firstBatchMayFinish)
                      : Uni.createFrom().voidItem();
              return gate.map(ignored -> requests.stream().map(r -> "done " + r).toList());
            });

    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(group.submit(i).subscribeAsCompletionStage());
    }
    firstBatchMayFinish.complete(null);

    for (int i = 0; i < 5; i++) {
      assertThat(results.get(i).get()).isEqualTo("done " + i);
    }
    assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4));
  }

  @Test
  void aFailingBatchIsRetriedOneByOneSoOnlyTheBadRequestFails() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            1,
            100,
            r -> 0,
            requests -> {
              batches.add(requests);
              Uni<Void> wait =
                  batches.size() == 1
                      ? Uni.createFrom().completionStage(gate)
                      : Uni.createFrom().voidItem();
              return wait.map(
                  ignored -> {
                    if (requests.contains(13)) {
                      throw new IllegalStateException("13 is refused");
                    }
                    return requests;
                  });
            });

    var first = group.submit(1).subscribeAsCompletionStage();
    var good = group.submit(2).subscribeAsCompletionStage();
    var bad = group.submit(13).subscribeAsCompletionStage();
    var alsoGood = group.submit(4).subscribeAsCompletionStage();
    gate.complete(null);

    assertThat(first.get()).isEqualTo(1);
    assertThat(good.get()).isEqualTo(2);
    assertThat(alsoGood.get()).isEqualTo(4);
    assertThat(bad).failsWithin(Duration.ofSeconds(5));
    assertThat(batches).contains(List.of(2, 13, 4), List.of(2), List.of(13), List.of(4));
  }

  @Test
  void differentKeysUseDifferentLanesAndDoNotWaitForEachOther() throws Exception {
    CompletableFuture<Void> slowLane = new CompletableFuture<>();
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            2,
            100,
            r -> r % 2,
            requests ->
                requests.get(0) % 2 == 0
                    ? Uni.createFrom().completionStage(slowLane).replaceWith(requests)
                    : Uni.createFrom().item(requests));

    var blocked = group.submit(0).subscribeAsCompletionStage();
    var free = group.submit(1).subscribeAsCompletionStage();

    assertThat(free.get()).isEqualTo(1);
    assertThat(blocked).isNotDone();
    slowLane.complete(null);
    assertThat(blocked.get()).isZero();
  }
}
