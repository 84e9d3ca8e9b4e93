package dev.onhand.platform.tx;

import dev.onhand.platform.problem.Problem;
import dev.onhand.platform.problem.ProblemMappers;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Database failures of an HTTP request as problem+json; a refused rule is a 4xx, an outage a 503.
 */
public class DatabaseProblemMappers {

  /** A database rule refused the write: the last line of defence behind the code's own checks. */
  @ServerExceptionMapper
  public Response database(PgException e, UriInfo uri) {
    String state = e.getSqlState() == null ? "" : e.getSqlState();
    return switch (state) {
      case "23514" ->
          ProblemMappers.respond(
              Problem.of(
                  422,
                  "CONSTRAINT_VIOLATED",
                  "Unprocessable request",
                  "The change would break a rule of the data (for example a quantity below zero)."),
              uri);
      case "23505" ->
          ProblemMappers.respond(
              Problem.of(409, "CONFLICT", "Conflict", "The resource already exists."), uri);
      case "23503" ->
          ProblemMappers.respond(
              Problem.of(
                  422,
                  "UNKNOWN_REFERENCE",
                  "Unprocessable request",
                  "The request refers to something that does not exist."),
              uri);
      case "22003", "22P02" ->
          ProblemMappers.respond(
              Problem.of(400, "VALUE_OUT_OF_RANGE", "Bad request", "A value is out of range."),
              uri);
      case "40001", "40P01", "55P03", "57014" -> ProblemMappers.unavailable(e, uri);
      default ->
          state.startsWith("08") || state.startsWith("57")
              ? ProblemMappers.unavailable(e, uri)
              : ProblemMappers.internalError(e, uri);
    };
  }

  @ServerExceptionMapper
  public Response closed(ClosedConnectionException e, UriInfo uri) {
    return ProblemMappers.unavailable(e, uri);
  }
}
