package dev.onhand.stock.adjustment;

import dev.onhand.stock.inventory.BalanceView;
import dev.onhand.stock.ledger.LedgerEntry;
import dev.onhand.stock.ledger.Reason;
import java.util.List;
import java.util.UUID;

/** What an adjustment or move did: its ledger entries and the balances after it. */
public record MovementResult(
    UUID movementId,
    Reason reason,
    String reference,
    List<LedgerEntry> entries,
    List<BalanceView> balances) {}
