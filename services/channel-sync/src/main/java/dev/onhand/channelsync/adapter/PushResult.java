package dev.onhand.channelsync.adapter;

import java.time.Duration;

/**
 * What a channel answered for one {@link QuantityPush}.
 *
 * @param outcome APPLIED: the channel holds the quantity; RETRY: throttled or a transient failure,
 *     try again after {@code retryAfter} (null: the caller's backoff); COMPARE_FAILED: the
 *     channel's quantity was not the one expected (re-read and push again); REJECTED: the channel
 *     refused it for good (bad listing id, auth), do not retry
 * @param httpStatus the HTTP status of the call (0 when none was made or the connection failed)
 * @param response a short excerpt of the answer, for the push record
 */
public record PushResult(
    String sku, Outcome outcome, Duration retryAfter, int httpStatus, String response) {

  public enum Outcome {
    APPLIED,
    RETRY,
    COMPARE_FAILED,
    REJECTED
  }
}
