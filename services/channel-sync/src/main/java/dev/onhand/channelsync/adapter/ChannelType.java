package dev.onhand.channelsync.adapter;

/** The kinds of sales channel Onhand pushes sellable quantities to; one adapter per kind. */
public enum ChannelType {
  SHOPIFY,
  AMAZON,
  WALMART,
  GENERIC_WEBHOOK
}
