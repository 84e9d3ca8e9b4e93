package dev.onhand.platform.api;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A [from, to) period read from query parameters: ISO-8601 times with an offset, {@code to} after
 * {@code from}; anything else is a 400 problem naming the field.
 */
public record Period(OffsetDateTime from, OffsetDateTime to) {

  public static Period of(String from, String to) {
    OffsetDateTime start = time("from", from);
    OffsetDateTime end = time("to", to);
    if (!end.isAfter(start)) {
      throw ProblemException.validation(
          List.of(new FieldError("to", "BEFORE_FROM", "must be after from")));
    }
    return new Period(start, end);
  }

  private static OffsetDateTime time(String name, String value) {
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.validation(
          List.of(new FieldError(name, "INVALID_TIME", "an ISO-8601 time with offset")));
    }
  }
}
