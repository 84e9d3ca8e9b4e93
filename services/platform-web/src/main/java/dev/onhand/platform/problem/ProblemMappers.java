package dev.onhand.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of an HTTP request into RFC 9457 problem+json with a stable code. Bad input
 * is always a 4xx; a 5xx means the service itself could not answer.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return respond(e.problem(), uri);
  }

  @ServerExceptionMapper
  public Response constraintViolations(ConstraintViolationException e, UriInfo uri) {
    boolean inRequest =
        e.getConstraintViolations().stream()
            .allMatch(
                v ->
                    v.getPropertyPath() != null
                        && !containsKind(v.getPropertyPath(), ElementKind.RETURN_VALUE));
    if (!inRequest) {
      return internalError(e, uri);
    }
    List<FieldError> errors =
        e.getConstraintViolations().stream()
            .map(ProblemMappers::fieldError)
            .sorted(Comparator.comparing(FieldError::field))
            .toList();
    return respond(ProblemException.validation(errors).problem(), uri);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, UriInfo uri) {
    return respond(
        Problem.of(400, "MALFORMED_JSON", "Malformed JSON", "The request body is not valid JSON."),
        uri);
  }

  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    String field = path(e);
    FieldError error;
    if (e instanceof UnrecognizedPropertyException unknown) {
      error = new FieldError(field, "UNKNOWN_FIELD", "is not a field of this request");
    } else if (e instanceof InvalidFormatException invalid
        && invalid.getTargetType() != null
        && invalid.getTargetType().isEnum()) {
      error =
          new FieldError(
              field,
              "INVALID_VALUE",
              "must be one of " + Arrays.toString(invalid.getTargetType().getEnumConstants()));
    } else if (e.getTargetType() != null) {
      error =
          new FieldError(field, "INVALID_TYPE", "must be a valid " + describe(e.getTargetType()));
    } else {
      error = new FieldError(field, "INVALID_VALUE", "has an invalid value");
    }
    return respond(ProblemException.validation(List.of(error)).problem(), uri);
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, UriInfo uri) {
    // e.g. a number too large for its field, or a value no constructor accepts
    String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
    if (!field.isEmpty()) {
      String message = "has an invalid value";
      if (e instanceof ValueInstantiationException instantiation
          && instantiation.getType() != null
          && instantiation.getType().isEnumType()) {
        message =
            "must be one of "
                + Arrays.toString(instantiation.getType().getRawClass().getEnumConstants());
      }
      return respond(
          ProblemException.validation(List.of(new FieldError(field, "INVALID_VALUE", message)))
              .problem(),
          uri);
    }
    return respond(
        Problem.of(
            400,
            "MALFORMED_JSON",
            "Malformed JSON",
            "The request body could not be read: " + e.getOriginalMessage()),
        uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    // the JSON body reader reports unreadable bodies as a 400 wrapping Jackson's exception
    Throwable cause = e.getCause();
    if (cause instanceof JsonParseException parse) {
      return malformedJson(parse, uri);
    }
    if (cause instanceof MismatchedInputException mismatch) {
      return mismatchedInput(mismatch, uri);
    }
    if (cause instanceof JsonProcessingException json) {
      return otherJson(json, uri);
    }
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return internalError(e, uri);
    }
    String code =
        switch (status) {
          case 400 -> "BAD_REQUEST";
          case 401 -> "UNAUTHORIZED";
          case 403 -> "FORBIDDEN";
          case 404 -> "NOT_FOUND";
          case 405 -> "METHOD_NOT_ALLOWED";
          case 406 -> "NOT_ACCEPTABLE";
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 415 -> "UNSUPPORTED_MEDIA_TYPE";
          default -> "HTTP_" + status;
        };
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Request refused"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    String detail = status == 404 ? "No resource at this path." : e.getMessage();
    return respond(Problem.of(status, code, title, detail), uri);
  }

  @ServerExceptionMapper(ConnectException.class)
  public Response connection(Exception e, UriInfo uri) {
    return unavailable(e, uri);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    return internalError(e, uri);
  }

  /** 500: the service failed; the details go to the log, not to the client. */
  public static Response internalError(Throwable e, UriInfo uri) {
    LOG.errorf(e, "Unexpected failure answering %s", uri == null ? "?" : uri.getPath());
    return respond(
        Problem.of(
            500,
            "INTERNAL_ERROR",
            "Internal error",
            "The service failed to answer; the request may be retried with the same"
                + " Idempotency-Key."),
        uri);
  }

  /** 503 with Retry-After: a dependency (database, broker, upstream) cannot be reached. */
  public static Response unavailable(Throwable e, UriInfo uri) {
    LOG.warnf("Dependency unavailable answering %s: %s", uri == null ? "?" : uri.getPath(), e);
    return Response.fromResponse(
            respond(
                Problem.of(
                    503,
                    "SERVICE_UNAVAILABLE",
                    "Service unavailable",
                    "A dependency of the service is unavailable; retry later with the same"
                        + " Idempotency-Key."),
                uri))
        .header("Retry-After", "1")
        .build();
  }

  public static Response respond(Problem problem, UriInfo uri) {
    Problem withInstance =
        uri == null || problem.getInstance() != null
            ? problem
            : problem.withInstance(uri.getRequestUri().getRawPath());
    return Response.status(problem.getStatus())
        .type(Problem.MEDIA_TYPE)
        .entity(withInstance)
        .build();
  }

  private static boolean containsKind(Path path, ElementKind kind) {
    for (Path.Node node : path) {
      if (node.getKind() == kind) {
        return true;
      }
    }
    return false;
  }

  private static FieldError fieldError(ConstraintViolation<?> violation) {
    StringBuilder field = new StringBuilder();
    String parameter = null;
    for (Path.Node node : violation.getPropertyPath()) {
      switch (node.getKind()) {
        case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {}
        case PARAMETER -> parameter = node.getName();
        default -> {
          if (node.isInIterable() && node.getIndex() != null) {
            field.append('[').append(node.getIndex()).append(']');
          } else if (node.isInIterable() && node.getKey() != null) {
            field.append('[').append(node.getKey()).append(']');
          }
          if (node.getName() != null) {
            if (!field.isEmpty()) {
              field.append('.');
            }
            field.append(node.getName());
          }
        }
      }
    }
    String name = field.isEmpty() ? (parameter == null ? "" : parameter) : field.toString();
    String constraint =
        violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
    return new FieldError(name, codeOf(constraint), violation.getMessage());
  }

  private static String codeOf(String constraint) {
    return switch (constraint) {
      case "NotNull", "NotBlank", "NotEmpty" -> "REQUIRED";
      case "Positive", "PositiveOrZero", "Min", "Max", "DecimalMin", "DecimalMax", "Negative" ->
          "OUT_OF_RANGE";
      case "Size" -> "INVALID_SIZE";
      case "Pattern" -> "INVALID_FORMAT";
      default -> "INVALID_VALUE";
    };
  }

  private static String path(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return "body";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "integer within range";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "array";
    }
    if (type == String.class) {
      return "string";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "number";
    }
    return "object";
  }
}
