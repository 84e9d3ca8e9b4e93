package dev.onhand.channelsync.webhook;

import dev.onhand.platform.api.Identifiers;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Order webhooks from the channels, outside {@code /api/v1}: the gateway forwards {@code
 * /webhooks/**} without an API key, because each is verified by its channel's signature instead.
 * The body is taken as raw bytes, since the signature covers exactly the bytes sent. Not in the
 * OpenAPI document: that describes the API-key API, and channels send these in their own formats
 * (README, "Webhooks in").
 */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class WebhookResource {
  private final WebhookService service;

  public WebhookResource(WebhookService service) {
    this.service = service;
  }

  @POST
  @Path("/shopify/{channel}")
  @Operation(hidden = true)
  public Uni<WebhookReceipt> shopify(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String channel,
      @RestHeader("X-Shopify-Hmac-Sha256") String hmac,
      @RestHeader("X-Shopify-Topic") String topic,
      @RestHeader("X-Shopify-Webhook-Id") String webhookId,
      @RestHeader("X-Shopify-Triggered-At") String triggeredAt,
      byte[] body) {
    return service.shopify(
        channel,
        new WebhookService.ShopifyDelivery(hmac, topic, webhookId, triggeredAt),
        body == null ? new byte[0] : body);
  }

  @POST
  @Path("/generic/{channel}")
  @Operation(hidden = true)
  public Uni<WebhookReceipt> generic(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String channel,
      @RestHeader("X-Onhand-Signature") String signature,
      @RestHeader("X-Onhand-Timestamp") String timestamp,
      @RestHeader("X-Onhand-Delivery") String deliveryId,
      byte[] body) {
    return service.generic(
        channel,
        new WebhookService.GenericDelivery(signature, timestamp, deliveryId),
        body == null ? new byte[0] : body);
  }
}
