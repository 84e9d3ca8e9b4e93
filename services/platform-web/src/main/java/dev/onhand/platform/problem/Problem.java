package dev.onhand.platform.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 9457 problem details document. {@code code} is the stable, machine-readable identifier
 * integrators branch on; {@code type} is derived from it so the two never disagree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "code", "detail", "instance", "errors"})
public final class Problem {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://onhand.dev/problems/";

  private final int status;
  private final String code;
  private final String title;
  private final String detail;
  private final String instance;
  private final List<FieldError> errors;
  private final Map<String, Object> extensions;

  public Problem(
      int status,
      String code,
      String title,
      String detail,
      String instance,
      List<FieldError> errors,
      Map<String, Object> extensions) {
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.instance = instance;
    this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    this.extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
  }

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem(status, code, title, detail, null, null, null);
  }

  public String getType() {
    return TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String getTitle() {
    return title;
  }

  public int getStatus() {
    return status;
  }

  public String getCode() {
    return code;
  }

  public String getDetail() {
    return detail;
  }

  public String getInstance() {
    return instance;
  }

  public List<FieldError> getErrors() {
    return errors;
  }

  @JsonAnyGetter
  public Map<String, Object> getExtensions() {
    return extensions;
  }

  public Problem withInstance(String instance) {
    return new Problem(status, code, title, detail, instance, errors, extensions);
  }
}
