package dev.onhand.stock.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.inbox.MessageRejection;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a request refused by a business rule into the {@code stock.request.rejected} reply. */
@ApplicationScoped
public class Rejections {
  private final ObjectMapper mapper;

  public Rejections(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public MessageRejection of(Envelope request, String subject, ProblemException problem) {
    ObjectNode data = mapper.createObjectNode();
    data.put("requestId", request.id());
    data.put("requestType", request.type());
    data.put("code", problem.problem().getCode());
    data.put("detail", problem.problem().getDetail());
    if (!problem.problem().getExtensions().isEmpty()) {
      data.set("details", mapper.valueToTree(problem.problem().getExtensions()));
    }
    if (problem.problem().getErrors() != null) {
      data.set("errors", mapper.valueToTree(problem.problem().getErrors()));
    }
    String correlation = request.correlationId() == null ? request.id() : request.correlationId();
    Envelope reply =
        Envelope.create(
            StockEvents.REQUEST_REJECTED, StockEvents.SOURCE, subject, null, correlation, data);
    return new MessageRejection(reply, "request:" + subject, problem);
  }
}
