package dev.onhand.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The traceparent the gateway forwards when it records no span of its own. */
class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aCallersTraceContinuesWithTheGatewayAsParentAndKeepsItsSampledFlag() {
    for (String flags : new String[] {"00", "01"}) {
      TraceContext.Hop hop = TraceContext.next("00-" + TRACE + "-00f067aa0ba902b7-" + flags, 0);
      assertThat(hop.continued()).isTrue();
      assertThat(hop.traceId()).isEqualTo(TRACE);
      assertThat(hop.traceparent())
          .matches("00-" + TRACE + "-[0-9a-f]{16}-" + flags)
          .doesNotContain("00f067aa0ba902b7")
          .contains(hop.spanId());
    }
    // a later version is read by its first four fields
    assertThat(TraceContext.next("01-" + TRACE + "-00f067aa0ba902b7-01-extra", 0).traceId())
        .isEqualTo(TRACE);
  }

  @Test
  void withoutAValidOneANewTraceStartsSampledAtTheRatio() {
    String[] invalid = {
      null,
      "",
      "garbage",
      "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-" + TRACE + "-0000000000000000-01",
      "ff-" + TRACE + "-00f067aa0ba902b7-01",
      "00-" + TRACE + "-00f067aa0ba902b7-01-extra",
    };
    for (String value : invalid) {
      TraceContext.Hop hop = TraceContext.next(value, 1.0);
      assertThat(hop.continued()).as(String.valueOf(value)).isFalse();
      assertThat(hop.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      assertThat(TraceContext.valid(hop.traceparent())).isTrue();
    }
    assertThat(TraceContext.next(null, 0).traceparent()).endsWith("-00");
    int sampled = 0;
    for (int i = 0; i < 10_000; i++) {
      sampled += TraceContext.next(null, 0.1).traceparent().endsWith("-01") ? 1 : 0;
    }
    assertThat(sampled).isBetween(700, 1300);
  }
}
