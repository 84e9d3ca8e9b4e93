package dev.onhand.platform.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown (or failed with) anywhere a request must be refused; the mapper turns it into
 * problem+json. Being thrown inside a transaction also rolls that transaction back, so a refused
 * request changes nothing.
 */
public class ProblemException extends RuntimeException {
  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.getCode() + ": " + problem.getDetail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static ProblemException badRequest(String code, String detail) {
    return of(400, code, "Bad request", detail);
  }

  public static ProblemException notFound(String code, String detail) {
    return of(404, code, "Not found", detail);
  }

  public static ProblemException conflict(String code, String detail) {
    return of(409, code, "Conflict", detail);
  }

  public static ProblemException unprocessable(String code, String detail) {
    return of(422, code, "Unprocessable request", detail);
  }

  public static ProblemException validation(List<FieldError> errors) {
    return new ProblemException(
        new Problem(
            400,
            "VALIDATION_FAILED",
            "Invalid request",
            "The request has invalid fields; see errors.",
            null,
            errors,
            null));
  }

  public static ProblemException of(int status, String code, String title, String detail) {
    return new ProblemException(Problem.of(status, code, title, detail));
  }

  /** The same problem with offending fields attached. */
  public ProblemException withErrors(List<FieldError> errors) {
    return new ProblemException(
        new Problem(
            problem.getStatus(),
            problem.getCode(),
            problem.getTitle(),
            problem.getDetail(),
            null,
            errors,
            problem.getExtensions()));
  }

  /** The same problem with one more extension member (e.g. the short lines of a reservation). */
  public ProblemException with(String member, Object value) {
    Map<String, Object> extensions = new LinkedHashMap<>(problem.getExtensions());
    extensions.put(member, value);
    return new ProblemException(
        new Problem(
            problem.getStatus(),
            problem.getCode(),
            problem.getTitle(),
            problem.getDetail(),
            null,
            problem.getErrors(),
            extensions));
  }
}
