package dev.onhand.platform.batch;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Group commit: requests that arrive while a transaction is in flight wait and are then processed
 * together in the next one. Each lane runs one batch at a time; requests are spread over lanes by a
 * key (e.g. the hot SKU), so one transaction and one commit flush serve many requests. This is a
 * throughput device only: correctness rests on the database's row locks and constraints, which hold
 * however many instances run.
 *
 * <p>If a batch fails as a whole, its requests are retried one by one, so one bad request cannot
 * fail the others.
 *
 * @param <R> a request
 * @param <O> its outcome; the processor returns one per request, in order
 */
public final class GroupCommit<R, O> {
  private final Lane[] lanes;
  private final int maxBatch;
  private final Function<List<R>, Uni<List<O>>> processor;
  private final ToIntFunction<R> laneKey;

  public GroupCommit(
      int lanes,
      int maxBatch,
      ToIntFunction<R> laneKey,
      Function<List<R>, Uni<List<O>>> processor) {
    this.lanes = new GroupCommit.Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
    this.maxBatch = maxBatch;
    this.processor = processor;
    this.laneKey = laneKey;
  }

  public Uni<O> submit(R request) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Lane lane = lanes[Math.floorMod(laneKey.applyAsInt(request), lanes.length)];
              lane.queue.add(new Pending<>(request, emitter));
              lane.drain();
            });
  }

  private record Pending<R, O>(R request, UniEmitter<? super O> emitter) {}

  private final class Lane {
    private final Queue<Pending<R, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean busy = new AtomicBoolean();

    void drain() {
      while (!queue.isEmpty() && busy.compareAndSet(false, true)) {
        List<Pending<R, O>> batch = new ArrayList<>();
        Pending<R, O> next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
          batch.add(next);
        }
        if (batch.isEmpty()) {
          busy.set(false);
          continue;
        }
        run(batch, true);
        return;
      }
    }

    private void run(List<Pending<R, O>> batch, boolean mayRetrySingly) {
      List<R> requests = batch.stream().map(Pending::request).toList();
      Uni<List<O>> outcome;
      try {
        outcome = processor.apply(requests);
      } catch (RuntimeException e) {
        outcome = Uni.createFrom().failure(e);
      }
      outcome
          .subscribe()
          .with(
              results -> {
                for (int i = 0; i < batch.size(); i++) {
                  batch.get(i).emitter().complete(results.get(i));
                }
                finished();
              },
              failure -> {
                if (batch.size() > 1 && mayRetrySingly) {
                  retrySingly(batch, 0);
                } else {
                  batch.forEach(p -> p.emitter().fail(failure));
                  finished();
                }
              });
    }

    private void retrySingly(List<Pending<R, O>> batch, int index) {
      if (index == batch.size()) {
        finished();
        return;
      }
      Pending<R, O> pending = batch.get(index);
      Uni<List<O>> outcome;
      try {
        outcome = processor.apply(List.of(pending.request()));
      } catch (RuntimeException e) {
        outcome = Uni.createFrom().failure(e);
      }
      outcome
          .subscribe()
          .with(
              results -> {
                pending.emitter().complete(results.get(0));
                retrySingly(batch, index + 1);
              },
              failure -> {
                pending.emitter().fail(failure);
                retrySingly(batch, index + 1);
              });
    }

    private void finished() {
      busy.set(false);
      drain();
    }
  }
}
