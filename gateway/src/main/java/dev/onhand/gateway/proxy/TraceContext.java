package dev.onhand.gateway.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C trace context the gateway forwards when it records no span of its own (OpenTelemetry's
 * HTTP instrumentation off, the default: its spans were a fifth of the gateway's CPU and nothing
 * exported them). The gateway then acts as one hop of the trace: a caller's valid {@code
 * traceparent} keeps its trace id and sampled flag and gets a new parent id (the gateway's);
 * without one, a new trace starts, sampled with the configured ratio, as OpenTelemetry's {@code
 * parentbased_traceidratio} sampler would.
 */
final class TraceContext {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** {@code 00-<trace id>-<the gateway's span id>-<flags>}; {@code traceId} and {@code spanId}. */
  record Hop(String traceparent, String traceId, String spanId, boolean continued) {}

  private TraceContext() {}

  /** The hop for a request that arrived with {@code incoming} (may be null or invalid). */
  static Hop next(String incoming, double sampleRatio) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String spanId = hex(nonZero(random), 16);
    if (incoming != null && valid(incoming)) {
      String traceId = incoming.substring(3, 35);
      boolean sampled = (Character.digit(incoming.charAt(54), 16) & 1) == 1;
      return new Hop(header(traceId, spanId, sampled), traceId, spanId, true);
    }
    String traceId = hex(random.nextLong(), 16) + hex(nonZero(random), 16);
    boolean sampled = sampleRatio >= 1 || (sampleRatio > 0 && random.nextDouble() < sampleRatio);
    return new Hop(header(traceId, spanId, sampled), traceId, spanId, false);
  }

  /**
   * A W3C traceparent the gateway can continue: version 00 (or a later version, whose first four
   * fields are read the same way), lowercase hex, trace and parent ids not all zeros.
   */
  static boolean valid(String value) {
    if (value.length() < 55 || (value.length() > 55 && value.charAt(55) != '-')) {
      return false;
    }
    if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return false;
    }
    String version = value.substring(0, 2);
    if (!lowerHex(value, 0, 2)
        || version.equals("ff")
        || (version.equals("00") && value.length() != 55)) {
      return false;
    }
    return lowerHex(value, 3, 35)
        && lowerHex(value, 36, 52)
        && lowerHex(value, 53, 55)
        && !zeros(value, 3, 35)
        && !zeros(value, 36, 52);
  }

  private static String header(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static long nonZero(ThreadLocalRandom random) {
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }

  private static String hex(long value, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
    return new String(out);
  }

  private static boolean lowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
