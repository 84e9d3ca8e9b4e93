package dev.onhand.platform.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list. {@code next} is an opaque cursor for the following page, null on the last.
 */
public record Page<T>(List<T> items, String next) {

  /**
   * Builds a page from up to {@code limit + 1} rows read in cursor order: the extra row only tells
   * that another page exists.
   */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String[]> cursorOf) {
    if (rows.size() <= limit) {
      return new Page<>(List.copyOf(rows), null);
    }
    List<T> items = List.copyOf(rows.subList(0, limit));
    return new Page<>(items, Cursor.encode(cursorOf.apply(items.get(limit - 1))));
  }
}
