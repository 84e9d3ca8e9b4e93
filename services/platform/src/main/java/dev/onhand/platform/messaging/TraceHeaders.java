package dev.onhand.platform.messaging;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) of the current span, captured when a
 * message is written to the outbox and sent with it as message headers, so a consumer's span joins
 * the trace of the request that caused the message, however late the relay publishes it.
 */
public final class TraceHeaders {
  private TraceHeaders() {}

  public static Map<String, String> current() {
    Map<String, String> headers = new HashMap<>(2);
    W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
    return headers;
  }
}
