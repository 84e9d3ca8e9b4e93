package dev.onhand.platform.api;

import dev.onhand.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque list cursors: the sort key of the last item returned, encoded so clients do not build or
 * parse them. Lists are ordered by a unique key, so paging is stable while rows are added.
 */
public final class Cursor {
  private static final char SEPARATOR = '\u001f';
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Cursor() {}

  public static String encode(String... parts) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            String.join(String.valueOf(SEPARATOR), parts).getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor, or an empty list when there is none; 400 when it was tampered with. */
  public static List<String> decode(String cursor, int parts) {
    if (cursor == null || cursor.isEmpty()) {
      return List.of();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> decoded = List.of(text.split(String.valueOf(SEPARATOR), -1));
      if (decoded.size() != parts) {
        throw new IllegalArgumentException("wrong number of parts");
      }
      return decoded;
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("INVALID_CURSOR", "The cursor is not one this API issued.");
    }
  }

  /** The page size asked for, defaulted and bounded. */
  public static int limit(Integer requested) {
    if (requested == null) {
      return DEFAULT_LIMIT;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw ProblemException.badRequest(
          "INVALID_LIMIT", "limit must be between 1 and " + MAX_LIMIT + ".");
    }
    return requested;
  }
}
