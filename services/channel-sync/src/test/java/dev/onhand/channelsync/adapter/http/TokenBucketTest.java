package dev.onhand.channelsync.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void aFullBucketLetsItsBurstThroughThenAnswersTheWaitForTheNextToken() {
    TokenBucket bucket = new TokenBucket(10, 5);

    for (int call = 0; call < 10; call++) {
      assertThat(bucket.take(1)).isZero();
    }
    Duration wait = bucket.take(1);

    // a token every 200 ms, counted from a lag after the burst began
    assertThat(wait)
        .isGreaterThan(Duration.ofMillis(200))
        .isLessThanOrEqualTo(Duration.ofMillis(200).plus(TokenBucket.LAG));
    assertThat(bucket.waitFor(3).minus(bucket.waitFor(1))).isBetween(ms(395), ms(405));
  }

  @Test
  void whatTheChannelReportsReplacesWhatTheBucketBelieved() {
    TokenBucket bucket = new TokenBucket(100, 50);

    bucket.observe(1000, 5, 100);

    assertThat(bucket.take(10)).isBetween(ms(45), ms(50));
    assertThat(bucket.rate()).isEqualTo(100);
  }

  @Test
  void aHoldEmptiesTheBucketUntilThePauseHasPassed() {
    TokenBucket bucket = new TokenBucket(10, 5);

    bucket.hold(Duration.ofSeconds(2));

    assertThat(bucket.take(1)).isBetween(ms(2190), ms(2200));
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(ChannelHttp.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(ChannelHttp.retryAfter(" 1.5 ")).isEqualTo(ms(1500));
    assertThat(ChannelHttp.retryAfter("0")).isZero();
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    assertThat(ChannelHttp.retryAfter(inTenSeconds)).isBetween(ms(8000), ms(10000));
    assertThat(ChannelHttp.retryAfter("soon")).isNull();
    assertThat(ChannelHttp.retryAfter(null)).isNull();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
