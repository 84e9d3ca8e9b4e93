package dev.onhand.platform.problem;

/**
 * One offending field of a request: a JSON path such as {@code lines[0].quantity}, a code and a
 * message.
 */
public record FieldError(String field, String code, String message) {}
