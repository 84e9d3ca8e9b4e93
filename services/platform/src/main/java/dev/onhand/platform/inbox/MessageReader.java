package dev.onhand.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a message's data into its contract type and validates it. Data that does not fit its
 * contract can never be applied, so it fails as a {@link PermanentMessageFailure} (dead-lettered at
 * once) rather than being retried.
 */
@ApplicationScoped
public class MessageReader {
  private final ObjectMapper mapper;
  private final Validator validator;

  public MessageReader(ObjectMapper mapper, Validator validator) {
    this.mapper = mapper;
    this.validator = validator;
  }

  public <T> T read(Envelope envelope, Class<T> type) {
    T data;
    try {
      data = mapper.treeToValue(envelope.data(), type);
    } catch (Exception e) {
      throw new PermanentMessageFailure(
          envelope.type() + " data does not match its contract: " + e.getMessage(), e);
    }
    if (data == null) {
      throw new PermanentMessageFailure(envelope.type() + " has no data");
    }
    Set<ConstraintViolation<T>> violations = validator.validate(data);
    if (!violations.isEmpty()) {
      throw new PermanentMessageFailure(
          envelope.type()
              + " data is invalid: "
              + violations.stream()
                  .map(v -> v.getPropertyPath() + " " + v.getMessage())
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return data;
  }
}
