package dev.onhand.channelsync.adapter;

/**
 * One SKU's new sellable quantity for one channel.
 *
 * @param sku Onhand's SKU
 * @param listingId the channel's identifier for it (Shopify inventory item gid, Amazon seller SKU,
 *     Walmart SKU)
 * @param quantity the sellable quantity to set
 * @param version increases with every quantity computed for this (channel, SKU); a push never
 *     carries a version lower than one already sent
 * @param lastSentQuantity the quantity Onhand last set on the channel, for compare-and-set where
 *     the API offers it; null when unknown
 * @param idempotencyKey the same for every retry of this version, so a retried push is applied once
 */
public record QuantityPush(
    String sku,
    String listingId,
    long quantity,
    long version,
    Long lastSentQuantity,
    String idempotencyKey) {}
